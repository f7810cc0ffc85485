import type { Messages } from '../../common/i18n/messages.js';

export const exportsMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
