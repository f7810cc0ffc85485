import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { TestApp } from './test-app.js';

export interface SecondDistrict {
  districtId: string;
  demonstrationId: string;
  ordinaryId: string;
  /** The principal of the district's demonstration kindergarten. */
  principalId: string;
  /** The principal of an ordinary (一级) kindergarten. */
  ordinaryPrincipalId: string;
  /** Its district admin's sign-in (demo password). */
  adminUsername: string;
}

/**
 * A second district under the city (the demo has only Qingpu), with a district demonstration
 * kindergarten and a first-grade one, a principal at each, and a district admin signing in with
 * the demo password. Written straight into the test database.
 */
export async function addSecondDistrict(pool: pg.Pool, code = 'SH-JD', name = '嘉定区'): Promise<SecondDistrict> {
  const one = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0] as Record<string, string>;
  const districtId = randomUUID();
  const city = await one(`SELECT id, path FROM org_unit WHERE kind = 'city' LIMIT 1`, []);
  await pool.query(
    `INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name) VALUES ($1, 'district', $2, $3, 1, $1, $4, $5)`,
    [districtId, city.id, `${city.path}${districtId}/`, code, name]);
  const kindergarten = async (suffix: string, grade: string, label: string) => {
    const id = randomUUID();
    await pool.query(
      `INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name, ownership, inclusive, grade, status)
       VALUES ($1, 'kindergarten', $2, $3, 2, $2, $4, $5, 'public', true, $6, 'operating')`,
      [id, districtId, `${city.path}${districtId}/${id}/`, `${code}-${suffix}`, `${name}${label}`, grade]);
    return id;
  };
  const demonstrationId = await kindergarten('K001', 'district_demonstration', '实验幼儿园');
  const ordinaryId = await kindergarten('K002', 'first', '新城幼儿园');
  const principal = async (kindergartenId: string, fullName: string) => {
    const id = randomUUID();
    await pool.query(
      `INSERT INTO person (id, district_id, full_name, gender, birth_date, national_id_enc, national_id_hash, national_id_masked, education_level,
                           preschool_major, hire_date, current_org_unit_id, current_post)
       VALUES ($1, $2, $3, 'female', '1975-03-01', 'fixture', $4, '310***********0000', 'bachelor', true, '1997-09-01', $5, 'principal')`,
      [id, districtId, fullName, `fixture-${id}`, kindergartenId]);
    await pool.query(`INSERT INTO employment (person_id, org_unit_id, district_id, post, start_date) VALUES ($1, $2, $3, 'principal', '2015-09-01')`,
      [id, kindergartenId, districtId]);
    return id;
  };
  const principalId = await principal(demonstrationId, '钱园长');
  const ordinaryPrincipalId = await principal(ordinaryId, '孙园长');
  const adminUsername = `${code.split('-').pop()!.toLowerCase()}_admin`;
  const user = await one(
    `INSERT INTO app_user (username, display_name, password_hash, locale)
     SELECT $1, $2, password_hash, 'zh-CN' FROM app_user WHERE username = 'district_admin' RETURNING id`, [adminUsername, `${name}教育局管理员`]);
  await pool.query(`INSERT INTO role_assignment (user_id, role, org_unit_id) VALUES ($1, 'district_admin', $2)`, [user.id, districtId]);
  return { districtId, demonstrationId, ordinaryId, principalId, ordinaryPrincipalId, adminUsername };
}

/** People of the demo district by what they can be in a lecture series. */
export async function qingpuSpeakers(pool: pg.Pool) {
  const personOf = async (where: string) => (await pool.query(
    `SELECT p.id FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id WHERE ${where} ORDER BY k.code, p.full_name LIMIT 1`)).rows[0].id as string;
  return {
    /** The principal of the city demonstration kindergarten SH-QP-K013. */
    principal: await personOf(`k.code = 'SH-QP-K013' AND p.current_post = 'principal'`),
    vicePrincipal: await personOf(`k.code = 'SH-QP-K014' AND p.current_post = 'vice_principal'`),
    /** A teacher of a demonstration kindergarten (not a principal). */
    teacher: await personOf(`k.code = 'SH-QP-K013' AND p.current_post = 'teacher'`),
    /** kg_admin: the principal of SH-QP-K001, a second-grade kindergarten. */
    ordinaryPrincipal: (await pool.query(`SELECT person_id FROM app_user WHERE username = 'kg_admin'`)).rows[0].person_id as string,
  };
}

/** The lecture-series API as the given user. */
export function lectureApi(t: TestApp) {
  const as = async (username: string) => ({ Authorization: `Bearer ${await t.token(username)}` });
  return {
    as,
    createSeries: async (username: string, body: object) => t.http().post('/api/lectures/series').set(await as(username)).send(body),
    getSeries: async (username: string, id: string) => t.http().get(`/api/lectures/series/${id}`).set(await as(username)),
    addSession: async (username: string, seriesId: string, body: object) =>
      t.http().post(`/api/lectures/series/${seriesId}/sessions`).set(await as(username)).send(body),
    file: async (username: string, seriesId: string) => t.http().post(`/api/lectures/series/${seriesId}/file`).set(await as(username)),
    setDeadline: async (username: string, semester: string, body: object) =>
      t.http().put(`/api/lectures/deadlines/${semester}`).set(await as(username)).send(body),
    overview: async (username: string, semester: string) => t.http().get(`/api/lectures/overview?semester=${semester}`).set(await as(username)),
  };
}

/** A session in `month` (YYYY-MM) on its 10th, 13:30–16:30 Shanghai time. */
export function sessionOn(month: string, speakerPersonId: string, topic = '幼儿园课程领导力的实践与反思', day = '10') {
  return { month, topic, speakerPersonId, startsAt: `${month}-${day}T13:30:00+08:00`, endsAt: `${month}-${day}T16:30:00+08:00` };
}

/** The semester a date is in (August counts towards autumn), the one after, and their months: worked out here, apart from the app's rules. */
export function semesters(today: string) {
  const [year, month] = today.split('-').map(Number);
  const current = month === 1 ? { year: year - 1, term: 'autumn' } : month >= 8 ? { year, term: 'autumn' } : { year, term: 'spring' };
  const next = current.term === 'autumn' ? { year: current.year + 1, term: 'spring' } : { year: current.year, term: 'autumn' };
  const monthsOf = (s: { year: number; term: string }) => (s.term === 'autumn'
    ? [`${s.year}-09`, `${s.year}-10`, `${s.year}-11`, `${s.year}-12`, `${s.year + 1}-01`]
    : ['02', '03', '04', '05', '06', '07'].map((m) => `${s.year}-${m}`));
  const code = (s: { year: number; term: string }) => `${s.year}-${s.term}`;
  return { current: code(current), next: code(next), currentMonths: monthsOf(current), nextMonths: monthsOf(next), currentYear: current.year, nextTerm: next };
}
