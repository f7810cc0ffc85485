import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { ObjectStoreError, S3Backend, type S3Settings } from '../../src/modules/files/s3.backend.js';
import { checkSignature, startS3Server, type S3TestServer } from '../support/s3-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { officeDocument } from '../support/file-samples.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('S3-compatible file storage', () => {
  let s3: S3TestServer;
  let settings: S3Settings;
  /** Looks into the bucket directly, not through the backend under test. */
  let bucketClient: AwsClient;
  const objectKeys = async (prefix: string) => {
    const res = await bucketClient.fetch(`${s3.endpoint}/${s3.bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}`);
    expect(res.status).toBe(200);
    return [...(await res.text()).matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]);
  };
  const objectBytes = async (key: string) => Buffer.from(await (await bucketClient.fetch(`${s3.endpoint}/${s3.bucket}/${key}`)).arrayBuffer());

  beforeAll(async () => {
    s3 = await startS3Server();
    settings = { endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true, prefix: 'unit/' };
    bucketClient = new AwsClient({ accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, service: 's3', region: s3.region, retries: 0 });
  });
  afterAll(async () => { await s3?.close(); });

  it('checks signatures the way AWS documents them (so a passing request really was signed right)', () => {
    const published = {
      method: 'GET', url: '/test.txt',
      headers: {
        host: 'examplebucket.s3.amazonaws.com', range: 'bytes=0-9', 'x-amz-date': '20130524T000000Z',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      },
    };
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(checkSignature(published as never, secret, 'us-east-1')).toBeNull();
    expect(checkSignature({ ...published, headers: { ...published.headers, range: 'bytes=0-10' } } as never, secret, 'us-east-1')).toBe('SignatureDoesNotMatch');
  });

  it('writes, reads back and removes objects under the prefix; removing twice is fine', async () => {
    const backend = new S3Backend(settings);
    const docx = officeDocument('word');
    await backend.write('submission/2026/05/0b6f3a52-0000-4000-8000-000000000001', docx);
    expect(await objectKeys('unit/')).toEqual(['unit/submission/2026/05/0b6f3a52-0000-4000-8000-000000000001']);
    expect(Buffer.compare(await collect(await backend.read('submission/2026/05/0b6f3a52-0000-4000-8000-000000000001')), docx)).toBe(0);

    await backend.remove('submission/2026/05/0b6f3a52-0000-4000-8000-000000000001');
    await backend.remove('submission/2026/05/0b6f3a52-0000-4000-8000-000000000001');
    expect(await objectKeys('unit/')).toEqual([]);
    expect(s3.refusals).toEqual([]);
  });

  it('rejects reading a missing object with the store\'s reason, and refuses keys that are not ours', async () => {
    const backend = new S3Backend(settings);
    const missing = await backend.read('submission/2026/05/0b6f3a52-0000-4000-8000-00000000dead').then(() => null, (error: unknown) => error);
    expect(missing).toBeInstanceOf(ObjectStoreError);
    expect(missing).toMatchObject({ status: 404, code: 'NoSuchKey', operation: 'read' });
    await expect(backend.write('../escape', PDF)).rejects.toThrow(/bad storage key/);
    await expect(backend.read('Upper/Case.pdf')).rejects.toThrow(/bad storage key/);
  });

  it('fails loudly, writing nothing, when the secret key is wrong', async () => {
    const backend = new S3Backend({ ...settings, secretAccessKey: 'not-the-secret' });
    const refused = await backend.write('submission/2026/05/0b6f3a52-0000-4000-8000-000000000002', PDF).then(() => null, (error: unknown) => error);
    expect(refused).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(s3.refusals).toEqual(['SignatureDoesNotMatch']);
    s3.refusals.length = 0;
    expect(await objectKeys('unit/')).toEqual([]);
  });

  describe('through the application (FILE_STORAGE=s3)', () => {
    let t: TestApp;
    let dataDir: string;
    let token: string;
    let serial = 0;
    const submitClaim = (file: { bytes: Buffer; name: string; type: string }) => t.http().post('/api/me/claims').set('Authorization', `Bearer ${token}`)
      .field('title', '青浦区幼儿园游戏化课程研修').field('provider', '上海市学前教育学会').field('certificateNumber', `S3-2026-${++serial}`)
      .field('hours', '6').field('category', 'knowledge_skills').field('level', 'city').field('occurredOn', '2026-10-18')
      .attach('evidence', file.bytes, { filename: file.name, contentType: file.type });
    const download = (id: string) => t.http().get(`/api/files/${id}`).set('Authorization', `Bearer ${token}`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'tgp-s3-app-'));
      t = await startTestApp({
        env: {
          DATA_DIR: dataDir, FILE_STORAGE: 's3', S3_ENDPOINT: s3.endpoint, S3_REGION: s3.region, S3_BUCKET: s3.bucket,
          S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_FORCE_PATH_STYLE: 'true', S3_PREFIX: 'qingpu',
        },
      });
      token = await t.token('teacher');
    });
    afterAll(async () => {
      await t?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('keeps uploaded evidence in the bucket and serves it back byte for byte as a download', async () => {
      const claim = (await submitClaim({ bytes: PDF, name: '结业证书.pdf', type: 'application/pdf' }).expect(201)).body;
      const { rows: [file] } = await t.db.pool.query('SELECT storage_key FROM stored_file WHERE id = $1', [claim.evidence.id]);
      expect(await objectKeys('qingpu/')).toEqual([`qingpu/${file.storage_key}`]);
      expect(Buffer.compare(await objectBytes(`qingpu/${file.storage_key}`), PDF)).toBe(0);
      expect(existsSync(join(dataDir, 'files'))).toBe(false);

      const res = await download(claim.evidence.id).expect(200);
      expect(Buffer.compare(res.body as Buffer, PDF)).toBe(0);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(/^attachment; /);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(s3.refusals).toEqual([]);
    });

    it('puts nothing in the bucket for a refused upload', async () => {
      const before = await objectKeys('qingpu/');
      const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
      const refused = await submitClaim({ bytes: html, name: '证书.pdf', type: 'application/pdf' }).expect(400);
      expect(refused.body.error.details.fields).toEqual([expect.objectContaining({ field: 'evidence', code: 'FILE_TYPE_NOT_ALLOWED' })]);
      expect(await objectKeys('qingpu/')).toEqual(before);
    });

    it('answers not found when the object has gone from the bucket', async () => {
      const claim = (await submitClaim({ bytes: PDF, name: '证书.pdf', type: 'application/pdf' }).expect(201)).body;
      const { rows: [file] } = await t.db.pool.query('SELECT storage_key FROM stored_file WHERE id = $1', [claim.evidence.id]);
      await new S3Backend({ ...settings, prefix: 'qingpu' }).remove(file.storage_key);
      await download(claim.evidence.id).expect(404);
    });
  });
});
