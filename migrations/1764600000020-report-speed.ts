import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the title-coverage report (issue 10): staff of a set of kindergartens on a day, and
 * the few people who have held a given title (高级/正高级) by a day, read from the index alone.
 */
export class ReportSpeed1764600000020 implements MigrationInterface {
  name = 'ReportSpeed1764600000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX employment_org_unit_start_idx ON employment (org_unit_id, start_date);
      CREATE INDEX title_record_title_idx ON title_record (title, effective_date) INCLUDE (person_id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX title_record_title_idx, employment_org_unit_start_idx`);
  }
}
