import type { Messages } from '../../common/i18n/messages.js';

export const rubricsMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
