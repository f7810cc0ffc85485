import type { Messages } from '../../common/i18n/messages.js';

export const gradingMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
