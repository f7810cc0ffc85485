import { createHash, createHmac } from 'node:crypto';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RESPONSE_PASSTHROUGH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import type { Request, Response } from 'express';
import { from, of, switchMap, type Observable } from 'rxjs';
import type { AccessContext } from '../access-context.js';
import { ValidationFailed } from '../errors.js';
import { SECRETS } from '../core.module.js';
import type { Secrets } from '../../config/secrets.js';
import { isApiRequest } from '../web/locale.js';
import { NO_IDEMPOTENCY } from './no-idempotency.decorator.js';
import { IdempotencyStore, type KeyedRequest, type StoredAnswer } from './idempotency.store.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Visible ASCII only (a UUID, a ULID, anything a client library makes). */
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
/** Answers bigger than this are not kept (a retry then runs again): JSON answers of POSTs are far smaller. */
const MAX_KEPT_BYTES = 1024 * 1024;
/** Headers a replay repeats; cookies and the like are never kept. */
const KEPT_HEADERS = ['content-type', 'location', 'cache-control'];
/** Only answers that came from the request itself are kept: not timeouts, throttling, or server failures (a retry may then succeed). */
const keptStatus = (status: number) => (status >= 200 && status < 300) || (status >= 400 && status < 500 && ![408, 425, 429].includes(status));
/** A lock is never held longer than this, even if a handler never answers. */
const HOLD_LIMIT_MS = 10 * 60_000;

/**
 * `Idempotency-Key` on API POSTs: the first answer (status, JSON or text body, the headers above)
 * to a key is kept a day per user and given back to any later request with the same key, and a
 * concurrent one waits for it; the same key on another request is refused (422
 * IDEMPOTENCY_KEY_REUSED). Without the header nothing changes. Not covered: page forms (they
 * redirect and dedupe double clicks themselves), anonymous requests (only sign-in, which is
 * excluded), routes marked `@NoIdempotency(reason)`, and answers that are files or streams or over
 * 1 MB, which are sent but not kept, so such a request runs again on a retry.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector, private readonly store: IdempotencyStore, @Inject(SECRETS) private readonly secrets: Secrets) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const sent = req.headers['idempotency-key'];
    if (req.method !== 'POST' || sent === undefined || idempotencyExclusion(this.reflector, context.getHandler(), context.getClass()) !== null) {
      return next.handle();
    }
    if (!isApiRequest(req)) return next.handle();
    const key = Array.isArray(sent) ? sent.join(',') : sent;
    if (!KEY_PATTERN.test(key)) {
      throw ValidationFailed.field(IDEMPOTENCY_HEADER, 'INVALID_IDEMPOTENCY_KEY', `${IDEMPOTENCY_HEADER} must be 1–200 visible ASCII characters`);
    }
    const access = req.user as AccessContext | undefined;
    if (!access) return next.handle();
    const path = req.originalUrl.split('?')[0];
    const request: KeyedRequest = { userId: access.userId, key, method: req.method, path, hash: requestHash(req, this.secrets.sessionSecret) };
    const writesItself = respondsItself(context);
    return from(this.store.claim(request)).pipe(switchMap((claim) => {
      if (claim.kind === 'replay') return of(replay(res, claim.answer, writesItself));
      keepAnswer(res, claim.finish);
      return next.handle();
    }));
  }
}

/** The reason a route is excluded, or null when a key sent to it is honoured. */
export function idempotencyExclusion(reflector: Reflector, handler: object, controller: object): string | null {
  return reflector.getAllAndOverride<string | undefined>(NO_IDEMPOTENCY, [handler as () => void, controller as () => void]) ?? null;
}

/**
 * What makes two requests the same: method, path and query, the body, and every uploaded file's
 * bytes. Keyed with a server secret, as a body may hold a password: the stored hash tells nothing.
 */
export function requestHash(req: Request, secret: string): string {
  const files = [req.upload?.file, ...(req.uploads?.files ?? [])].filter((f) => !!f)
    .map((f) => [f.originalName, createHash('sha256').update(f.buffer).digest('hex')]);
  const problems = [req.upload?.problem?.code ?? null, req.uploads?.problem?.code ?? null];
  return createHmac('sha256', secret).update(canonicalJson([req.method, req.originalUrl, req.body ?? null, files, problems])).digest('hex');
}

/** JSON with object keys sorted, so the same body always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether the handler writes the response itself (`@Res()` without passthrough), so Nest sends nothing after it. */
function respondsItself(context: ExecutionContext): boolean {
  const controller = context.getClass();
  const name = context.getHandler().name;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, unknown>;
  const takesResponse = Object.keys(args).some((k) => k.startsWith('1:') || k.startsWith('2:'));
  return takesResponse && !Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, controller, name);
}

/** Sends the kept answer: its status and headers, and its body through Nest's usual reply. */
function replay(res: Response, answer: StoredAnswer, writesItself: boolean): unknown {
  res.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.setHeader('Idempotent-Replayed', 'true');
  if (writesItself) {
    res.end(answer.body);
    return undefined;
  }
  if (answer.body.length === 0) return undefined;
  const text = answer.body.toString('utf8');
  if (/json/i.test(answer.headers['content-type'] ?? '')) {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object') return parsed;
  }
  return text;
}

/** Watches what the response writes and, when it ends, keeps it (or not) and lets the key's lock go before the end goes out. */
function keepAnswer(res: Response, finish: (answer: StoredAnswer | null) => Promise<void>): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  let done = false;
  const collect = (chunk: unknown, encoding?: unknown) => {
    if (tooBig || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const bytes = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
    size += bytes.length;
    if (size > MAX_KEPT_BYTES) { tooBig = true; chunks.length = 0; } else chunks.push(bytes);
  };
  const settle = async (answer: StoredAnswer | null) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    await finish(answer);
  };
  const timer = setTimeout(() => void settle(null), HOLD_LIMIT_MS);
  timer.unref();
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.write = ((...args: unknown[]) => { collect(args[0], args[1]); return write(...args); }) as Response['write'];
  // The answer goes out once it is kept: a client that has it can count on a retry getting it back.
  res.end = ((...args: unknown[]) => {
    if (done) return end(...args);
    collect(args[0], args[1]);
    void settle(keepable(res, tooBig ? null : Buffer.concat(chunks))).then(() => end(...args));
    return res;
  }) as Response['end'];
}

/** The answer as kept, or null when it is not kept (a failure, a file or stream, or too big). */
function keepable(res: Response, body: Buffer | null): StoredAnswer | null {
  if (!body || !keptStatus(res.statusCode)) return null;
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  const type = headers['content-type'] ?? '';
  if (body.length > 0 && !/^(application\/json|text\/)/i.test(type)) return null;
  return { status: res.statusCode, headers, body };
}
