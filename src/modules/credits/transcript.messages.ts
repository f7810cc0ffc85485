import type { Messages } from '../../common/i18n/messages.js';

export const transcriptMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
