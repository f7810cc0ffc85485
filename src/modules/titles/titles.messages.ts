import type { Messages } from '../../common/i18n/messages.js';

export const titlesMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
