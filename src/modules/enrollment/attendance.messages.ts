import type { Messages } from '../../common/i18n/messages.js';

export const attendanceMessages: Messages = {
  'zh-CN': {
  },
  en: {
  },
};
