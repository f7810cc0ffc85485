import type { Messages } from '../../common/i18n/messages.js';

export const complianceMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
