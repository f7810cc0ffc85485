import type { Pool } from 'pg';
import { addDays, shanghaiDate } from '../../src/common/dates.js';

export interface PersonRef {
  username: string;
  personId: string;
  kindergartenId: string;
}

export interface PairingFixture {
  id: string;
  menteePersonId: string;
  mentorPersonIds: string[];
}

export interface PairingOptions {
  mentee: string;
  /** Usernames with their role; the first `lead` is the lead mentor. */
  mentors: Array<{ username: string; role: 'lead' | 'subject' | 'class_management' }>;
  startsOn: string;
  endsOn: string;
  kind?: 'standard' | 'probation';
  status?: 'active' | 'proposed' | 'ended';
}

/** A day relative to today in Shanghai, as YYYY-MM-DD. */
export const dayFromToday = (days: number) => shanghaiDate(addDays(new Date(), days));

export async function personOf(pool: Pool, username: string): Promise<PersonRef> {
  const { rows: [row] } = await pool.query(
    `SELECT u.username, p.id AS "personId", p.current_org_unit_id AS "kindergartenId" FROM app_user u JOIN person p ON p.id = u.person_id WHERE u.username = $1`,
    [username]);
  if (!row) throw new Error(`no person for ${username}`);
  return row;
}

/** An (active by default) pairing written straight to the database, as the pairing flow would leave it after every approval. */
export async function createPairing(pool: Pool, options: PairingOptions): Promise<PairingFixture> {
  const mentee = await personOf(pool, options.mentee);
  const { rows: [pairing] } = await pool.query(
    `INSERT INTO mentor_pairing (district_id, kind, status, source, mentee_person_id, mentee_kindergarten_id, base_kindergarten_id, starts_on, ends_on, goals, activated_at)
     SELECT p.district_id, $2, $3, 'admin', p.id, p.current_org_unit_id, CASE WHEN $2 = 'probation' THEN p.current_org_unit_id END, $4, $5,
            '一年内独立组织集体教学活动', now()
       FROM person p WHERE p.id = $1 RETURNING id`,
    [mentee.personId, options.kind ?? 'standard', options.status ?? 'active', options.startsOn, options.endsOn]);
  const mentorPersonIds: string[] = [];
  for (const mentor of options.mentors) {
    const person = await personOf(pool, mentor.username);
    await pool.query(
      `INSERT INTO mentor_link (pairing_id, mentor_person_id, district_id, mentor_kindergarten_id, role)
       SELECT $1, p.id, p.district_id, p.current_org_unit_id, $3 FROM person p WHERE p.id = $2`, [pairing.id, person.personId, mentor.role]);
    mentorPersonIds.push(person.personId);
  }
  return { id: pairing.id, menteePersonId: mentee.personId, mentorPersonIds };
}

/** Makes a user the kindergarten admin of the kindergarten with this code. */
export async function grantKindergartenAdmin(pool: Pool, username: string, kindergartenCode: string): Promise<void> {
  await pool.query(
    `INSERT INTO role_assignment (user_id, role, org_unit_id)
     SELECT u.id, 'kindergarten_admin', o.id FROM app_user u, org_unit o WHERE u.username = $1 AND o.code = $2 ON CONFLICT DO NOTHING`,
    [username, kindergartenCode]);
}

export async function kindergartenId(pool: Pool, code: string): Promise<string> {
  const { rows: [row] } = await pool.query('SELECT id FROM org_unit WHERE code = $1', [code]);
  return row.id;
}

/** Mentoring ledger entries by source key prefix `mentoring:<reviewId>:`. */
export async function mentoringEntries(pool: Pool, reviewId: string): Promise<Array<{ personId: string; credits: number; category: string; level: string }>> {
  const { rows } = await pool.query(
    `SELECT person_id AS "personId", credits::float AS credits, category, level FROM credit_entry WHERE source = 'mentoring' AND source_key LIKE $1 ORDER BY person_id`,
    [`mentoring:${reviewId}:%`]);
  return rows;
}
