import type pg from 'pg';

export interface CourseOptions {
  /** Org unit code of the owner: the district (default) or a kindergarten for a 园本 course. */
  ownerCode?: string;
  title?: string;
  level?: 'city' | 'district' | 'kindergarten';
  category?: 'ethics' | 'knowledge_skills' | 'practice' | 'self_study';
  mode?: 'offline' | 'online' | 'hybrid';
  hours?: number;
  credits?: number;
  status?: 'draft' | 'published' | 'archived';
  audience?: Record<string, unknown>;
}

export interface OfferingOptions {
  /** Usernames listed as the offering's trainers. */
  trainers?: string[];
  capacity?: number;
  kindergartenQuota?: number | null;
  status?: 'draft' | 'published' | 'cancelled' | 'closed';
  approvalMode?: 'none' | 'kindergarten' | 'kindergarten_then_district';
  waitlistMode?: 'none' | 'auto' | 'offer';
  offerExpiryHours?: number | null;
  minAttendanceShare?: number;
  priorityTiers?: unknown[];
  label?: string;
  enrolOpensAt?: Date;
  enrolClosesAt?: Date;
  withdrawDeadline?: Date;
}

export interface MeetingOptions {
  startsAt: Date;
  /** Default: two hours after the start. */
  endsAt?: Date;
  /** Default: the length in hours. */
  hours?: number;
  title?: string;
  place?: string | null;
  onlineUrl?: string | null;
}

