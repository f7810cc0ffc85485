import type { Messages } from '../../common/i18n/messages.js';

export const principalsMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
