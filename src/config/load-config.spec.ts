import { loadConfig, ConfigError } from './load-config.js';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DEFAULT_LOCALE).toBe('zh-CN');
  });

  it('lists every bad key at once', () => {
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'not a url', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(keys).toEqual(expect.arrayContaining(['PORT', 'REDIS_URL', 'LOG_LEVEL']));
    }
  });

  it('refuses production without a database, key and session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL.*\n.*DATA_ENCRYPTION_KEY.*\n.*SESSION_SECRET/s);
  });
});