const HOUR = 3_600_000;
let sequence = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(sequence++).toString(36)}`.toUpperCase();

/**
 * Courses, offerings, meetings, materials and enrolments written straight into a test database,
 * for tests that need them before (or without) the catalog and enrolment APIs.
 */
export function catalogFixtures(pool: pg.Pool) {
  const one = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T> => {
    const { rows } = await pool.query(sql, params);
    if (!rows[0]) throw new Error(`fixture query found nothing: ${sql}`);
    return rows[0] as T;
  };
  const orgUnit = async (code: string) => one<{ id: string; district_id: string | null; kind: string }>(`SELECT id, district_id, kind FROM org_unit WHERE code = $1`, [code]);
  const districtOf = async (code: string) => {
    const unit = await orgUnit(code);
    return unit.kind === 'district' ? unit.id : unit.district_id!;
  };
  const userId = async (username: string) => (await one<{ id: string }>(`SELECT id FROM app_user WHERE lower(username) = lower($1)`, [username])).id;

  /** An enrolment of the person, as the enrolment module would leave it (default: enrolled), with its first event. */
  const enrol = async (offeringId: string, personId: string, status = 'enrolled'): Promise<string> => {
    const row = await one<{ id: string; district_id: string }>(
      `INSERT INTO enrollment (offering_id, course_id, person_id, district_id, kindergarten_id, level, status, approval_step, offer_expires_at)
       SELECT o.id, o.course_id, p.id, o.district_id, p.current_org_unit_id, c.level, $3::text,
              CASE WHEN $3::text = 'pending_approval' THEN 'kindergarten' END, CASE WHEN $3::text = 'offered' THEN now() + interval '1 day' END
         FROM offering o JOIN course c ON c.id = o.course_id, person p
        WHERE o.id = $1 AND p.id = $2
       RETURNING id, district_id`, [offeringId, personId, status]);
    await pool.query(`INSERT INTO enrollment_event (enrollment_id, district_id, from_status, to_status) VALUES ($1, $2, NULL, $3)`, [row.id, row.district_id, status]);
    return row.id;
  };

  return {
    enrol,
    orgUnitId: async (code: string) => (await orgUnit(code)).id,
    userId,
    /** The person behind a sign-in (every demo teacher has one). */
    personIdOf: async (username: string) => (await one<{ person_id: string }>(`SELECT person_id FROM app_user WHERE lower(username) = lower($1)`, [username])).person_id,

    async createCourse(options: CourseOptions = {}): Promise<string> {
      const ownerCode = options.ownerCode ?? 'SH-QP';
      const [owner, districtId] = await Promise.all([orgUnit(ownerCode), districtOf(ownerCode)]);
      const hours = options.hours ?? 12;
      const row = await one<{ id: string }>(
        `INSERT INTO course (district_id, owner_org_unit_id, code, title, description, provider, category, level, mode, hours, credits, audience, status)
         VALUES ($1, $2, $3, $4, '', '青浦区教师进修学院', $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [districtId, owner.id, unique('C'), options.title ?? '安吉游戏的观察与支持', options.category ?? 'knowledge_skills',
          options.level ?? (owner.kind === 'kindergarten' ? 'kindergarten' : 'district'), options.mode ?? 'offline', hours,
          options.credits ?? hours / 6, JSON.stringify(options.audience ?? {}), options.status ?? 'published']);
      return row.id;
    },

    async createOffering(courseId: string, options: OfferingOptions = {}): Promise<string> {
      const now = Date.now();
      const row = await one<{ id: string }>(
        `INSERT INTO offering (course_id, district_id, code, label, capacity, kindergarten_quota, enrol_opens_at, enrol_closes_at, withdraw_deadline,
                               approval_mode, waitlist_mode, offer_expiry_hours, min_attendance_share, status, priority_tiers)
         SELECT c.id, c.district_id, $2::text, $3::text, $4::int, $5::int, $6::timestamptz, $7::timestamptz, $8::timestamptz,
                $9::text, $10::text, $11::int, $12::numeric, $13::text, $14::jsonb FROM course c WHERE c.id = $1 RETURNING id`,
        [courseId, unique('O'), options.label ?? '', options.capacity ?? 40, options.kindergartenQuota ?? null,
          options.enrolOpensAt ?? new Date(now - 7 * 24 * HOUR), options.enrolClosesAt ?? new Date(now + 7 * 24 * HOUR),
          options.withdrawDeadline ?? new Date(now + 5 * 24 * HOUR), options.approvalMode ?? 'none', options.waitlistMode ?? 'auto',
          options.offerExpiryHours ?? (options.waitlistMode === 'offer' ? 24 : null), options.minAttendanceShare ?? 0, options.status ?? 'published',
          JSON.stringify(options.priorityTiers ?? [])]);
      for (const trainer of options.trainers ?? []) {
        await pool.query(`INSERT INTO offering_trainer (offering_id, user_id) VALUES ($1, $2)`, [row.id, await userId(trainer)]);
      }
      return row.id;
    },

    async addMeeting(offeringId: string, options: MeetingOptions): Promise<string> {
      const endsAt = options.endsAt ?? new Date(options.startsAt.getTime() + 2 * HOUR);
      const hours = options.hours ?? Math.round(((endsAt.getTime() - options.startsAt.getTime()) / HOUR) * 10) / 10;
      const row = await one<{ id: string }>(
        `INSERT INTO meeting (offering_id, district_id, title, starts_at, ends_at, place, online_url, hours)
         SELECT o.id, o.district_id, $2::text, $3::timestamptz, $4::timestamptz, $5::text, $6::text, $7::numeric FROM offering o WHERE o.id = $1 RETURNING id`,
        [offeringId, options.title ?? '', options.startsAt, endsAt, options.place === undefined ? '青浦区教师进修学院 302 室' : options.place,
          options.onlineUrl ?? null, hours]);
      return row.id;
    },

    async addMaterial(offeringId: string, options: { title?: string; kind?: 'document' | 'video' | 'page'; required?: boolean; sortOrder?: number } = {}): Promise<string> {
      const row = await one<{ id: string }>(
        `INSERT INTO material (offering_id, kind, title, url, sort_order, required) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [offeringId, options.kind ?? 'video', options.title ?? '游戏观察记录示范', 'https://example.org/material', options.sortOrder ?? 0, options.required ?? true]);
      return row.id;
    },

    /** Enrols the person behind a sign-in; answers both ids. */
    async enrolUser(offeringId: string, username: string, status = 'enrolled'): Promise<{ enrollmentId: string; personId: string }> {
      const personId = (await one<{ person_id: string }>(`SELECT person_id FROM app_user WHERE lower(username) = lower($1)`, [username])).person_id;
      return { enrollmentId: await enrol(offeringId, personId, status), personId };
    },

    /** Another trainer over the district, signing in with the demo password (copied from the demo trainer). */
    async createTrainer(username: string, displayName = '另一位培训者'): Promise<string> {
      const row = await one<{ id: string }>(
        `INSERT INTO app_user (username, display_name, password_hash, locale)
         SELECT $1, $2, password_hash, 'zh-CN' FROM app_user WHERE username = 'trainer' RETURNING id`, [username, displayName]);
      await pool.query(
        `INSERT INTO role_assignment (user_id, role, org_unit_id) SELECT $1, 'trainer', r.org_unit_id
           FROM role_assignment r JOIN app_user u ON u.id = r.user_id WHERE u.username = 'trainer' AND r.role = 'trainer'`, [row.id]);
      return row.id;
    },
  };
}

export type CatalogFixtures = ReturnType<typeof catalogFixtures>;
