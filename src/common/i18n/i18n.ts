import { zhCN } from './zh-CN.js';
import { en } from './en.js';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const catalogues: Record<Locale, Record<string, string>> = { 'zh-CN': zhCN, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Looks a key up in the locale's catalogue, then in Chinese, then answers the key itself. `{name}` takes params. */
export function translate(locale: Locale, key: string, params: Record<string, unknown> = {}): string {
  const template = catalogues[locale][key] ?? catalogues['zh-CN'][key] ?? key;
  // Most labels take no parameters: a page translates hundreds of them.
  if (!template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function hasTranslation(locale: Locale, key: string): boolean {
  return key in catalogues[locale];
}

export function catalogueKeys(locale: Locale): string[] {
  return Object.keys(catalogues[locale]);
}
