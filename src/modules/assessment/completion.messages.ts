import type { Messages } from '../../common/i18n/messages.js';

export const completionMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
