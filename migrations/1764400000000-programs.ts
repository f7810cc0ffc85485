import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Talent programs (seed, talent, navigator and custom tiers) with applications, expert review and
 * selection; cohort teams with plans, milestones, outputs and assessments; contests (a light
 * program); and the principal lecture series (示范园园长大课堂) with the city's filing deadlines.
 */
export class Programs1764400000000 implements MigrationInterface {
  name = 'Programs1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE stored_file DROP CONSTRAINT stored_file_purpose_check;
      ALTER TABLE stored_file ADD CONSTRAINT stored_file_purpose_check
        CHECK (purpose IN ('claim_evidence','submission','import','certificate','mentoring_evidence','title_evidence',
                           'program_attachment','program_output','import_result','export','other'));

      -- eligibility: {maxAge?, minAge?, posts?: [post], minTitle?: title, stages?: [teacher stage], honours?: [honour] (any one),
      --   minYearsOfService?, noEthicsBlock: boolean}; criteria: [{code, nameZh, nameEn, maxScore, weight}].
      -- A contest is a light program (kind 'contest'): entries, judged results and awards, no teams.
      CREATE TABLE program (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kind text NOT NULL CHECK (kind IN ('cohort','contest')),
        tier text NOT NULL CHECK (tier ~ '^[a-z][a-z0-9_]{1,39}$'),
        tier_name_zh text,
        tier_name_en text,
        code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$'),
        name_zh text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 200),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 5000),
        round int CHECK (round BETWEEN 1 AND 1000),
        cycle_years int NOT NULL DEFAULT 3 CHECK (cycle_years BETWEEN 1 AND 10),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        eligibility jsonb NOT NULL DEFAULT '{}'::jsonb,
        criteria jsonb NOT NULL DEFAULT '[]'::jsonb,
        trim_from_reviewers int NOT NULL DEFAULT 5 CHECK (trim_from_reviewers >= 3),
        district_quota int CHECK (district_quota > 0),
        kindergarten_quota int CHECK (kindergarten_quota > 0),
        group_quota int CHECK (group_quota > 0),
        reserve_size int NOT NULL DEFAULT 0 CHECK (reserve_size >= 0),
        applications_open_at timestamptz NOT NULL,
        applications_close_at timestamptz NOT NULL,
        credits numeric(7,2) NOT NULL DEFAULT 0 CHECK (credits >= 0 AND credits <= 500),
        hours numeric(7,1) NOT NULL DEFAULT 0 CHECK (hours >= 0 AND hours <= 2000),
        credit_category text NOT NULL DEFAULT 'practice' CHECK (credit_category IN ('ethics','knowledge_skills','practice','self_study')),
        credit_level text NOT NULL DEFAULT 'district' CHECK (credit_level IN ('city','district','kindergarten')),
        honour_name text CHECK (length(honour_name) <= 200),
        contest_posts text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','selection_closed','running','closed')),
        selection_closed_at timestamptz,
        previous_program_id uuid REFERENCES program(id),
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CHECK (ends_on > starts_on),
        CHECK (applications_close_at > applications_open_at),
        CHECK (tier IN ('seed','talent','navigator','contest') OR (tier_name_zh IS NOT NULL AND tier_name_en IS NOT NULL))
      );
      CREATE INDEX program_district_idx ON program (district_id, status);

      CREATE TABLE program_application (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL REFERENCES program(id),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kindergarten_id uuid REFERENCES org_unit(id),
        group_id uuid REFERENCES kindergarten_group(id),
        source text NOT NULL CHECK (source IN ('self','nomination')),
        nominated_by uuid REFERENCES app_user(id),
        statement text NOT NULL CHECK (length(statement) BETWEEN 1 AND 5000),
        attachment_file_ids uuid[] NOT NULL DEFAULT '{}',
        dossier jsonb NOT NULL,
        status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted','withdrawn','selected','reserve','not_selected')),
        score numeric(7,2),
        reviewer_count int,
        reserve_rank int CHECK (reserve_rank > 0),
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CHECK ((source = 'nomination') = (nominated_by IS NOT NULL)),
        CHECK ((status = 'reserve') = (reserve_rank IS NOT NULL))
      );
      CREATE UNIQUE INDEX program_application_once_idx ON program_application (program_id, person_id) WHERE status <> 'withdrawn';
      CREATE INDEX program_application_program_idx ON program_application (program_id, status);
      CREATE INDEX program_application_person_idx ON program_application (person_id);

      CREATE TABLE program_review_assignment (
        application_id uuid NOT NULL REFERENCES program_application(id),
        reviewer_user_id uuid NOT NULL REFERENCES app_user(id),
        program_id uuid NOT NULL REFERENCES program(id),
        assigned_by uuid REFERENCES app_user(id),
        assigned_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (application_id, reviewer_user_id)
      );
      CREATE INDEX program_review_assignment_reviewer_idx ON program_review_assignment (reviewer_user_id, program_id);

      -- scores: {criterionCode: points}; total is their weighted sum, kept for aggregation.
      CREATE TABLE program_review_score (
        application_id uuid NOT NULL,
        reviewer_user_id uuid NOT NULL,
        scores jsonb NOT NULL,
        total numeric(8,2) NOT NULL,
        comment text CHECK (length(comment) <= 2000),
        submitted_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (application_id, reviewer_user_id),
        FOREIGN KEY (application_id, reviewer_user_id) REFERENCES program_review_assignment(application_id, reviewer_user_id)
      );

      -- plan: {basis, goals, content, schedule, expectedOutputs}
      CREATE TABLE program_team (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL REFERENCES program(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        host_person_id uuid NOT NULL REFERENCES person(id),
        base_org_unit_id uuid REFERENCES org_unit(id),
        base_name text CHECK (length(base_name) <= 200),
        plan jsonb NOT NULL DEFAULT '{}'::jsonb,
        plan_updated_at timestamptz,
        required_course_ids uuid[] NOT NULL DEFAULT '{}',
        credit_target numeric(7,2) CHECK (credit_target >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        UNIQUE (program_id, name)
      );

      CREATE TABLE program_member (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL REFERENCES program(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        person_id uuid NOT NULL REFERENCES person(id),
        team_id uuid REFERENCES program_team(id),
        application_id uuid REFERENCES program_application(id),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','exited','moved','completed','failed')),
        joined_on date NOT NULL,
        left_on date,
        exit_reason text CHECK (length(exit_reason) <= 1000),
        moved_to_member_id uuid REFERENCES program_member(id),
        midterm_result text CHECK (midterm_result IN ('excellent','pass','fail')),
        midterm_comment text,
        midterm_by uuid REFERENCES app_user(id),
        midterm_at timestamptz,
        final_result text CHECK (final_result IN ('excellent','pass','fail')),
        final_comment text,
        final_by uuid REFERENCES app_user(id),
        final_at timestamptz,
        credit_entry_id uuid REFERENCES credit_entry(id),
        honour_id uuid REFERENCES person_honour(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        UNIQUE (program_id, person_id),
        CHECK (status <> 'exited' OR exit_reason IS NOT NULL)
      );
      CREATE INDEX program_member_person_idx ON program_member (person_id);
      CREATE INDEX program_member_team_idx ON program_member (team_id);

      CREATE TABLE program_milestone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        team_id uuid NOT NULL REFERENCES program_team(id),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        due_on date NOT NULL,
        done_on date,
        note text CHECK (length(note) <= 2000),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX program_milestone_team_idx ON program_milestone (team_id, due_on);

      -- person_id is the author; the title dossier reads this table by person_id.
      CREATE TABLE program_output (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL REFERENCES program(id),
        team_id uuid REFERENCES program_team(id),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kind text NOT NULL CHECK (kind IN ('research_report','public_lesson','contest_award','paper','other')),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 5000),
        occurred_on date NOT NULL,
        file_ids uuid[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted','accepted','returned')),
        review_comment text CHECK (length(review_comment) <= 2000),
        reviewed_by uuid REFERENCES app_user(id),
        reviewed_at timestamptz,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CHECK (status <> 'returned' OR review_comment IS NOT NULL)
      );
      CREATE INDEX program_output_person_idx ON program_output (person_id);
      CREATE INDEX program_output_team_idx ON program_output (team_id);

      -- person_id is the entrant; the title dossier reads this table by person_id.
      CREATE TABLE contest_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL REFERENCES program(id),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kindergarten_id uuid REFERENCES org_unit(id),
        post text NOT NULL,
        status text NOT NULL DEFAULT 'entered' CHECK (status IN ('entered','withdrawn','judged')),
        score numeric(6,2) CHECK (score >= 0 AND score <= 1000),
        award text CHECK (award IN ('first','second','third','excellence','none')),
        judged_by uuid REFERENCES app_user(id),
        judged_at timestamptz,
        credit_entry_id uuid REFERENCES credit_entry(id),
        honour_id uuid REFERENCES person_honour(id),
        entered_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CHECK ((status = 'judged') = (award IS NOT NULL))
      );
      CREATE UNIQUE INDEX contest_entry_once_idx ON contest_entry (program_id, person_id) WHERE status <> 'withdrawn';
      CREATE INDEX contest_entry_person_idx ON contest_entry (person_id);

      -- The city's filing deadline per semester ('2026-autumn', '2027-spring'); city_id is the city org unit.
      CREATE TABLE lecture_filing_deadline (
        city_id uuid NOT NULL REFERENCES org_unit(id),
        semester text NOT NULL CHECK (semester ~ '^[0-9]{4}-(spring|autumn)$'),
        due_on date NOT NULL,
        set_by uuid REFERENCES app_user(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (city_id, semester)
      );

      -- 示范园园长大课堂: one series per district and semester; each session is an offering of the series' course.
      CREATE TABLE lecture_series (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        city_id uuid NOT NULL REFERENCES org_unit(id),
        semester text NOT NULL CHECK (semester ~ '^[0-9]{4}-(spring|autumn)$'),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        course_id uuid REFERENCES course(id),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','filed')),
        filed_at timestamptz,
        filed_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        UNIQUE (district_id, semester),
        CHECK ((status = 'filed') = (filed_at IS NOT NULL))
      );

      CREATE TABLE lecture_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        series_id uuid NOT NULL REFERENCES lecture_series(id),
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        topic text NOT NULL CHECK (length(topic) BETWEEN 1 AND 200),
        speaker_person_id uuid NOT NULL REFERENCES person(id),
        speaker_kindergarten_id uuid NOT NULL REFERENCES org_unit(id),
        offering_id uuid REFERENCES offering(id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at),
        UNIQUE (series_id, month)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE lecture_session, lecture_series, lecture_filing_deadline, contest_entry, program_output, program_milestone,
        program_member, program_team, program_review_score, program_review_assignment, program_application, program;
      DELETE FROM stored_file WHERE purpose IN ('program_attachment','program_output','import_result','export');
      ALTER TABLE stored_file DROP CONSTRAINT stored_file_purpose_check;
      ALTER TABLE stored_file ADD CONSTRAINT stored_file_purpose_check
        CHECK (purpose IN ('claim_evidence','submission','import','certificate','mentoring_evidence','title_evidence','other'));
    `);
  }
}
