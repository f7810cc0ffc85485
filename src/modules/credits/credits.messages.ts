import type { Messages } from '../../common/i18n/messages.js';

export const creditsMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
