import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Org tree, people and their records, users and roles, sessions, audit, notifications and mail. */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE org_unit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('city','district','town','zone','kindergarten')),
        parent_id uuid REFERENCES org_unit(id),
        path text COLLATE "C" NOT NULL UNIQUE,
        depth int NOT NULL,
        district_id uuid REFERENCES org_unit(id),
        code text NOT NULL UNIQUE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        name_en text,
        ownership text CHECK (ownership IN ('public','private')),
        inclusive boolean,
        grade text CHECK (grade IN ('city_demonstration','district_demonstration','first','second','third','unrated')),
        status text CHECK (status IN ('operating','planned','closed')),
        founded_year int CHECK (founded_year BETWEEN 1900 AND 2100),
        opening_year int CHECK (opening_year BETWEEN 1900 AND 2100),
        kindergarten_classes int CHECK (kindergarten_classes >= 0),
        nursery_classes int CHECK (nursery_classes >= 0),
        children_enrolled int CHECK (children_enrolled >= 0),
        address text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CONSTRAINT org_unit_root_is_city CHECK ((parent_id IS NULL) = (kind = 'city')),
        CONSTRAINT org_unit_kindergarten_fields CHECK (
          kind <> 'kindergarten' OR (ownership IS NOT NULL AND inclusive IS NOT NULL AND grade IS NOT NULL AND status IS NOT NULL)),
        CONSTRAINT org_unit_planned_has_opening_year CHECK (status IS DISTINCT FROM 'planned' OR opening_year IS NOT NULL)
      );
      CREATE INDEX org_unit_parent_idx ON org_unit (parent_id);
      CREATE INDEX org_unit_district_kind_idx ON org_unit (district_id, kind);
      CREATE INDEX org_unit_name_idx ON org_unit (name);

      CREATE TABLE kindergarten_group (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        code text NOT NULL UNIQUE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE kindergarten_group_member (
        group_id uuid NOT NULL REFERENCES kindergarten_group(id) ON DELETE CASCADE,
        kindergarten_id uuid NOT NULL UNIQUE REFERENCES org_unit(id),
        is_lead boolean NOT NULL DEFAULT false,
        joined_on date,
        PRIMARY KEY (group_id, kindergarten_id)
      );

      CREATE TABLE stage_definition (
        kind text NOT NULL CHECK (kind IN ('teacher','principal')),
        code text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]*$'),
        name_zh text NOT NULL,
        name_en text NOT NULL,
        sort_order int NOT NULL,
        active boolean NOT NULL DEFAULT true,
        PRIMARY KEY (kind, code)
      );

      CREATE TABLE person (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 100),
        gender text NOT NULL CHECK (gender IN ('female','male')),
        birth_date date NOT NULL,
        national_id_enc text NOT NULL,
        national_id_hash text NOT NULL UNIQUE,
        national_id_masked text NOT NULL,
        phone_enc text,
        phone_hash text,
        phone_masked text,
        education_level text NOT NULL CHECK (education_level IN ('high_school','secondary_vocational','junior_college','bachelor','master','doctorate')),
        preschool_major boolean NOT NULL DEFAULT false,
        hire_date date,
        teacher_stage text,
        principal_stage text,
        current_org_unit_id uuid REFERENCES org_unit(id),
        current_post text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version int NOT NULL DEFAULT 1,
        CONSTRAINT person_hire_after_birth CHECK (hire_date IS NULL OR hire_date > birth_date)
      );
      CREATE INDEX person_current_org_idx ON person (current_org_unit_id);
      CREATE INDEX person_district_idx ON person (district_id);
      CREATE INDEX person_phone_hash_idx ON person (phone_hash);
      CREATE INDEX person_name_idx ON person (full_name);

      CREATE TABLE employment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        org_unit_id uuid NOT NULL REFERENCES org_unit(id),
        district_id uuid NOT NULL REFERENCES org_unit(id),
        post text NOT NULL CHECK (post IN ('teacher','principal','vice_principal','caregiver','health','nutrition','other')),
        start_date date NOT NULL,
        end_date date,
        note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT employment_dates CHECK (end_date IS NULL OR end_date >= start_date)
      );
      CREATE INDEX employment_person_idx ON employment (person_id, start_date);
      CREATE INDEX employment_org_current_idx ON employment (org_unit_id) WHERE end_date IS NULL;

      CREATE TABLE title_record (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        title text NOT NULL CHECK (title IN ('third','second','first','senior','professorial')),
        effective_date date NOT NULL,
        approving_body text NOT NULL CHECK (length(approving_body) BETWEEN 1 AND 200),
        is_correction boolean NOT NULL DEFAULT false,
        correction_reason text,
        recorded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT title_correction_has_reason CHECK (NOT is_correction OR correction_reason IS NOT NULL)
      );
      CREATE INDEX title_record_person_idx ON title_record (person_id, effective_date, created_at);

      CREATE TABLE person_certificate (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        kind text NOT NULL CHECK (kind IN ('teacher_qualification','principal_training','caregiver','health_care','other')),
        number text NOT NULL,
        issuer text,
        issued_on date NOT NULL,
        expires_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT certificate_dates CHECK (expires_on IS NULL OR expires_on > issued_on),
        UNIQUE (kind, number)
      );
      CREATE INDEX person_certificate_person_idx ON person_certificate (person_id);

      CREATE TABLE person_honour (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        honour text NOT NULL CHECK (honour IN ('special_teacher','special_principal','district_backbone','subject_leader','other')),
        name text,
        awarded_on date NOT NULL,
        awarded_by text,
        expires_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT honour_dates CHECK (expires_on IS NULL OR expires_on > awarded_on)
      );
      CREATE INDEX person_honour_person_idx ON person_honour (person_id);

      CREATE TABLE stage_record (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        kind text NOT NULL CHECK (kind IN ('teacher','principal')),
        stage text NOT NULL,
        effective_date date NOT NULL,
        recorded_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (kind, stage) REFERENCES stage_definition(kind, code)
      );
      CREATE INDEX stage_record_person_idx ON stage_record (person_id, kind, effective_date);

      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{3,64}$'),
        person_id uuid UNIQUE REFERENCES person(id),
        display_name text NOT NULL,
        password_hash text NOT NULL,
        locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN','en')),
        disabled_at timestamptz,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX app_user_username_idx ON app_user (lower(username));

      CREATE TABLE role_assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('teacher','trainer','kindergarten_admin','group_admin','district_admin','expert')),
        org_unit_id uuid REFERENCES org_unit(id),
        group_id uuid REFERENCES kindergarten_group(id),
        granted_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT role_scope CHECK (
          (role = 'group_admin' AND group_id IS NOT NULL AND org_unit_id IS NULL) OR
          (role IN ('teacher','expert') AND group_id IS NULL) OR
          (role IN ('trainer','kindergarten_admin','district_admin') AND org_unit_id IS NOT NULL AND group_id IS NULL))
      );
      CREATE UNIQUE INDEX role_assignment_unique_idx ON role_assignment (user_id, role,
        coalesce(org_unit_id, '00000000-0000-0000-0000-000000000000'), coalesce(group_id, '00000000-0000-0000-0000-000000000000'));

      CREATE TABLE auth_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('web','api')),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        ip text,
        user_agent text
      );
      CREATE INDEX auth_session_user_idx ON auth_session (user_id) WHERE revoked_at IS NULL;

      CREATE TABLE login_throttle (
        key text PRIMARY KEY,
        failures int NOT NULL,
        window_started_at timestamptz NOT NULL
      );

      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_user_id uuid,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        district_id uuid,
        before jsonb,
        after jsonb
      );
      CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, occurred_at);
      CREATE INDEX audit_log_district_time_idx ON audit_log (district_id, occurred_at DESC);

      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        kind text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        link text,
        dedupe_key text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      );
      CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC);

      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        to_address text NOT NULL,
        subject text NOT NULL,
        html text NOT NULL,
        text_body text NOT NULL,
        template text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending','sent','kept','failed')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        dedupe_key text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX mail_outbox_created_idx ON mail_outbox (created_at DESC);

      INSERT INTO stage_definition (kind, code, name_zh, name_en, sort_order) VALUES
        ('teacher','novice','新手型','Novice',1),
        ('teacher','competent','胜任型','Competent',2),
        ('teacher','backbone','骨干型','Backbone',3),
        ('principal','reserve','后备','Reserve',1),
        ('principal','new','新任','New',2),
        ('principal','growing','成长期','Growing',3),
        ('principal','mature','成熟期','Mature',4),
        ('principal','expert','专家型','Expert',5);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE mail_outbox, notification, audit_log, login_throttle, auth_session, role_assignment, app_user,
        stage_record, person_honour, person_certificate, title_record, employment, person, stage_definition,
        kindergarten_group_member, kindergarten_group, org_unit;
    `);
  }
}
