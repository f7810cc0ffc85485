import type { Messages } from '../../common/i18n/messages.js';

export const contestsMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
