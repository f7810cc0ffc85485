/** A module's messages: the same keys in both locales (a unit spec checks they match). */
export interface Messages {
  'zh-CN': Record<string, string>;
  en: Record<string, string>;
}
