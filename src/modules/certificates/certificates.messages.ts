import type { Messages } from '../../common/i18n/messages.js';

export const certificatesMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
