import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The training offer and its seats: courses, offerings (班次) with meetings and materials,
 * enrolments with their transition log (which doubles as the notification outbox), attendance
 * and check-in codes; the region's hours-to-credits rule, the no-show rule, and ethics sanctions
 * (which block enrolment).
 */
export class CatalogEnrollment1763900000000 implements MigrationInterface {
  name = 'CatalogEnrollment1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE credit_conversion_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_id uuid NOT NULL REFERENCES org_unit(id),
        hours_per_credit_centralised numeric(5,2) NOT NULL CHECK (hours_per_credit_centralised > 0),
        hours_per_credit_other numeric(5,2) NOT NULL CHECK (hours_per_credit_other > 0),
        effective_from date NOT NULL,
        recorded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (region_id, effective_from)
      );

      CREATE TABLE course (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        owner_org_unit_id uuid NOT NULL REFERENCES org_unit(id),
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{1,39}$'),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
        provider text NOT NULL DEFAULT '' CHECK (length(provider) <= 200),
        category text NOT NULL CHECK (category IN ('ethics','knowledge_skills','practice','self_study')),
        tags text[] NOT NULL DEFAULT '{}',
        level text NOT NULL CHECK (level IN ('city','district','kindergarten')),
        mode text NOT NULL CHECK (mode IN ('offline','online','hybrid')),
        hours numeric(6,1) NOT NULL CHECK (hours > 0 AND hours <= 1000),
        credits numeric(6,2) NOT NULL CHECK (credits >= 0 AND credits <= 1000),
        credits_from_rule boolean NOT NULL DEFAULT true,
        audience jsonb NOT NULL DEFAULT '{}'::jsonb,
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','archived')),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        UNIQUE (district_id, code)
      );
      CREATE INDEX course_owner_idx ON course (owner_org_unit_id);
      CREATE INDEX course_tags_idx ON course USING gin (tags);

      CREATE TABLE course_trainer (
        course_id uuid NOT NULL REFERENCES course(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id),
        PRIMARY KEY (course_id, user_id)
      );

      CREATE TABLE offering (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES course(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$'),
        label text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
        capacity int NOT NULL CHECK (capacity BETWEEN 0 AND 100000),
        kindergarten_quota int CHECK (kindergarten_quota BETWEEN 1 AND 100000),
        enrol_opens_at timestamptz NOT NULL,
        enrol_closes_at timestamptz NOT NULL,
        withdraw_deadline timestamptz NOT NULL,
        approval_mode text NOT NULL CHECK (approval_mode IN ('none','kindergarten','kindergarten_then_district')),
        priority_tiers jsonb NOT NULL DEFAULT '[]'::jsonb,
        waitlist_mode text NOT NULL CHECK (waitlist_mode IN ('none','auto','offer')),
        offer_expiry_hours int CHECK (offer_expiry_hours BETWEEN 1 AND 720),
        min_attendance_share numeric(3,2) NOT NULL DEFAULT 0 CHECK (min_attendance_share BETWEEN 0 AND 1),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','cancelled','closed')),
        cancelled_reason text,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        UNIQUE (course_id, code),
        CHECK (enrol_closes_at > enrol_opens_at),
        CHECK (waitlist_mode <> 'offer' OR offer_expiry_hours IS NOT NULL)
      );
      CREATE INDEX offering_district_status_idx ON offering (district_id, status, enrol_closes_at);

      CREATE TABLE offering_trainer (
        offering_id uuid NOT NULL REFERENCES offering(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES app_user(id),
        PRIMARY KEY (offering_id, user_id)
      );
      CREATE INDEX offering_trainer_user_idx ON offering_trainer (user_id);

      CREATE TABLE meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        offering_id uuid NOT NULL REFERENCES offering(id) ON DELETE CASCADE,
        district_id uuid NOT NULL REFERENCES org_unit(id),
        title text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        place text CHECK (length(place) <= 300),
        online_url text CHECK (online_url ~ '^https?://'),
        hours numeric(5,1) NOT NULL CHECK (hours > 0 AND hours <= 24),
        reminded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      );
      CREATE INDEX meeting_offering_idx ON meeting (offering_id, starts_at);
      CREATE INDEX meeting_starts_idx ON meeting (starts_at);

      CREATE TABLE material (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        offering_id uuid NOT NULL REFERENCES offering(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('document','video','page')),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        url text CHECK (url ~ '^https?://|^/'),
        body text CHECK (length(body) <= 100000),
        sort_order int NOT NULL DEFAULT 0,
        required boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (url IS NOT NULL OR body IS NOT NULL)
      );
      CREATE INDEX material_offering_idx ON material (offering_id, sort_order);

      CREATE TABLE enrollment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        offering_id uuid NOT NULL REFERENCES offering(id),
        course_id uuid NOT NULL REFERENCES course(id),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kindergarten_id uuid REFERENCES org_unit(id),
        level text NOT NULL CHECK (level IN ('city','district','kindergarten')),
        status text NOT NULL CHECK (status IN ('pending_approval','enrolled','waitlisted','offered','withdrawn','declined','cancelled','no_show','completed')),
        approval_step text CHECK (approval_step IN ('kindergarten','district')),
        priority_tier int NOT NULL DEFAULT 0,
        requested_at timestamptz NOT NULL DEFAULT now(),
        offer_expires_at timestamptz,
        decline_reason text,
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        requested_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (offering_id, person_id),
        CHECK (status <> 'pending_approval' OR approval_step IS NOT NULL),
        CHECK (status <> 'offered' OR offer_expires_at IS NOT NULL)
      );
      CREATE INDEX enrollment_waitlist_idx ON enrollment (offering_id, priority_tier, requested_at, id) WHERE status = 'waitlisted';
      CREATE INDEX enrollment_offering_status_idx ON enrollment (offering_id, status);
      CREATE INDEX enrollment_person_idx ON enrollment (person_id, status);
      CREATE INDEX enrollment_pending_idx ON enrollment (kindergarten_id, approval_step) WHERE status = 'pending_approval';
      CREATE INDEX enrollment_offer_expiry_idx ON enrollment (offer_expires_at) WHERE status = 'offered';

      CREATE TABLE enrollment_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        enrollment_id uuid NOT NULL REFERENCES enrollment(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        from_status text,
        to_status text NOT NULL,
        actor_user_id uuid,
        reason text,
        notify boolean NOT NULL DEFAULT false,
        notified_at timestamptz,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX enrollment_event_enrollment_idx ON enrollment_event (enrollment_id, id);
      CREATE INDEX enrollment_event_unnotified_idx ON enrollment_event (id) WHERE notify AND notified_at IS NULL;

      CREATE TABLE material_progress (
        material_id uuid NOT NULL REFERENCES material(id) ON DELETE CASCADE,
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        percent int NOT NULL CHECK (percent BETWEEN 0 AND 100),
        completed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (material_id, person_id)
      );

      CREATE TABLE attendance (
        meeting_id uuid NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        enrollment_id uuid NOT NULL REFERENCES enrollment(id),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        status text NOT NULL CHECK (status IN ('present','late','left_early','absent','excused')),
        hours numeric(5,1) NOT NULL CHECK (hours >= 0),
        source text NOT NULL CHECK (source IN ('trainer','check_in')),
        marked_by uuid,
        marked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (meeting_id, enrollment_id)
      );
      CREATE INDEX attendance_enrollment_idx ON attendance (enrollment_id);

      CREATE TABLE check_in_code (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        meeting_id uuid NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
        code text NOT NULL CHECK (code ~ '^[0-9]{6}$'),
        issued_by uuid,
        issued_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_by_person_id uuid REFERENCES person(id),
        used_at timestamptz,
        UNIQUE (meeting_id, code)
      );

      CREATE TABLE no_show_rule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        region_id uuid REFERENCES org_unit(id),
        level text NOT NULL CHECK (level IN ('city','district','kindergarten')),
        block_days int NOT NULL CHECK (block_days BETWEEN 0 AND 3650),
        UNIQUE NULLS NOT DISTINCT (region_id, level)
      );
      INSERT INTO no_show_rule (region_id, level, block_days) VALUES (NULL, 'city', 365);

      CREATE TABLE ethics_sanction (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        kind text NOT NULL CHECK (kind IN ('warning','demerit','demotion_or_removal','dismissal')),
        decided_on date NOT NULL,
        sanction_until date,
        blocks_until date NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        revoked_at timestamptz,
        recorded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (blocks_until >= decided_on)
      );
      CREATE INDEX ethics_sanction_person_idx ON ethics_sanction (person_id, blocks_until);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE ethics_sanction, no_show_rule, check_in_code, attendance, material_progress, enrollment_event, enrollment,
        material, meeting, offering_trainer, offering, course_trainer, course, credit_conversion_rule;
    `);
  }
}
