import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mentoring 1+N: the district's limits, targets and credit rule; pairings (one mentee, N mentors
 * with roles) with consents and approvals per kindergarten; activities confirmed by the other
 * party; term reviews that award credit once; and rotations of a teacher to another kindergarten.
 */
export class Mentoring1764200000000 implements MigrationInterface {
  name = 'Mentoring1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE stored_file DROP CONSTRAINT stored_file_purpose_check;
      ALTER TABLE stored_file ADD CONSTRAINT stored_file_purpose_check
        CHECK (purpose IN ('claim_evidence','submission','import','certificate','mentoring_evidence','other'));

      -- One row per district; the row without a district holds the defaults.
      -- term_targets: {mentorDemonstrations, menteeOpenLessons, observationsEachWay, lessonPlans}
      CREATE TABLE mentoring_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid UNIQUE REFERENCES org_unit(id),
        max_mentors_per_mentee int NOT NULL CHECK (max_mentors_per_mentee BETWEEN 1 AND 10),
        max_mentees_per_mentor int NOT NULL CHECK (max_mentees_per_mentor BETWEEN 1 AND 20),
        term_targets jsonb NOT NULL,
        mentee_credits numeric(6,2) NOT NULL CHECK (mentee_credits >= 0),
        mentor_credits numeric(6,2) NOT NULL CHECK (mentor_credits >= 0),
        mentee_category text NOT NULL DEFAULT 'practice',
        mentor_category text NOT NULL DEFAULT 'practice',
        credit_level text NOT NULL DEFAULT 'kindergarten' CHECK (credit_level IN ('city','district','kindergarten')),
        updated_by uuid REFERENCES app_user(id),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX mentoring_rule_default_idx ON mentoring_rule ((district_id IS NULL)) WHERE district_id IS NULL;
      INSERT INTO mentoring_rule (district_id, max_mentors_per_mentee, max_mentees_per_mentor, term_targets, mentee_credits, mentor_credits)
        VALUES (NULL, 2, 3, '{"mentorDemonstrations":1,"menteeOpenLessons":1,"observationsEachWay":8,"lessonPlans":3}', 1, 1);

