import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The credit ledger (append-only, enforced by triggers), credit cycles, requirement schemes with
 * their rules, claims for outside training with their evidence files, and the log of
 * compliance reminders already sent.
 */
export class Credits1764000000000 implements MigrationInterface {
  name = 'Credits1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- Regions are named by org unit code (e.g. 'SH'); NULL means everywhere (national).
      CREATE TABLE credit_cycle (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code text,
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
        name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 100),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        UNIQUE NULLS NOT DISTINCT (region_code, code),
        CHECK (ends_on > starts_on)
      );

      CREATE TABLE stored_file (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid REFERENCES org_unit(id),
        owner_user_id uuid REFERENCES app_user(id),
        purpose text NOT NULL CHECK (purpose IN ('claim_evidence','submission','import','other')),
        original_name text NOT NULL CHECK (length(original_name) BETWEEN 1 AND 255),
        content_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX stored_file_sha_idx ON stored_file (sha256);

      CREATE TABLE credit_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        hours numeric(7,1) NOT NULL CHECK (abs(hours) <= 2000),
        credits numeric(7,2) NOT NULL CHECK (abs(credits) <= 500),
        category text NOT NULL CHECK (category IN ('ethics','knowledge_skills','practice','self_study')),
        level text NOT NULL CHECK (level IN ('city','district','kindergarten')),
        source text NOT NULL CHECK (source IN ('course_completion','program','mentoring','contest','external_training','lecture_series','manual_adjustment')),
        source_id text,
        source_key text UNIQUE,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        cycle_id uuid REFERENCES credit_cycle(id),
        occurred_on date NOT NULL,
        recorded_by uuid,
        approved_by uuid,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        reverses_entry_id uuid UNIQUE REFERENCES credit_entry(id),
        reason text CHECK (length(reason) <= 1000),
        CHECK ((reverses_entry_id IS NULL AND hours >= 0 AND credits >= 0)
            OR (reverses_entry_id IS NOT NULL AND hours <= 0 AND credits <= 0 AND reason IS NOT NULL))
      );
      CREATE INDEX credit_entry_person_idx ON credit_entry (person_id, occurred_on);
      CREATE INDEX credit_entry_district_idx ON credit_entry (district_id, occurred_on);

      -- The ledger is append-only: corrections are reversal rows, never updates or deletes.
      CREATE FUNCTION credit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'credit_entry is append-only: % refused', TG_OP USING ERRCODE = 'P0001';
      END $$;
      CREATE TRIGGER credit_entry_no_update BEFORE UPDATE OR DELETE ON credit_entry FOR EACH ROW EXECUTE FUNCTION credit_entry_append_only();
      CREATE TRIGGER credit_entry_no_truncate BEFORE TRUNCATE ON credit_entry FOR EACH STATEMENT EXECUTE FUNCTION credit_entry_append_only();

      CREATE TABLE requirement_scheme (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_.-]{1,59}$'),
        name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 200),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
        region_code text,
        posts text[] NOT NULL DEFAULT '{}',
        teacher_stages text[] NOT NULL DEFAULT '{}',
        principal_stages text[] NOT NULL DEFAULT '{}',
        unit text NOT NULL CHECK (unit IN ('credits','hours')),
        cycle_kind text NOT NULL CHECK (cycle_kind IN ('region_cycle','probation_year','before_post')),
        total numeric(7,2) NOT NULL CHECK (total > 0),
        rules jsonb NOT NULL DEFAULT '[]'::jsonb,
        effective_from date NOT NULL,
        effective_to date,
        editable boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CHECK (effective_to IS NULL OR effective_to >= effective_from)
      );

      CREATE TABLE credit_claim (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kindergarten_id uuid REFERENCES org_unit(id),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        provider text NOT NULL CHECK (length(provider) BETWEEN 1 AND 200),
        certificate_number text NOT NULL CHECK (length(certificate_number) BETWEEN 1 AND 100),
        hours numeric(7,1) NOT NULL CHECK (hours > 0 AND hours <= 2000),
        credits numeric(7,2) NOT NULL CHECK (credits >= 0 AND credits <= 500),
        category text NOT NULL CHECK (category IN ('ethics','knowledge_skills','practice','self_study')),
        level text NOT NULL CHECK (level IN ('city','district','kindergarten')),
        occurred_on date NOT NULL,
        evidence_file_id uuid NOT NULL REFERENCES stored_file(id),
        status text NOT NULL CHECK (status IN ('submitted','kindergarten_approved','approved','rejected')),
        kindergarten_reviewed_by uuid,
        kindergarten_reviewed_at timestamptz,
        decided_by uuid,
        decided_at timestamptz,
        reject_reason text,
        entry_id uuid REFERENCES credit_entry(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status <> 'rejected' OR reject_reason IS NOT NULL),
        CHECK (status <> 'approved' OR entry_id IS NOT NULL)
      );
      CREATE UNIQUE INDEX credit_claim_certificate_idx ON credit_claim (person_id, lower(certificate_number)) WHERE status <> 'rejected';
      CREATE INDEX credit_claim_review_idx ON credit_claim (kindergarten_id, status);

      INSERT INTO credit_cycle (region_code, code, name_zh, name_en, starts_on, ends_on) VALUES
        (NULL, '2021-2025', '“十四五”周期（2021—2025）', '14th five-year cycle (2021-2025)', '2021-01-01', '2025-12-31'),
        (NULL, '2026-2030', '“十五五”周期（2026—2030）', '15th five-year cycle (2026-2030)', '2026-01-01', '2030-12-31');

      -- Rules: { category?, level?, min?, max? }; a rule with neither category nor level is not used (the total is its own column).
      -- Shanghai's 园本 "师德 ≥ 2, 素养 ≥ 2" are both parts of the 师德与素养 category, so the 园本 cell of that category is ≥ 4:
      -- with it every minimum adds up to exactly 36 (category 8/10/14/4; levels 7/10/15 plus 4 self-study).
      INSERT INTO requirement_scheme (code, name_zh, name_en, region_code, posts, teacher_stages, principal_stages, unit, cycle_kind, total, rules, effective_from, editable) VALUES
        ('sh-teacher-36', '上海市教师五年培训学分（“十四五”）', 'Shanghai five-year teacher credits (14th plan)', 'SH', '{teacher}', '{}', '{}', 'credits', 'region_cycle', 36,
         '[{"category":"ethics","min":8},{"category":"knowledge_skills","min":10},{"category":"practice","min":14},{"category":"self_study","min":4,"max":4},
           {"level":"city","min":7},{"level":"city","category":"ethics","min":2},{"level":"city","category":"knowledge_skills","min":4},{"level":"city","category":"practice","min":1},
           {"level":"district","min":10},{"level":"district","category":"ethics","min":2},{"level":"district","category":"knowledge_skills","min":6},{"level":"district","category":"practice","min":2},
           {"level":"kindergarten","min":15},{"level":"kindergarten","category":"ethics","min":4},{"level":"kindergarten","category":"practice","min":11}]',
         '2021-01-01', true),
        ('national-staff-360h', '全员五年培训 360 学时', 'Whole-staff 360 hours per five years', NULL, '{teacher,caregiver,health,nutrition,other}', '{}', '{}', 'hours', 'region_cycle', 360, '[]', '2011-01-01', false),
        ('national-new-teacher-120h', '新教师试用期培训 120 学时', 'New teachers: 120 hours in the probation year', NULL, '{teacher}', '{}', '{}', 'hours', 'probation_year', 120, '[]', '2011-01-01', false),
        ('national-principal-360h', '在职园长五年培训 360 学时', 'Serving principals: 360 hours per five years', NULL, '{principal,vice_principal}', '{}', '{}', 'hours', 'region_cycle', 360, '[]', '2013-01-01', false),
        ('national-principal-qualification-300h', '园长任职资格培训 300 学时（任职前）', 'Principal qualification training: 300 hours before taking the post', NULL, '{}', '{}', '{reserve}', 'hours', 'before_post', 300, '[]', '2013-01-01', false),
        ('principal-stage-reserve', '后备园长学分', 'Reserve principals: credits', NULL, '{}', '{}', '{reserve}', 'credits', 'region_cycle', 36, '[]', '2021-01-01', true),
        ('principal-stage-new', '新任园长学分', 'New principals: credits', NULL, '{}', '{}', '{new}', 'credits', 'region_cycle', 36, '[]', '2021-01-01', true),
        ('principal-stage-growing', '成长期园长学分', 'Growing principals: credits', NULL, '{}', '{}', '{growing}', 'credits', 'region_cycle', 36, '[]', '2021-01-01', true),
        ('principal-stage-mature', '成熟期园长学分', 'Mature principals: credits', NULL, '{}', '{}', '{mature}', 'credits', 'region_cycle', 36, '[]', '2021-01-01', true),
        ('principal-stage-expert', '专家型园长学分', 'Expert principals: credits', NULL, '{}', '{}', '{expert}', 'credits', 'region_cycle', 36, '[]', '2021-01-01', true);

      CREATE TABLE compliance_reminder (
        person_id uuid NOT NULL REFERENCES person(id),
        scheme_id uuid NOT NULL REFERENCES requirement_scheme(id),
        cycle_ends_on date NOT NULL,
        months_before int NOT NULL CHECK (months_before IN (12, 6, 3)),
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (person_id, scheme_id, cycle_ends_on, months_before)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE compliance_reminder, credit_claim, requirement_scheme;
      DROP TABLE credit_entry;
      DROP FUNCTION credit_entry_append_only();
      DROP TABLE stored_file, credit_cycle;
    `);
  }
}
