import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { DomainError } from '../errors.js';

/** How long a first answer is kept for its retries. */
export const KEEP_HOURS = 24;
/** How long a retry waits for the first request with its key to finish before it is told to try later. */
export const WAIT_SECONDS = 60;
/** Connections that hold the keys' locks; a pool of their own, so requests holding a lock never starve their own queries. */
const LOCK_CONNECTIONS = 10;
/** Expired rows removed per stored answer: the table stays about a day's worth without a job of its own. */
const CLEANUP_BATCH = 100;

/** A stored first answer. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface KeyedRequest { userId: string; key: string; method: string; path: string; hash: string }

/** Either the first answer to replay, or the claim on the key: finish with the answer to keep (null: keep none). */
export type KeyClaim =
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'first'; finish: (answer: StoredAnswer | null) => Promise<void> };

export class IdempotencyKeyReused extends DomainError {
  constructor(path: string) {
    super('IDEMPOTENCY_KEY_REUSED', 422, `This Idempotency-Key was already used for a different request (${path}); send a new key for a new request`);
  }
}

export class IdempotencyKeyInProgress extends DomainError {
  constructor() {
    super('IDEMPOTENCY_KEY_IN_PROGRESS', 409, 'A request with this Idempotency-Key is still running; retry later');
  }
}

/**
 * idempotency_record rows, and a transaction-scoped advisory lock per (user, key) held from the
 * first request's start until its answer is stored: a concurrent retry waits on the lock and then
 * finds the answer. A crash releases the lock with its connection, keeping no answer, so the retry runs.
 */
@Injectable()
export class IdempotencyStore implements OnModuleDestroy {
  private readonly logger = new Logger('Idempotency');
  private pool: pg.Pool | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private locks(): pg.Pool {
    if (!this.pool) {
      const options = this.db.options as { url?: string };
      this.pool = new pg.Pool({ connectionString: options.url, max: LOCK_CONNECTIONS, connectionTimeoutMillis: WAIT_SECONDS * 1000 });
      this.pool.on('error', (error) => this.logger.warn(`idle lock connection failed: ${error.message}`));
    }
    return this.pool;
  }

  async claim(request: KeyedRequest): Promise<KeyClaim> {
    let client: pg.PoolClient;
    try {
      client = await this.locks().connect();
    } catch {
      throw new IdempotencyKeyInProgress();
    }
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '${WAIT_SECONDS}s'`);
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`idempotency:${request.userId}:${request.key}`]);
      const { rows } = await client.query<{ method: string; path: string; request_hash: string; response_status: number; response_headers: Record<string, string>; response_body: Buffer }>(
        `SELECT method, path, request_hash, response_status, response_headers, response_body FROM idempotency_record
          WHERE user_id = $1 AND idempotency_key = $2 AND expires_at > now()`, [request.userId, request.key]);
      const found = rows[0];
      if (found) {
        await client.query('COMMIT');
        client.release();
        if (found.request_hash !== request.hash) throw new IdempotencyKeyReused(`${found.method} ${found.path}`);
        return { kind: 'replay', answer: { status: found.response_status, headers: found.response_headers, body: found.response_body } };
      }
    } catch (error) {
      if (error instanceof IdempotencyKeyReused) throw error;
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      if ((error as { code?: string }).code === '55P03') throw new IdempotencyKeyInProgress();
      throw error;
    }
    let finished = false;
    return {
      kind: 'first',
      finish: async (answer) => {
        if (finished) return;
        finished = true;
        try {
          if (answer) await this.keep(client, request, answer);
          await client.query('COMMIT');
          client.release();
        } catch (error) {
          this.logger.error(`the answer to ${request.method} ${request.path} could not be kept: ${(error as Error).message}`);
          await client.query('ROLLBACK').catch(() => undefined);
          client.release(true);
        }
      },
    };
  }

  private async keep(client: pg.PoolClient, request: KeyedRequest, answer: StoredAnswer): Promise<void> {
    // An expired row for the same key is replaced: the key is free again after a day.
    await client.query(
      `INSERT INTO idempotency_record (user_id, idempotency_key, method, path, request_hash, response_status, response_headers, response_body, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(hours => $9))
       ON CONFLICT (user_id, idempotency_key) DO UPDATE SET method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash,
         response_status = EXCLUDED.response_status, response_headers = EXCLUDED.response_headers, response_body = EXCLUDED.response_body,
         created_at = now(), expires_at = EXCLUDED.expires_at
       WHERE idempotency_record.expires_at <= now()`,
      [request.userId, request.key, request.method, request.path, request.hash, answer.status, JSON.stringify(answer.headers), answer.body, KEEP_HOURS]);
    await client.query(
      `DELETE FROM idempotency_record WHERE id IN (SELECT id FROM idempotency_record WHERE expires_at <= now() ORDER BY expires_at LIMIT ${CLEANUP_BATCH} FOR UPDATE SKIP LOCKED)`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
    this.pool = null;
  }
}
