import type { Messages } from '../../common/i18n/messages.js';

export const importsMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
