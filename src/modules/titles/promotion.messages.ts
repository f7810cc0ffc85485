import type { Messages } from '../../common/i18n/messages.js';

export const promotionMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
