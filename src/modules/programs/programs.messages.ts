import type { Messages } from '../../common/i18n/messages.js';

export const programsMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
