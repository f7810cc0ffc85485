import { catalogueKeys, translate } from './i18n.js';

describe('i18n', () => {
  it('has every key in both locales', () => {
    const zh = catalogueKeys('zh-CN').sort();
    const en = catalogueKeys('en').sort();
    expect(en.filter((k) => !zh.includes(k))).toEqual([]);
    expect(zh.filter((k) => !en.includes(k))).toEqual([]);
  });

  it('fills parameters and falls back to the key', () => {
    expect(translate('en', 'common.total', { count: 3 })).toBe('3 in total');
    expect(translate('zh-CN', 'common.total', { count: 3 })).toBe('共 3 条');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });
});
