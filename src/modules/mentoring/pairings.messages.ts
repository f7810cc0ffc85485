import type { Messages } from '../../common/i18n/messages.js';

export const pairingsMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
