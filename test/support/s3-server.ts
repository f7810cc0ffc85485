import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverOptions = { address: string; port: number; silent: boolean; directory: string; configureBuckets: Array<{ name: string }> };
// s3rver ships no types and is CommonJS.
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: S3rverOptions) => S3rverInstance;

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  region: string;
  /** s3rver's one account. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Why requests were refused by the signature check, in order. */
  refusals: string[];
  close(): Promise<void>;
}

/**
 * A real S3-compatible server on loopback: s3rver (npm), behind a front that checks what s3rver does
 * not, namely the AWS Signature V4 of every request and that the body matches its declared SHA-256
 * and MD5, answering refusals as S3 does (XML with a Code).
 */
export async function startS3Server(bucket = 'tgp-files', region = 'us-east-1'): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'tgp-s3-'));
  const store = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const inner = await store.run();
  const secretAccessKey = 'S3RVER';
  const refusals: string[] = [];
  const front = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const refusal = checkSignature(req, secretAccessKey, region) ?? checkBody(req, body);
      if (refusal) {
        refusals.push(refusal);
        res.writeHead(refusal === 'SignatureDoesNotMatch' ? 403 : 400, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${refusal}</Code></Error>`);
        return;
      }
      forward(req, body, res, inner.port);
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`, bucket, region, accessKeyId: 'S3RVER', secretAccessKey, refusals,
    async close() {
      await new Promise<void>((resolve) => closeServer(front, resolve));
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function closeServer(server: Server, done: () => void) {
  server.close(() => done());
  server.closeAllConnections();
}

function forward(req: IncomingMessage, body: Buffer, res: ServerResponse, port: number) {
  const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => res.writeHead(502).end());
  upstream.end(body);
}

const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Recomputes the request's SigV4 signature from what arrived (an independent implementation of the S3 rules). */
export function checkSignature(req: IncomingMessage, secret: string, region: string): string | null {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
  if (!auth) return 'AccessDenied';
  const [, , date, scopeRegion, signedHeaders, signature] = auth;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (scopeRegion !== region || !amzDate.startsWith(date) || !payloadHash || !signedHeaders.split(';').includes('host')) return 'AuthorizationHeaderMalformed';
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const canonicalUri = url.pathname.split('/').map((segment) => encode(decodeURIComponent(segment))).join('/');
  const canonicalQuery = [...url.searchParams].map(([k, v]) => `${encode(k)}=${encode(v)}`).sort().join('&');
  const canonicalHeaders = signedHeaders.split(';').map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = [date, region, 's3', 'aws4_request'].reduce<Buffer | string>((k, part) => createHmac('sha256', k).update(part).digest(), `AWS4${secret}`);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex')) ? null : 'SignatureDoesNotMatch';
}

function checkBody(req: IncomingMessage, body: Buffer): string | null {
  const declared = String(req.headers['x-amz-content-sha256']);
  if (declared !== 'UNSIGNED-PAYLOAD' && declared !== createHash('sha256').update(body).digest('hex')) return 'XAmzContentSHA256Mismatch';
  const md5 = req.headers['content-md5'];
  if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64')) return 'BadDigest';
  return null;
}
