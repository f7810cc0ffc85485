import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Titles and targets: effective-dated title rules per region (defaults from DOMAIN.md), title
 * applications with their frozen dossier and two reviews, background checks (入职查询), integrity
 * pledges, the district's workforce targets as data, and staffing standards per region.
 */
export class TitlesTargets1764300000000 implements MigrationInterface {
  name = 'TitlesTargets1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- conditions: {fromTitle, yearsAtPrevious: {doctorate?, master?, bachelor?, junior_college?, secondary_vocational?, high_school?}
      --   (a missing level cannot apply), minEducation, creditsComplete (the person's scheme complete for the current cycle),
      --   certificates: [kind], extra: [{code, zh, en, ...}]}
      CREATE TABLE title_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code text,
        title text NOT NULL CHECK (title IN ('third','second','first','senior','professorial')),
        effective_from date NOT NULL,
        conditions jsonb NOT NULL CHECK (jsonb_typeof(conditions) = 'object'),
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE NULLS NOT DISTINCT (region_code, title, effective_from)
      );
      INSERT INTO title_rule (region_code, title, effective_from, conditions) VALUES
        (NULL, 'third', '2015-01-01', '{"fromTitle":null,"yearsAtPrevious":{"doctorate":1,"master":1,"bachelor":1,"junior_college":1},"minEducation":"junior_college","creditsComplete":false,"certificates":["teacher_qualification"],"extra":[]}'),
        (NULL, 'second', '2015-01-01', '{"fromTitle":"third","yearsAtPrevious":{"doctorate":0,"master":0,"bachelor":0,"junior_college":2,"secondary_vocational":3},"minEducation":"secondary_vocational","creditsComplete":true,"certificates":["teacher_qualification"],"extra":[]}'),
        (NULL, 'first', '2015-01-01', '{"fromTitle":"second","yearsAtPrevious":{"doctorate":0,"master":2,"bachelor":4,"junior_college":4,"secondary_vocational":5},"minEducation":"junior_college","creditsComplete":true,"certificates":["teacher_qualification"],"extra":[]}'),
        (NULL, 'senior', '2015-01-01', '{"fromTitle":"first","yearsAtPrevious":{"doctorate":2,"master":5,"bachelor":5,"junior_college":5},"minEducation":"junior_college","creditsComplete":true,"certificates":["teacher_qualification"],"extra":[]}'),
        (NULL, 'professorial', '2015-01-01', '{"fromTitle":"senior","yearsAtPrevious":{"doctorate":5,"master":5,"bachelor":5},"minEducation":"bachelor","creditsComplete":true,"certificates":["teacher_qualification"],"extra":[]}');

      -- dossier: assembled from the record and frozen when submitted; eligibility: the conditions as judged then.
      CREATE TABLE title_application (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kindergarten_id uuid REFERENCES org_unit(id),
        from_title text CHECK (from_title IN ('third','second','first','senior','professorial')),
        to_title text NOT NULL CHECK (to_title IN ('third','second','first','senior','professorial')),
        status text NOT NULL CHECK (status IN ('draft','submitted','kindergarten_approved','approved','rejected','withdrawn')),
        statement text CHECK (length(statement) <= 10000),
        attachment_file_ids uuid[] NOT NULL DEFAULT '{}',
        dossier jsonb,
        eligibility jsonb,
        opened_by uuid REFERENCES app_user(id),
        opened_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz,
        kindergarten_decided_by uuid REFERENCES app_user(id),
        kindergarten_decided_at timestamptz,
        kindergarten_comment text,
        district_decided_by uuid REFERENCES app_user(id),
        district_decided_at timestamptz,
        district_comment text,
        rejection_reasons text,
        effective_date date,
        title_record_id uuid REFERENCES title_record(id),
        version int NOT NULL DEFAULT 1,
        CHECK (status <> 'rejected' OR rejection_reasons IS NOT NULL),
        CHECK (status <> 'approved' OR effective_date IS NOT NULL)
      );
      CREATE UNIQUE INDEX title_application_open_idx ON title_application (person_id) WHERE status IN ('draft','submitted','kindergarten_approved');
      CREATE INDEX title_application_district_idx ON title_application (district_id, status);

      -- 入职查询: visible only to district HR (people.sensitive). A candidate's check is recorded before their
      -- person record exists, keyed by the national ID's lookup hash (never the ID itself), and linked when the record is created.
      CREATE TABLE background_check (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid REFERENCES person(id),
        national_id_hash text,
        candidate_name text CHECK (length(candidate_name) BETWEEN 1 AND 100),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kind text NOT NULL CHECK (kind IN ('pre_employment','yearly')),
        authorised_on date NOT NULL,
        authorisation_ref text NOT NULL CHECK (length(authorisation_ref) BETWEEN 1 AND 200),
        checked_on date NOT NULL,
        result text NOT NULL CHECK (result IN ('clear','hit')),
        note text CHECK (length(note) <= 2000),
        recorded_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (checked_on >= authorised_on),
        CHECK (person_id IS NOT NULL OR national_id_hash IS NOT NULL)
      );
      CREATE INDEX background_check_person_idx ON background_check (person_id, checked_on DESC);
      CREATE INDEX background_check_national_id_idx ON background_check (national_id_hash);

      -- 师德承诺: one pledge a person a year.
      CREATE TABLE integrity_pledge (
        person_id uuid NOT NULL REFERENCES person(id),
        year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        signed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (person_id, year)
      );

      -- measure: a named computation over the record (see the titles module); scope: e.g. {"ownership":"public"}.
      CREATE TABLE workforce_target (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid REFERENCES org_unit(id),
        code text NOT NULL CHECK (code ~ '^[a-z0-9_.-]{1,60}$'),
        name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 200),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
        measure text NOT NULL,
        scope jsonb NOT NULL DEFAULT '{}',
        unit text NOT NULL CHECK (unit IN ('percent','count')),
        threshold numeric(10,2) NOT NULL CHECK (threshold >= 0 AND (unit <> 'percent' OR threshold <= 100)),
        deadline date NOT NULL,
        source text,
        archived_at timestamptz,
        updated_by uuid REFERENCES app_user(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE NULLS NOT DISTINCT (district_id, code)
      );
      -- The seeds' targets, for every district (district_id NULL); a district may override a code.
      INSERT INTO workforce_target (district_id, code, name_zh, name_en, measure, scope, unit, threshold, deadline, source) VALUES
        (NULL, 'senior-title-coverage', '公办园高级职称教师全覆盖', 'Every public kindergarten has a senior-title teacher', 'kindergartens_with_senior_title', '{"ownership":"public"}', 'percent', 100, '2025-12-31', '青浦 2023-2025'),
        (NULL, 'senior-title-coverage-phase2', '公办园高级职称教师覆盖（第二阶段）', 'Public kindergartens with a senior-title teacher (phase 2)', 'kindergartens_with_senior_title', '{"ownership":"public"}', 'percent', 80, '2025-01-31', '青浦 2023-2025'),
        (NULL, 'professional-education', '专任教师学前教育专业学历', 'Full-time teachers with professional (preschool) education', 'teachers_with_preschool_education', '{}', 'percent', 95, '2025-12-31', '青浦 2023-2025'),
        (NULL, 'professorial-or-special-principal', '正高级教师或特级园长', 'A 正高级 teacher or 特级 principal in the district', 'professorial_or_special_principal', '{}', 'count', 1, '2025-12-31', '青浦 2023-2025'),
        (NULL, 'caregiving-leader-studio', '市保育带头人工作室成员', 'Teachers in the city''s caregiving-leader studio', 'caregiving_studio_members', '{}', 'count', 2, '2025-12-31', '青浦 2023-2025'),
        (NULL, 'new-principals-dual-certificates', '新任园长持双证', 'New principals hold both certificates', 'principals_with_dual_certificates', '{}', 'percent', 100, '2025-12-31', '朝阳 十四五'),
        (NULL, 'group-coverage', '七个集团覆盖全部公办园', 'Seven groups cover every public kindergarten', 'public_kindergartens_in_groups', '{"ownership":"public","groups":7}', 'percent', 100, '2025-12-31', '青浦 2023-2025');

      -- rules: {childrenPerStaff: [min, max], childrenPerTeacherAndCaregiver: [min, max], teachersPerClass, caregiversPerClass,
      --   principalsByClasses: [{maxClasses, principals}], childrenPerHealthStaff, childrenPerCook} (full-day; half-day variants)
      CREATE TABLE staffing_standard (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code text,
        effective_from date NOT NULL,
        rules jsonb NOT NULL,
        UNIQUE NULLS NOT DISTINCT (region_code, effective_from)
      );
      INSERT INTO staffing_standard (region_code, effective_from, rules) VALUES (NULL, '2013-01-15',
        '{"fullDay":{"childrenPerStaff":[5,7],"childrenPerTeacherAndCaregiver":[7,9]},"halfDay":{"childrenPerStaff":[8,10],"childrenPerTeacherAndCaregiver":[11,13]},"teachersPerClass":2,"caregiversPerClass":1,"principalsByClasses":[{"maxClasses":5,"principals":1},{"maxClasses":9,"principals":2},{"maxClasses":null,"principals":3}],"childrenPerHealthStaff":150,"childrenPerCook":[40,45]}');
      -- [title rules and applications]
      ALTER TABLE stored_file DROP CONSTRAINT stored_file_purpose_check;
      ALTER TABLE stored_file ADD CONSTRAINT stored_file_purpose_check
        CHECK (purpose IN ('claim_evidence','submission','import','certificate','mentoring_evidence','title_evidence','other'));
      -- [ethics and checks]
      -- A revoked or corrected sanction keeps who did it and why; a sanction never ends before it was decided.
      ALTER TABLE ethics_sanction
        ADD COLUMN revoked_by uuid REFERENCES app_user(id),
        ADD COLUMN revoke_reason text CHECK (length(revoke_reason) BETWEEN 1 AND 2000),
        ADD COLUMN corrected_at timestamptz,
        ADD CONSTRAINT ethics_sanction_revoke_reason CHECK (revoked_at IS NULL OR revoke_reason IS NOT NULL),
        ADD CONSTRAINT ethics_sanction_until_after_decision CHECK (sanction_until IS NULL OR sanction_until >= decided_on);
      -- Yearly ethics study (师德学习): ethics-category credits a person earns in a calendar year, per region
      -- (org unit code; NULL = everywhere). The default is the Shanghai cycle minimum (师德 ≥ 8 in five years), a year's share rounded down.
      CREATE TABLE ethics_study_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_code text,
        effective_from date NOT NULL,
        min_credits numeric(5,2) NOT NULL CHECK (min_credits >= 0 AND min_credits <= 100),
        updated_by uuid REFERENCES app_user(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE NULLS NOT DISTINCT (region_code, effective_from)
      );
      INSERT INTO ethics_study_rule (region_code, effective_from, min_credits) VALUES (NULL, '2018-01-01', 1.5);
      -- [targets, coverage and staffing]
      -- [blue book]
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- [title rules and applications]
      DELETE FROM stored_file WHERE purpose = 'title_evidence';
      ALTER TABLE stored_file DROP CONSTRAINT stored_file_purpose_check;
      ALTER TABLE stored_file ADD CONSTRAINT stored_file_purpose_check
        CHECK (purpose IN ('claim_evidence','submission','import','certificate','mentoring_evidence','other'));
      -- [ethics and checks]
      DROP TABLE ethics_study_rule;
      ALTER TABLE ethics_sanction DROP CONSTRAINT ethics_sanction_until_after_decision, DROP CONSTRAINT ethics_sanction_revoke_reason,
        DROP COLUMN corrected_at, DROP COLUMN revoke_reason, DROP COLUMN revoked_by;
      DROP TABLE staffing_standard, workforce_target, integrity_pledge, background_check, title_application, title_rule;
    `);
  }
}
