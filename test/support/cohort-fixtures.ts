import type pg from 'pg';

export interface ProgramFixture {
  id: string;
  districtId: string;
}

export interface ProgramOptions {
  tier?: string;
  round?: number | null;
  code?: string;
  nameZh?: string;
  startsOn?: string;
  endsOn?: string;
  credits?: number;
  hours?: number;
  honourName?: string | null;
  status?: string;
  previousProgramId?: string | null;
  districtId?: string;
}

let serial = 0;

/** Programs and their members written straight to the database (programs themselves are another part's work). */
export function cohortFixtures(pool: pg.Pool) {
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await pool.query(sql, params)).rows[0] as T;
  const qingpu = async (): Promise<string> => (await one<{ id: string }>(`SELECT id FROM org_unit WHERE code = 'SH-QP'`)).id;

  return {
    qingpu,
    async personId(username: string): Promise<string> {
      return (await one<{ person_id: string }>(`SELECT person_id FROM app_user WHERE username = $1`, [username])).person_id;
    },
    async orgUnitId(code: string): Promise<string> {
      return (await one<{ id: string }>(`SELECT id FROM org_unit WHERE code = $1`, [code])).id;
    },
    async courseId(code: string): Promise<string> {
      return (await one<{ id: string }>(`SELECT id FROM course WHERE code = $1`, [code])).id;
    },
    /** A running cohort program of Qingpu (or `districtId`), seed tier, round 8, 2026-2028 by default. */
    async program(options: ProgramOptions = {}): Promise<ProgramFixture> {
      serial += 1;
      const districtId = options.districtId ?? await qingpu();
      const row = await one<{ id: string }>(
        `INSERT INTO program (district_id, kind, tier, code, name_zh, name_en, round, starts_on, ends_on, applications_open_at, applications_close_at,
                              credits, hours, honour_name, status, previous_program_id)
         VALUES ($1, 'cohort', $2, $3, $4, $5, $6, $7, $8, '2025-10-01T00:00:00+08:00', '2025-11-01T00:00:00+08:00', $9, $10, $11, $12, $13)
         RETURNING id`,
        [districtId, options.tier ?? 'seed', options.code ?? `COHORT-${process.pid}-${serial}`, options.nameZh ?? `青浦区第八届种子计划${serial}`,
          `Qingpu seed program ${serial}`, options.round === undefined ? 8 : options.round, options.startsOn ?? '2026-01-01', options.endsOn ?? '2028-12-31',
          options.credits ?? 10, options.hours ?? 60, options.honourName === undefined ? null : options.honourName, options.status ?? 'running',
          options.previousProgramId ?? null]);
      return { id: row.id, districtId };
    },
    /** The person of `username` as an active member of the program (as selection would add them). */
    async member(programId: string, username: string, status = 'active'): Promise<string> {
      const row = await one<{ id: string }>(
        `INSERT INTO program_member (program_id, district_id, person_id, status, joined_on)
         SELECT p.id, p.district_id, u.person_id, $3, p.starts_on FROM program p, app_user u WHERE p.id = $1 AND u.username = $2 RETURNING id`,
        [programId, username, status]);
      return row.id;
    },
    /** A credit in the ledger, as any award would write it. */
    async credit(username: string, credits: number, occurredOn: string): Promise<void> {
      await pool.query(
        `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, title, occurred_on)
         SELECT p.id, p.district_id, 0, $2, 'practice', 'district', 'manual_adjustment', '测试学分', $3 FROM person p JOIN app_user u ON u.person_id = p.id
          WHERE u.username = $1`, [username, credits, occurredOn]);
    },
    /** A completed enrolment of the course, as the completion flow leaves it. */
    async completeCourse(username: string, courseCode: string): Promise<void> {
      await pool.query(
        `INSERT INTO enrollment (offering_id, course_id, person_id, district_id, kindergarten_id, level, status)
         SELECT o.id, c.id, p.id, p.district_id, p.current_org_unit_id, c.level, 'completed'
           FROM course c JOIN offering o ON o.course_id = c.id, person p JOIN app_user u ON u.person_id = p.id
          WHERE c.code = $1 AND u.username = $2 ORDER BY o.code LIMIT 1`, [courseCode, username]);
    },
    /** Another district beside Qingpu, with a district admin of its own. */
    async otherDistrict(code = 'SH-XH'): Promise<{ districtId: string; admin: string }> {
      const district = await one<{ id: string }>(
        `WITH n AS (SELECT gen_random_uuid() AS id), c AS (SELECT id, path FROM org_unit WHERE kind = 'city' LIMIT 1)
         INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name)
         SELECT n.id, 'district', c.id, c.path || n.id || '/', 1, n.id, $1, '徐汇区' FROM n, c RETURNING id`, [code]);
      const admin = `admin_${code.toLowerCase().replace(/[^a-z]/g, '')}`;
      await pool.query(
        `WITH u AS (INSERT INTO app_user (username, display_name, password_hash, locale)
                    SELECT $1, '徐汇区管理员', password_hash, 'zh-CN' FROM app_user WHERE username = 'district_admin' RETURNING id)
         INSERT INTO role_assignment (user_id, role, org_unit_id) SELECT u.id, 'district_admin', $2 FROM u`, [admin, district.id]);
      return { districtId: district.id, admin };
    },
    async count(sql: string, params: unknown[] = []): Promise<number> {
      return Number((await one<{ n: string }>(sql, params)).n);
    },
  };
}
