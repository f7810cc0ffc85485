import type { Pool } from 'pg';
import { addDays, shanghaiDate } from '../../src/common/dates.js';

/** Criteria of a 100-point seed selection: ethics 0-20 and teaching 0-40 weighted 2. */
export const CRITERIA = [
  { code: 'ethics', nameZh: '师德表现', nameEn: 'Ethics', maxScore: 20, weight: 1 },
  { code: 'teaching', nameZh: '教育教学', nameEn: 'Teaching', maxScore: 40, weight: 2 },
];

let serial = 0;

/** A valid seed program open for applications now (a week left), starting in two months; `overrides` replace fields. */
export function programBody(overrides: Record<string, unknown> = {}) {
  serial += 1;
  const now = new Date();
  return {
    tier: 'seed', code: `QP-SEED-T${Date.now().toString(36)}${serial}`, nameZh: '青浦区第八届种子计划', nameEn: 'Qingpu 8th round seed programme', round: 8,
    startsOn: shanghaiDate(addDays(now, 60)), eligibility: { maxAge: 40 }, criteria: CRITERIA,
    applicationsOpenAt: addDays(now, -1).toISOString(), applicationsCloseAt: addDays(now, 7).toISOString(),
    credits: 12, hours: 72, honourName: '青浦区第八届种子计划学员',
    ...overrides,
  };
}

/** Moves the program's window into the past (the round can then close; applying and withdrawing are refused). */
export async function closeWindow(pool: Pool, programId: string) {
  await pool.query(`UPDATE program SET applications_open_at = now() - interval '10 days', applications_close_at = now() - interval '1 minute' WHERE id = $1`, [programId]);
}

/** Makes the person `age` years old today (born on this day of the year), working as a teacher. */
export async function makeApplicant(pool: Pool, personId: string, age = 30) {
  const today = shanghaiDate();
  const birth = `${Number(today.slice(0, 4)) - age}${today.slice(4, 10) === '-02-29' ? '-02-28' : today.slice(4)}`;
  await pool.query(`UPDATE person SET birth_date = $2, current_post = 'teacher', hire_date = GREATEST(hire_date, $2::date + 7000) WHERE id = $1`, [personId, birth]);
}

/** Another expert (no org scope) signing in with the demo password; answers the user id. */
export async function createExpert(pool: Pool, username: string, displayName = '另一位学前教育专家'): Promise<string> {
  const { rows } = await pool.query(
    `INSERT INTO app_user (username, display_name, password_hash, locale) SELECT $1, $2, password_hash, 'zh-CN' FROM app_user WHERE username = 'expert' RETURNING id`,
    [username, displayName]);
  await pool.query(`INSERT INTO role_assignment (user_id, role) VALUES ($1, 'expert')`, [rows[0].id]);
  return rows[0].id;
}

export async function userId(pool: Pool, username: string): Promise<string> {
  return (await pool.query('SELECT id FROM app_user WHERE username = $1', [username])).rows[0].id;
}

/** Row counts that show whether a refused request wrote anything. */
export function programCounts(pool: Pool) {
  const n = async (sql: string, params: unknown[] = []) => Number((await pool.query(sql, params)).rows[0].n);
  return {
    programs: () => n('SELECT count(*) AS n FROM program'),
    applications: (programId: string) => n('SELECT count(*) AS n FROM program_application WHERE program_id = $1', [programId]),
    scores: () => n('SELECT count(*) AS n FROM program_review_score'),
    files: () => n(`SELECT count(*) AS n FROM stored_file WHERE purpose = 'program_attachment'`),
    notifications: (userIdValue: string, kindPrefix: string) => n('SELECT count(*) AS n FROM notification WHERE user_id = $1 AND kind LIKE $2', [userIdValue, `${kindPrefix}%`]),
  };
}