      CREATE TABLE mentor_pairing (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kind text NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard','probation')),
        status text NOT NULL CHECK (status IN ('proposed','active','rejected','ended','cancelled')),
        source text NOT NULL CHECK (source IN ('admin','mutual')),
        mentee_person_id uuid NOT NULL REFERENCES person(id),
        mentee_kindergarten_id uuid NOT NULL REFERENCES org_unit(id),
        -- probation year: the base kindergarten where the novice trains
        base_kindergarten_id uuid REFERENCES org_unit(id),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        goals text NOT NULL CHECK (length(goals) BETWEEN 1 AND 5000),
        -- [{term: '2026-2027-1', plan: '…'}]
        term_plans jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(term_plans) = 'array'),
        proposed_by uuid REFERENCES app_user(id),
        proposed_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        final_grade text CHECK (final_grade IN ('excellent','pass','fail')),
        final_comment text,
        final_assessed_by uuid REFERENCES app_user(id),
        final_assessed_at timestamptz,
        ended_reason text,
        version int NOT NULL DEFAULT 1,
        CHECK (ends_on > starts_on),
        CHECK (kind <> 'probation' OR base_kindergarten_id IS NOT NULL)
      );
      CREATE INDEX mentor_pairing_mentee_idx ON mentor_pairing (mentee_person_id, status);
      CREATE INDEX mentor_pairing_district_idx ON mentor_pairing (district_id, status);

      CREATE TABLE mentor_link (
        pairing_id uuid NOT NULL REFERENCES mentor_pairing(id),
        mentor_person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        mentor_kindergarten_id uuid REFERENCES org_unit(id),
        role text NOT NULL CHECK (role IN ('lead','subject','class_management')),
        PRIMARY KEY (pairing_id, mentor_person_id)
      );
      CREATE UNIQUE INDEX mentor_link_one_lead_idx ON mentor_link (pairing_id) WHERE role = 'lead';
      CREATE INDEX mentor_link_mentor_idx ON mentor_link (mentor_person_id);

      -- A mutual request needs the consent of the mentee and every mentor.
      CREATE TABLE pairing_consent (
        pairing_id uuid NOT NULL REFERENCES mentor_pairing(id),
        person_id uuid NOT NULL REFERENCES person(id),
        consented_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (pairing_id, person_id)
      );

      -- One decision per kindergarten involved (the mentee's and each mentor's).
      CREATE TABLE pairing_approval (
        pairing_id uuid NOT NULL REFERENCES mentor_pairing(id),
        kindergarten_id uuid NOT NULL REFERENCES org_unit(id),
        decision text NOT NULL CHECK (decision IN ('approved','rejected')),
        reason text,
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (pairing_id, kindergarten_id),
        CHECK (decision = 'approved' OR reason IS NOT NULL)
      );

      CREATE TABLE mentoring_activity (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pairing_id uuid NOT NULL REFERENCES mentor_pairing(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kind text NOT NULL CHECK (kind IN ('observation','critique','demonstration','open_lesson','joint_planning','research')),
        -- who gave the lesson, observed, or wrote the plan: the side the activity counts for
        actor_person_id uuid NOT NULL REFERENCES person(id),
        logged_by_person_id uuid NOT NULL REFERENCES person(id),
        occurred_on date NOT NULL,
        term text NOT NULL CHECK (term ~ '^[0-9]{4}-[0-9]{4}-[12]$'),
        duration_minutes int NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
        notes text CHECK (length(notes) <= 5000),
        evidence_file_ids uuid[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'logged' CHECK (status IN ('logged','confirmed','disputed')),
        confirmed_by_person_id uuid REFERENCES person(id),
        confirmed_at timestamptz,
        dispute_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (confirmed_by_person_id IS NULL OR confirmed_by_person_id <> logged_by_person_id)
      );
      CREATE INDEX mentoring_activity_pairing_idx ON mentoring_activity (pairing_id, term, status);

      -- targets and progress are snapshots taken when the review is submitted.
      CREATE TABLE mentoring_term_review (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pairing_id uuid NOT NULL REFERENCES mentor_pairing(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        term text NOT NULL CHECK (term ~ '^[0-9]{4}-[0-9]{4}-[12]$'),
        status text NOT NULL CHECK (status IN ('submitted','accepted','returned')),
        targets jsonb NOT NULL,
        progress jsonb NOT NULL,
        mentor_comment text NOT NULL CHECK (length(mentor_comment) BETWEEN 1 AND 5000),
        submitted_by uuid REFERENCES app_user(id),
        submitted_at timestamptz NOT NULL DEFAULT now(),
        admin_comment text,
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz,
        version int NOT NULL DEFAULT 1,
        UNIQUE (pairing_id, term)
      );

      -- A teacher serving another kindergarten for a period; count_at says where reports count them.
      CREATE TABLE rotation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        home_kindergarten_id uuid NOT NULL REFERENCES org_unit(id),
        host_kindergarten_id uuid NOT NULL REFERENCES org_unit(id),
        kind text NOT NULL CHECK (kind IN ('seconded','exchange','support')),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        count_at text NOT NULL DEFAULT 'both' CHECK (count_at IN ('home','host','both')),
        note text CHECK (length(note) <= 2000),
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_early_on date,
        CHECK (ends_on > starts_on),
        CHECK (home_kindergarten_id <> host_kindergarten_id)
      );
      CREATE INDEX rotation_person_idx ON rotation (person_id, starts_on);
      CREATE INDEX rotation_host_idx ON rotation (host_kindergarten_id, starts_on);
      -- [pairings]
      -- [activities, reviews and rotation]
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE rotation, mentoring_term_review, mentoring_activity, pairing_approval, pairing_consent, mentor_link, mentor_pairing, mentoring_rule;
      DELETE FROM stored_file WHERE purpose = 'mentoring_evidence';
      ALTER TABLE stored_file DROP CONSTRAINT stored_file_purpose_check;
      ALTER TABLE stored_file ADD CONSTRAINT stored_file_purpose_check
        CHECK (purpose IN ('claim_evidence','submission','import','certificate','other'));
    `);
  }
}
