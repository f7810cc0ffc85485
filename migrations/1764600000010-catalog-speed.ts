import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalog's "open for enrolment now" filter finds each course's open offerings by index (course, close
 * time) among published offerings only, instead of reading every offering of every course that reaches the
 * learner: the past terms' offerings grow every half-year, the open ones do not.
 */
export class CatalogSpeed1764600000010 implements MigrationInterface {
  name = 'CatalogSpeed1764600000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX offering_published_course_idx ON offering (course_id, enrol_closes_at) INCLUDE (enrol_opens_at) WHERE status = 'published';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX offering_published_course_idx`);
  }
}
