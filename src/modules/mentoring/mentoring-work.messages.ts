import type { Messages } from '../../common/i18n/messages.js';

export const mentoringWorkMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
