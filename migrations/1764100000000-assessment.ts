import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assessment: reusable rubrics and marking guides, an offering's assessment items (assignments,
 * course evaluation surveys, offline items), learners' submissions (every attempt kept), each
 * marker's marks and the agreed grade with its history after release, effective-dated completion
 * rules, completions (one open per enrolment; a reopen keeps the row), and certificates.
 */
export class Assessment1764100000000 implements MigrationInterface {
  name = 'Assessment1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE stored_file DROP CONSTRAINT stored_file_purpose_check;
      ALTER TABLE stored_file ADD CONSTRAINT stored_file_purpose_check
        CHECK (purpose IN ('claim_evidence','submission','import','certificate','other'));

      -- criteria: for 'rubric' [{id, title, description, levels: [{id, title, points, description}]}],
      -- for 'guide' [{id, title, description, maxPoints}]. Ids are short text ids stable across edits.
      CREATE TABLE rubric (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        owner_user_id uuid REFERENCES app_user(id),
        method text NOT NULL CHECK (method IN ('rubric','guide')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text CHECK (length(description) <= 2000),
        criteria jsonb NOT NULL CHECK (jsonb_typeof(criteria) = 'array'),
        max_points numeric(8,2) NOT NULL CHECK (max_points > 0),
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1
      );
      CREATE INDEX rubric_district_idx ON rubric (district_id, name);

      CREATE TABLE assessment_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        offering_id uuid NOT NULL REFERENCES offering(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kind text NOT NULL CHECK (kind IN ('assignment','survey','offline')),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        instructions text CHECK (length(instructions) <= 10000),
        position int NOT NULL DEFAULT 0,
        submission_modes text[] NOT NULL DEFAULT '{}' CHECK (submission_modes <@ ARRAY['text','file']),
        due_at timestamptz,
        late_policy text NOT NULL DEFAULT 'accept' CHECK (late_policy IN ('accept','penalty','refuse')),
        late_penalty_percent int CHECK (late_penalty_percent BETWEEN 0 AND 100),
        allowed_file_types text[] NOT NULL DEFAULT '{}',
        max_file_bytes int CHECK (max_file_bytes > 0),
        max_files int NOT NULL DEFAULT 5 CHECK (max_files BETWEEN 0 AND 20),
        grading_method text NOT NULL CHECK (grading_method IN ('rubric','guide','points','pass_fail','none')),
        rubric_id uuid REFERENCES rubric(id),
        max_points numeric(8,2) CHECK (max_points > 0),
        pass_points numeric(8,2) CHECK (pass_points >= 0),
        second_marking boolean NOT NULL DEFAULT false,
        -- survey questions: [{id, kind: 'rating'|'choice'|'multi'|'text', prompt, options?, required}]
        questions jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(questions) = 'array'),
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        archived_at timestamptz,
        version int NOT NULL DEFAULT 1,
        CHECK ((grading_method IN ('rubric','guide')) = (rubric_id IS NOT NULL)),
        CHECK (kind <> 'survey' OR grading_method = 'none'),
        CHECK (pass_points IS NULL OR max_points IS NULL OR pass_points <= max_points)
      );
      CREATE INDEX assessment_item_offering_idx ON assessment_item (offering_id, position);

      -- Every attempt is kept; the latest is the one graded.
      CREATE TABLE submission (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES assessment_item(id),
        enrollment_id uuid NOT NULL REFERENCES enrollment(id),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        attempt int NOT NULL CHECK (attempt >= 1),
        body text CHECK (length(body) <= 100000),
        file_ids uuid[] NOT NULL DEFAULT '{}',
        answers jsonb,
        submitted_at timestamptz NOT NULL,
        late boolean NOT NULL DEFAULT false,
        submitted_by uuid REFERENCES app_user(id),
        UNIQUE (item_id, enrollment_id, attempt)
      );
      CREATE INDEX submission_enrollment_idx ON submission (enrollment_id);

