import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Job submissions Redis could not take (down, or too slow): kept here and sent by every process's
 * relay once Redis answers again. `job_id` is the queue's dedupe key, so a double send runs the job once.
 */
export class JobOutbox1764600000040 implements MigrationInterface {
  name = 'JobOutbox1764600000040';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE job_outbox (
        id bigserial PRIMARY KEY,
        job_name text NOT NULL CHECK (length(job_name) BETWEEN 1 AND 100),
        payload jsonb NOT NULL,
        job_id text NOT NULL CHECK (length(job_id) BETWEEN 1 AND 300),
        delay_ms int NOT NULL DEFAULT 0 CHECK (delay_ms >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text
      );
      -- One pending submission per job: a retry or a double click while Redis is away keeps one row.
      CREATE UNIQUE INDEX job_outbox_pending_job ON job_outbox (job_id) WHERE sent_at IS NULL;
      CREATE INDEX job_outbox_pending ON job_outbox (id) WHERE sent_at IS NULL;
      CREATE INDEX job_outbox_sent ON job_outbox (sent_at) WHERE sent_at IS NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE job_outbox`);
  }
}
