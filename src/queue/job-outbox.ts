import type { DataSource } from 'typeorm';

/** A job submission Redis did not take, as kept in `job_outbox`. */
export interface KeptJob {
  id: string;
  name: string;
  payload: unknown;
  /** The queue's job id: sending the same row twice runs the job once. */
  jobId: string;
  /** The delay still to wait, counted from the original submission. */
  delayMs: number;
}

/** Rows taken per relay transaction. */
const RELAY_BATCH = 100;
/** Sent rows are kept a week for inspection, then purged by the relay. */
const KEEP_SENT_DAYS = 7;

/**
 * The job outbox (table `job_outbox`): submissions made while Redis was unreachable wait here, in
 * PostgreSQL, until a relay sends them. Rows are taken with `FOR UPDATE SKIP LOCKED`, so several
 * processes relaying at once never take the same row.
 */
export class JobOutbox {
  constructor(private readonly db: DataSource) {}

  /** Keeps a submission; a second one with the same job id while the first still waits changes nothing. */
  async keep(name: string, payload: unknown, jobId: string, delayMs: number, reason: string): Promise<void> {
    await this.db.query(
      `INSERT INTO job_outbox (job_name, payload, job_id, delay_ms, last_error) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (job_id) WHERE sent_at IS NULL DO NOTHING`,
      [name, JSON.stringify(payload ?? {}), jobId, Math.max(0, Math.round(delayMs)), reason.slice(0, 500)]);
  }

  /**
   * Sends waiting rows in batches with `send` and marks each one sent; stops at the first failure
   * (Redis went away again), recording it on the row. Answers how many rows were sent.
   */
  async relay(send: (job: KeptJob) => Promise<void>): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.db.transaction(async (manager) => {
        const rows: Array<{ id: string; job_name: string; payload: unknown; job_id: string; remaining: number }> = await manager.query(
          `SELECT id, job_name, payload, job_id,
                  greatest(0, delay_ms - floor(extract(epoch FROM now() - created_at) * 1000))::int AS remaining
             FROM job_outbox WHERE sent_at IS NULL ORDER BY id LIMIT ${RELAY_BATCH} FOR UPDATE SKIP LOCKED`);
        const done: string[] = [];
        let failure: { id: string; message: string } | null = null;
        for (const row of rows) {
          try {
            await send({ id: row.id, name: row.job_name, payload: row.payload, jobId: row.job_id, delayMs: row.remaining });
            done.push(row.id);
          } catch (error) {
            failure = { id: row.id, message: (error as Error).message };
            break;
          }
        }
        if (done.length) await manager.query(`UPDATE job_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [done]);
        if (failure) await manager.query(`UPDATE job_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [failure.id, failure.message.slice(0, 500)]);
        return { taken: rows.length, sent: done.length, failed: failure !== null };
      });
      sent += batch.sent;
      if (batch.failed || batch.taken < RELAY_BATCH) break;
    }
    if (sent) await this.db.query(`DELETE FROM job_outbox WHERE sent_at < now() - make_interval(days => ${KEEP_SENT_DAYS})`);
    return sent;
  }

  /** Submissions still waiting, and since when (for /health). */
  async backlog(): Promise<{ pending: number; oldestAt: Date | null }> {
    const [row]: Array<{ pending: number; oldest_at: Date | null }> = await this.db.query(
      `SELECT count(*)::int AS pending, min(created_at) AS oldest_at FROM job_outbox WHERE sent_at IS NULL`);
    return { pending: row.pending, oldestAt: row.oldest_at };
  }
}