      -- Each marker's mark. With second marking an item has a 'first' and a 'second' mark, reconciled into the grade.
      CREATE TABLE grade_mark (
        item_id uuid NOT NULL REFERENCES assessment_item(id),
        enrollment_id uuid NOT NULL REFERENCES enrollment(id),
        marker_user_id uuid NOT NULL REFERENCES app_user(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        role text NOT NULL CHECK (role IN ('first','second')),
        submission_id uuid REFERENCES submission(id),
        points numeric(8,2),
        passed boolean,
        -- [{criterionId, levelId?, points, comment?}]
        criteria jsonb NOT NULL DEFAULT '[]',
        feedback text CHECK (length(feedback) <= 10000),
        marked_at timestamptz NOT NULL,
        PRIMARY KEY (item_id, enrollment_id, marker_user_id),
        UNIQUE (item_id, enrollment_id, role)
      );

      -- The agreed grade a learner sees once released. points is after any late penalty; raw_points before.
      CREATE TABLE grade (
        item_id uuid NOT NULL REFERENCES assessment_item(id),
        enrollment_id uuid NOT NULL REFERENCES enrollment(id),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        submission_id uuid REFERENCES submission(id),
        raw_points numeric(8,2),
        points numeric(8,2),
        passed boolean NOT NULL,
        criteria jsonb NOT NULL DEFAULT '[]',
        feedback text CHECK (length(feedback) <= 10000),
        graded_by uuid REFERENCES app_user(id),
        graded_at timestamptz NOT NULL,
        released_at timestamptz,
        released_by uuid REFERENCES app_user(id),
        version int NOT NULL DEFAULT 1,
        PRIMARY KEY (item_id, enrollment_id)
      );
      CREATE INDEX grade_enrollment_idx ON grade (enrollment_id);

      -- Every change to a released grade: who, when, why, before and after.
      CREATE TABLE grade_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        item_id uuid NOT NULL REFERENCES assessment_item(id),
        enrollment_id uuid NOT NULL REFERENCES enrollment(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        changed_by uuid REFERENCES app_user(id),
        changed_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        before jsonb NOT NULL,
        after jsonb NOT NULL
      );
      CREATE INDEX grade_history_grade_idx ON grade_history (item_id, enrollment_id, changed_at);

      -- Effective-dated: a learner is judged by the latest rule in force when they are evaluated.
      CREATE TABLE completion_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        offering_id uuid NOT NULL REFERENCES offering(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        effective_from timestamptz NOT NULL,
        min_attendance_share numeric(4,3) NOT NULL CHECK (min_attendance_share BETWEEN 0 AND 1),
        required_item_ids uuid[] NOT NULL DEFAULT '{}',
        require_evaluation boolean NOT NULL DEFAULT false,
        combine text NOT NULL DEFAULT 'all' CHECK (combine IN ('all','any')),
        partial_credit_floor numeric(4,3) CHECK (partial_credit_floor BETWEEN 0 AND 1),
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (offering_id, effective_from)
      );
      -- Existing offerings start with the attendance minimum they already had.
      INSERT INTO completion_rule (offering_id, district_id, effective_from, min_attendance_share)
        SELECT id, district_id, created_at, min_attendance_share FROM offering;

      CREATE TABLE completion (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enrollment_id uuid NOT NULL REFERENCES enrollment(id),
        offering_id uuid NOT NULL REFERENCES offering(id),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        sequence int NOT NULL CHECK (sequence >= 1),
        rule_id uuid NOT NULL REFERENCES completion_rule(id),
        completed_at timestamptz NOT NULL,
        attended_hours numeric(8,2) NOT NULL,
        scheduled_hours numeric(8,2) NOT NULL,
        hours numeric(8,2) NOT NULL,
        credits numeric(8,2) NOT NULL,
        partial boolean NOT NULL DEFAULT false,
        conditions jsonb NOT NULL,
        credit_entry_id uuid REFERENCES credit_entry(id),
        reopened_at timestamptz,
        reopened_by uuid REFERENCES app_user(id),
        reopen_reason text,
        reversal_entry_id uuid REFERENCES credit_entry(id),
        UNIQUE (enrollment_id, sequence),
        CHECK ((reopened_at IS NULL) = (reopen_reason IS NULL))
      );
      CREATE UNIQUE INDEX completion_open_idx ON completion (enrollment_id) WHERE reopened_at IS NULL;
      CREATE INDEX completion_person_idx ON completion (person_id);
      CREATE INDEX completion_offering_idx ON completion (offering_id);

      -- snapshot: what the certificate states (name, course, hours, credits, date, issuer), frozen when issued.
      CREATE TABLE certificate (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        completion_id uuid NOT NULL REFERENCES completion(id),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]{12,32}$'),
        status text NOT NULL CHECK (status IN ('pending','issued','revoked','superseded')),
        snapshot jsonb NOT NULL,
        file_id uuid REFERENCES stored_file(id),
        issued_at timestamptz,
        revoked_at timestamptz,
        revoked_by uuid REFERENCES app_user(id),
        revoke_reason text,
        superseded_by uuid REFERENCES certificate(id),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX certificate_current_idx ON certificate (completion_id) WHERE status IN ('pending','issued');
      CREATE INDEX certificate_person_idx ON certificate (person_id);
      CREATE INDEX certificate_pending_idx ON certificate (created_at) WHERE status = 'pending';
      -- [items and submissions]
      -- Who may download a stored file is decided by the submission holding it.
      CREATE INDEX submission_file_ids_idx ON submission USING gin (file_ids);
      -- [rubrics and gradebook]
      -- [grading]
      -- [completion and certificates]
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE certificate, completion, completion_rule, grade_history, grade, grade_mark, submission, assessment_item, rubric;
      DELETE FROM stored_file WHERE purpose = 'certificate';
      ALTER TABLE stored_file DROP CONSTRAINT stored_file_purpose_check;
      ALTER TABLE stored_file ADD CONSTRAINT stored_file_purpose_check
        CHECK (purpose IN ('claim_evidence','submission','import','other'));
    `);
  }
}
