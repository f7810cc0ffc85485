import { ConfigError, loadConfig } from './load-config.js';

const problemKeys = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.split(':')[0]).sort();
    throw error;
  }
  return [];
};

describe('file storage configuration', () => {
  it('stores on local disk unless told otherwise, with S3 defaults that suit MinIO', () => {
    const config = loadConfig({});
    expect(config.FILE_STORAGE).toBe('local');
    expect(config.S3_REGION).toBe('us-east-1');
    expect(config.S3_FORCE_PATH_STYLE).toBe(true);
  });

  it('refuses S3 without its bucket and keys, naming each missing key', () => {
    expect(problemKeys({ FILE_STORAGE: 's3' })).toEqual(['S3_ACCESS_KEY_ID', 'S3_BUCKET', 'S3_SECRET_ACCESS_KEY']);
    expect(problemKeys({ FILE_STORAGE: 's3', S3_BUCKET: 'tgp-files', S3_ACCESS_KEY_ID: 'minio' })).toEqual(['S3_SECRET_ACCESS_KEY']);
  });

  it('lists the missing S3 keys together with every other bad key', () => {
    expect(problemKeys({ FILE_STORAGE: 's3', PORT: 'abc', S3_ENDPOINT: 'minio:9000', S3_BUCKET: 'Bad_Bucket', S3_FORCE_PATH_STYLE: 'yes' }))
      .toEqual(['PORT', 'S3_ACCESS_KEY_ID', 'S3_BUCKET', 'S3_ENDPOINT', 'S3_FORCE_PATH_STYLE', 'S3_SECRET_ACCESS_KEY']);
    expect(problemKeys({ FILE_STORAGE: 'ftp' })).toEqual(['FILE_STORAGE']);
    expect(problemKeys({ S3_PREFIX: '../etc' })).toEqual(['S3_PREFIX']);
  });

  it('accepts a complete S3 configuration and does not ask for S3 keys when storing locally', () => {
    const config = loadConfig({
      FILE_STORAGE: 's3', S3_ENDPOINT: 'https://cos.ap-shanghai.myqcloud.com', S3_REGION: 'ap-shanghai', S3_BUCKET: 'tgp-files-1250000000',
      S3_ACCESS_KEY_ID: 'AKID', S3_SECRET_ACCESS_KEY: 'secret', S3_FORCE_PATH_STYLE: 'false', S3_PREFIX: 'qingpu/files',
    });
    expect(config).toMatchObject({ FILE_STORAGE: 's3', S3_BUCKET: 'tgp-files-1250000000', S3_FORCE_PATH_STYLE: false, S3_PREFIX: 'qingpu/files' });
    expect(problemKeys({ FILE_STORAGE: 'local', S3_BUCKET: 'tgp-files' })).toEqual([]);
  });
});
