import type { Messages } from '../../common/i18n/messages.js';

export const gradebookMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
