import type { Messages } from '../../common/i18n/messages.js';

export const cohortMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
