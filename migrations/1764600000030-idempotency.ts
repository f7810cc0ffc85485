import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first answer to each API POST sent with an `Idempotency-Key`, per user, so a retry or a
 * double submit gets that answer back instead of doing the work twice. Kept about a day.
 */
export class Idempotency1764600000030 implements MigrationInterface {
  name = 'Idempotency1764600000030';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- request_hash: sha256 of the method, path with query, body and uploaded files' bytes.
      -- response_body: the answer's bytes (JSON or text, at most 1 MB); headers: content-type, location, cache-control.
      CREATE TABLE idempotency_record (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        method text NOT NULL,
        path text NOT NULL,
        request_hash text NOT NULL CHECK (length(request_hash) = 64),
        response_status smallint NOT NULL CHECK (response_status BETWEEN 200 AND 499),
        response_headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        response_body bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        UNIQUE (user_id, idempotency_key)
      );
      CREATE INDEX idempotency_record_expires_idx ON idempotency_record (expires_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_record`);
  }
}
