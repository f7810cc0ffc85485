import type { Messages } from '../../common/i18n/messages.js';

export const claimsMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
