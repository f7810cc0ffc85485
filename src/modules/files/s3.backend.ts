import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { AwsClient } from 'aws4fetch';
import type { AppConfig } from '../../config/config.schema.js';
import type { FileStorageBackend } from './file-storage.backend.js';

/** Keys are ours (purpose/year/month/uuid), so they never need escaping in a URL or a signature. */
const KEY_PATTERN = /^[a-z0-9][a-z0-9/-]{0,199}$/;
const WRITE_TIMEOUT_MS = 10 * 60_000;
const RESPONSE_TIMEOUT_MS = 60_000;

export interface S3Settings {
  /** The store's base URL; absent for AWS S3 itself. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `bucket` as the URL's first folder (MinIO) rather than as a host name (AWS, OSS, COS). */
  forcePathStyle: boolean;
  /** Folder inside the bucket for this platform's objects. */
  prefix?: string;
}

export function s3SettingsFrom(config: AppConfig): S3Settings {
  return {
    endpoint: config.S3_ENDPOINT, region: config.S3_REGION, bucket: config.S3_BUCKET!,
    accessKeyId: config.S3_ACCESS_KEY_ID!, secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: config.S3_FORCE_PATH_STYLE, prefix: config.S3_PREFIX,
  };
}

/** A refusal or failure answered by the object store, with its S3 error code (`NoSuchKey`, `AccessDenied`, ...). */
export class ObjectStoreError extends Error {
  constructor(readonly operation: string, readonly key: string, readonly status: number, readonly code: string | null) {
    super(`object store ${operation} ${key}: HTTP ${status}${code ? ` ${code}` : ''}`);
  }
}

/**
 * Files in an S3-compatible bucket (AWS S3, MinIO, Aliyun OSS and Tencent COS in S3 mode), signed with
 * AWS Signature V4 by aws4fetch over Node's fetch. Objects are written as opaque attachments and the
 * bucket stays private: downloads always go through GET /api/files/:id, which checks who may read.
 */
export class S3Backend implements FileStorageBackend {
  private readonly client: AwsClient;
  private readonly base: URL;

  constructor(private readonly settings: S3Settings) {
    // Retries only answers 5xx/429; every call here is safe to repeat (keys are never reused).
    this.client = new AwsClient({ accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey, service: 's3', region: settings.region, retries: 2 });
    // AWS's China regions (Beijing, Ningxia) live under their own domain.
    this.base = new URL(settings.endpoint ?? `https://s3.${settings.region}.amazonaws.com${settings.region.startsWith('cn-') ? '.cn' : ''}`);
  }

  async write(key: string, bytes: Buffer): Promise<void> {
    const response = await this.client.fetch(this.objectUrl(key), {
      method: 'PUT',
      body: bytes,
      headers: {
        // The store checks both, so bytes damaged on the way are refused rather than kept.
        'x-amz-content-sha256': createHash('sha256').update(bytes).digest('hex'),
        'content-md5': createHash('md5').update(bytes).digest('base64'),
        // Should the bucket ever be exposed, a browser still only downloads.
        'content-type': 'application/octet-stream',
        'content-disposition': 'attachment',
      },
      signal: AbortSignal.timeout(WRITE_TIMEOUT_MS),
    });
    await expectOk(response, 'write', key);
  }

  async read(key: string): Promise<Readable> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error('object store did not answer')), RESPONSE_TIMEOUT_MS);
    try {
      const response = await this.client.fetch(this.objectUrl(key), { method: 'GET', signal: abort.signal });
      await expectOk(response, 'read', key);
      if (!response.body) throw new ObjectStoreError('read', key, response.status, null);
      return Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>);
    } finally {
      // Only the wait for the answer is limited; a long download may take as long as it needs.
      clearTimeout(timer);
    }
  }

  async remove(key: string): Promise<void> {
    const response = await this.client.fetch(this.objectUrl(key), { method: 'DELETE', signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS) });
    if (response.status === 404) {
      await response.arrayBuffer();
      return;
    }
    await expectOk(response, 'remove', key);
  }

  /** The object's URL: `endpoint/bucket/prefix/key` (path style) or `bucket.endpoint/prefix/key`. */
  objectUrl(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new Error(`bad storage key: ${key}`);
    const objectKey = this.settings.prefix ? `${this.settings.prefix.replace(/\/+$/, '')}/${key}` : key;
    const url = new URL(this.base);
    const basePath = url.pathname.replace(/\/+$/, '');
    if (this.settings.forcePathStyle) {
      url.pathname = `${basePath}/${this.settings.bucket}/${objectKey}`;
    } else {
      url.hostname = `${this.settings.bucket}.${url.hostname}`;
      url.pathname = `${basePath}/${objectKey}`;
    }
    return url.toString();
  }
}

/** Consumes the answer (so the connection is reused) and throws the store's error unless it succeeded. */
async function expectOk(response: Response, operation: string, key: string): Promise<void> {
  if (response.ok) {
    if (operation !== 'read') await response.arrayBuffer();
    return;
  }
  const text = await response.text().catch(() => '');
  throw new ObjectStoreError(operation, key, response.status, /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? null);
}
