import type { Messages } from '../../common/i18n/messages.js';

export const peopleMessages: Messages = {
  'zh-CN': {},
  en: {},
};
