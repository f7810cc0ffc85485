import { S3Backend, type S3Settings } from './s3.backend.js';

const settings: S3Settings = { region: 'us-east-1', bucket: 'tgp-files', accessKeyId: 'id', secretAccessKey: 'secret', forcePathStyle: true };
const KEY = 'submission/2026/05/0b6f3a52-0000-4000-8000-000000000001';

describe('S3Backend.objectUrl', () => {
  it('puts the bucket in the path for MinIO-style stores, under any base path of the endpoint', () => {
    expect(new S3Backend({ ...settings, endpoint: 'http://127.0.0.1:9000' }).objectUrl(KEY)).toBe(`http://127.0.0.1:9000/tgp-files/${KEY}`);
    expect(new S3Backend({ ...settings, endpoint: 'https://files.example.cn/s3/', prefix: 'tgp/qingpu/' }).objectUrl(KEY))
      .toBe(`https://files.example.cn/s3/tgp-files/tgp/qingpu/${KEY}`);
  });

  it('puts the bucket in the host name for OSS, COS and AWS, and finds AWS by region without an endpoint', () => {
    expect(new S3Backend({ ...settings, endpoint: 'https://oss-cn-shanghai.aliyuncs.com', forcePathStyle: false, prefix: 'qingpu' }).objectUrl(KEY))
      .toBe(`https://tgp-files.oss-cn-shanghai.aliyuncs.com/qingpu/${KEY}`);
    expect(new S3Backend({ ...settings, region: 'ap-east-1', forcePathStyle: false }).objectUrl(KEY)).toBe(`https://tgp-files.s3.ap-east-1.amazonaws.com/${KEY}`);
    expect(new S3Backend({ ...settings, region: 'cn-north-1', forcePathStyle: false }).objectUrl(KEY)).toBe(`https://tgp-files.s3.cn-north-1.amazonaws.com.cn/${KEY}`);
  });

  it('refuses keys it did not make', () => {
    const backend = new S3Backend({ ...settings, endpoint: 'http://127.0.0.1:9000' });
    for (const key of ['../secrets', '/abs', 'a/../../b', 'name with space', '报告.pdf', '']) expect(() => backend.objectUrl(key)).toThrow(/bad storage key/);
  });
});
