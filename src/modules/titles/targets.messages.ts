import type { Messages } from '../../common/i18n/messages.js';

export const targetsMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
