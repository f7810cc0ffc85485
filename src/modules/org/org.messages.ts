import type { Messages } from '../../common/i18n/messages.js';

export const orgMessages: Messages = {
  'zh-CN': {},
  en: {},
};
