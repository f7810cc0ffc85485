import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spreadsheet imports (staff, org units, credit history) as resumable jobs with a per-row dry run,
 * large exports as jobs, and imported ledger entries that name their original source.
 */
export class ImportsExports1764500000000 implements MigrationInterface {
  name = 'ImportsExports1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE credit_entry DROP CONSTRAINT credit_entry_source_check;
      ALTER TABLE credit_entry ADD CONSTRAINT credit_entry_source_check
        CHECK (source IN ('course_completion','program','mentoring','contest','external_training','lecture_series','manual_adjustment','import'));
      ALTER TABLE credit_entry ADD COLUMN imported_source text CHECK (length(imported_source) BETWEEN 1 AND 200);
      ALTER TABLE credit_entry ADD CONSTRAINT credit_entry_import_names_source CHECK (source <> 'import' OR reverses_entry_id IS NOT NULL OR imported_source IS NOT NULL);

      -- mapping: {targetField: sourceHeader}; counts: {create, update, unchanged, error}.
      -- status: uploaded → validating → validated → applying → applied; failed when the file cannot be read; cancelled by the user.
      CREATE TABLE import_job (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kind text NOT NULL CHECK (kind IN ('staff','org_units','credit_history')),
        status text NOT NULL CHECK (status IN ('uploaded','validating','validated','applying','applied','failed','cancelled')),
        file_id uuid NOT NULL REFERENCES stored_file(id),
        original_name text NOT NULL,
        headers text[] NOT NULL DEFAULT '{}',
        mapping jsonb NOT NULL DEFAULT '{}'::jsonb,
        total_rows int NOT NULL DEFAULT 0,
        rows_done int NOT NULL DEFAULT 0,
        error_count int NOT NULL DEFAULT 0,
        counts jsonb NOT NULL DEFAULT '{}'::jsonb,
        failure_code text,
        failure_message text,
        result_file_id uuid REFERENCES stored_file(id),
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        validated_at timestamptz,
        confirmed_by uuid REFERENCES app_user(id),
        confirmed_at timestamptz,
        finished_at timestamptz,
        version int NOT NULL DEFAULT 1
      );
      CREATE INDEX import_job_district_idx ON import_job (district_id, created_at DESC);

      -- One row per data row of the file: its dry-run outcome, the normalised values to write, and whether it has been written.
      CREATE TABLE import_row (
        job_id uuid NOT NULL REFERENCES import_job(id) ON DELETE CASCADE,
        row_number int NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('create','update','unchanged','error')),
        match_key text,
        errors jsonb NOT NULL DEFAULT '[]'::jsonb,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        applied_at timestamptz,
        PRIMARY KEY (job_id, row_number)
      );
      CREATE INDEX import_row_pending_idx ON import_row (job_id, row_number) WHERE applied_at IS NULL AND outcome IN ('create','update');

      -- params: the list's filters as the page had them; columns decided at request time by what the user may see.
      CREATE TABLE export_job (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        district_id uuid REFERENCES org_unit(id),
        kind text NOT NULL CHECK (kind ~ '^[a-z][a-z_]{1,39}$'),
        format text NOT NULL CHECK (format IN ('xlsx','csv')),
        params jsonb NOT NULL DEFAULT '{}'::jsonb,
        unmasked boolean NOT NULL DEFAULT false,
        status text NOT NULL CHECK (status IN ('queued','running','ready','failed')),
        row_count int,
        file_id uuid REFERENCES stored_file(id),
        failure_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE INDEX export_job_user_idx ON export_job (user_id, created_at DESC);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE export_job, import_row, import_job;
      ALTER TABLE credit_entry DROP CONSTRAINT credit_entry_import_names_source;
      ALTER TABLE credit_entry DROP COLUMN imported_source;
      ALTER TABLE credit_entry DROP CONSTRAINT credit_entry_source_check;
      ALTER TABLE credit_entry ADD CONSTRAINT credit_entry_source_check
        CHECK (source IN ('course_completion','program','mentoring','contest','external_training','lecture_series','manual_adjustment'));
    `);
  }
}
