import type { Messages } from '../../common/i18n/messages.js';

export const blueBookMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
