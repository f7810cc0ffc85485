import type { Messages } from '../../common/i18n/messages.js';

export const enrollmentMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
