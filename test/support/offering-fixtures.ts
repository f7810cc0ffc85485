import type { Pool } from 'pg';

export interface OfferingFixture {
  courseId: string;
  offeringId: string;
  meetingIds: string[];
}

export interface OfferingOptions {
  level?: 'city' | 'district' | 'kindergarten';
  ownerCode?: string;
  capacity?: number;
  kindergartenQuota?: number | null;
  approvalMode?: 'none' | 'kindergarten' | 'kindergarten_then_district';
  waitlistMode?: 'none' | 'auto' | 'offer';
  offerExpiryHours?: number | null;
  priorityTiers?: unknown[];
  audience?: Record<string, string[]>;
  status?: 'draft' | 'published';
  /** Offsets from now in hours. */
  opensIn?: number;
  closesIn?: number;
  withdrawIn?: number;
  meetings?: Array<{ startsIn: number; hours: number }>;
  trainerUsername?: string;
}

let serial = 0;

/** A published course and offering written straight to the database, for tests of what happens after the catalog. */
export async function createOffering(pool: Pool, options: OfferingOptions = {}): Promise<OfferingFixture> {
  serial += 1;
  const code = `T${process.pid % 10000}-${serial}-${Math.floor(Math.random() * 1e6)}`;
  const { rows: [owner] } = await pool.query(`SELECT id, coalesce(district_id, id) AS district_id FROM org_unit WHERE code = $1`, [options.ownerCode ?? 'SH-QP']);
  const { rows: [course] } = await pool.query(
    `INSERT INTO course (district_id, owner_org_unit_id, code, title, category, level, mode, hours, credits, audience, status)
     VALUES ($1, $2, $3, $4, 'knowledge_skills', $5, 'offline', 6, 0.6, $6, 'published') RETURNING id`,
    [owner.district_id, owner.id, code, `测试课程 ${code}`, options.level ?? 'district', JSON.stringify(options.audience ?? {})]);
  const hour = 3_600_000;
  const at = (hours: number) => new Date(Date.now() + hours * hour);
  const { rows: [offering] } = await pool.query(
    `INSERT INTO offering (course_id, district_id, code, capacity, kindergarten_quota, enrol_opens_at, enrol_closes_at, withdraw_deadline,
       approval_mode, priority_tiers, waitlist_mode, offer_expiry_hours, status)
     VALUES ($1, $2, 'O1', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [course.id, owner.district_id, options.capacity ?? 10, options.kindergartenQuota ?? null, at(options.opensIn ?? -24), at(options.closesIn ?? 24 * 7),
      at(options.withdrawIn ?? 24 * 7), options.approvalMode ?? 'none', JSON.stringify(options.priorityTiers ?? []), options.waitlistMode ?? 'auto',
      options.offerExpiryHours ?? (options.waitlistMode === 'offer' ? 24 : null), options.status ?? 'published']);
  const meetingIds: string[] = [];
  for (const meeting of options.meetings ?? [{ startsIn: 24 * 10, hours: 3 }]) {
    const { rows: [m] } = await pool.query(
      `INSERT INTO meeting (offering_id, district_id, starts_at, ends_at, place, hours) VALUES ($1, $2, $3, $4, '青浦区教师进修学院', $5) RETURNING id`,
      [offering.id, owner.district_id, at(meeting.startsIn), at(meeting.startsIn + meeting.hours), meeting.hours]);
    meetingIds.push(m.id);
  }
  if (options.trainerUsername) {
    await pool.query(`INSERT INTO offering_trainer (offering_id, user_id) SELECT $1, id FROM app_user WHERE username = $2`, [offering.id, options.trainerUsername]);
  }
  return { courseId: course.id, offeringId: offering.id, meetingIds };
}

/** Demo logins of teachers (t00001, …) at kindergartens, with their person ids, for filling offerings. */
export async function teachers(pool: Pool, count: number, where = 'TRUE'): Promise<Array<{ username: string; personId: string; kindergartenId: string }>> {
  const { rows } = await pool.query(
    `SELECT u.username, p.id AS "personId", p.current_org_unit_id AS "kindergartenId"
       FROM app_user u JOIN person p ON p.id = u.person_id
      WHERE u.username ~ '^t[0-9]{5}$' AND p.current_org_unit_id IS NOT NULL AND ${where}
      ORDER BY u.username LIMIT $1`, [count]);
  return rows;
}

/** Bearer tokens for many demo users at once, as sessions written directly (signing in 200 users one by one is slow). */
export async function sessionTokens(pool: Pool, usernames: string[]): Promise<Map<string, string>> {
  const { newToken, hashToken } = await import('../../src/modules/auth/tokens.js');
  const tokens = new Map<string, string>();
  for (const username of usernames) {
    const token = newToken();
    await pool.query(
      `INSERT INTO auth_session (user_id, token_hash, kind, expires_at) SELECT id, $2, 'api', now() + interval '1 hour' FROM app_user WHERE username = $1`,
      [username, hashToken(token)]);
    tokens.set(username, token);
  }
  return tokens;
}
