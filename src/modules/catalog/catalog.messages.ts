import type { Messages } from '../../common/i18n/messages.js';

export const catalogMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
