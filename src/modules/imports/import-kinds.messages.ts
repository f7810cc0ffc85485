import type { Messages } from '../../common/i18n/messages.js';

export const importKindsMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
