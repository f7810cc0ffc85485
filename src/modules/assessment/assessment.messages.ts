import type { Messages } from '../../common/i18n/messages.js';

export const assessmentMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
