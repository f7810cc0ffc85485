import type { Pool } from 'pg';
import { catalogFixtures } from './catalog-fixtures.js';

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

/** A published course with one offering and its meetings (timed relative to now), through the catalog fixtures. */
export async function createOffering(pool: Pool, options: OfferingOptions = {}): Promise<OfferingFixture> {
  const fixtures = catalogFixtures(pool);
  const hours = (h: number) => new Date(Date.now() + h * 3_600_000);
  const courseId = await fixtures.createCourse({ ownerCode: options.ownerCode, level: options.level ?? 'district', audience: options.audience });
  const offeringId = await fixtures.createOffering(courseId, {
    capacity: options.capacity ?? 10, kindergartenQuota: options.kindergartenQuota ?? null, status: options.status ?? 'published',
    approvalMode: options.approvalMode, waitlistMode: options.waitlistMode, offerExpiryHours: options.offerExpiryHours,
    enrolOpensAt: hours(options.opensIn ?? -24), enrolClosesAt: hours(options.closesIn ?? 24 * 7), withdrawDeadline: hours(options.withdrawIn ?? 24 * 7),
    trainers: options.trainerUsername ? [options.trainerUsername] : [], priorityTiers: options.priorityTiers,
  });
  const meetingIds: string[] = [];
  for (const meeting of options.meetings ?? [{ startsIn: 24 * 10, hours: 3 }]) {
    meetingIds.push(await fixtures.addMeeting(offeringId, { startsAt: hours(meeting.startsIn), endsAt: hours(meeting.startsIn + meeting.hours) }));
  }
  return { courseId, offeringId, meetingIds };
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
