import type { Messages } from '../../common/i18n/messages.js';

export const lecturesMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
