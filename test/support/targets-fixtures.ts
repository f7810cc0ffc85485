import type { Pool } from 'pg';
import { shanghaiDate } from '../../src/common/dates.js';

/** Today as the app counts it (Shanghai), which may differ from the database server's current_date. */
const today = () => shanghaiDate();

/** Recomputed straight from the record, independently of the services: the senior-title count of each operating kindergarten under a unit today (no rotations). */
export async function seniorCounts(pool: Pool, unitCode: string, ownership: 'public' | null = 'public'): Promise<Map<string, { code: string; count: number }>> {
  const { rows } = await pool.query(
    `SELECT k.id, k.code,
            (SELECT count(*) FROM employment e
              WHERE e.org_unit_id = k.id AND e.start_date <= $3::date AND (e.end_date IS NULL OR e.end_date >= $3::date)
                AND (SELECT t.title FROM title_record t WHERE t.person_id = e.person_id AND t.effective_date <= $3::date
                      ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1) IN ('senior', 'professorial'))::int AS count
       FROM org_unit k, org_unit u
      WHERE u.code = $1 AND k.kind = 'kindergarten' AND k.status = 'operating' AND k.path LIKE u.path || '%' AND ($2::text IS NULL OR k.ownership = $2)`,
    [unitCode, ownership, today()]);
  return new Map(rows.map((r) => [r.id, { code: r.code, count: r.count }]));
}

export async function unitId(pool: Pool, code: string): Promise<string> {
  const { rows: [row] } = await pool.query(`SELECT id FROM org_unit WHERE code = $1`, [code]);
  if (!row) throw new Error(`no org unit ${code}`);
  return row.id;
}

/** People employed at a kindergarten now whose latest title is `title`. */
export async function peopleWithTitle(pool: Pool, kindergartenId: string, title: string): Promise<string[]> {
  const { rows } = await pool.query(
    `SELECT e.person_id FROM employment e
      WHERE e.org_unit_id = $1 AND e.end_date IS NULL
        AND (SELECT t.title FROM title_record t WHERE t.person_id = e.person_id AND t.effective_date <= $3::date
              ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1) = $2 ORDER BY e.person_id`, [kindergartenId, title, today()]);
  return rows.map((r) => r.person_id);
}

/** A promotion recorded in the title history, effective today. */
export async function promote(pool: Pool, personId: string, title: string): Promise<void> {
  await pool.query(`INSERT INTO title_record (person_id, title, effective_date, approving_body) VALUES ($1, $2, $3, '青浦区教育局')`, [personId, title, today()]);
}

export const percentOf = (numerator: number, denominator: number) => (denominator ? Math.round((numerator / denominator) * 1000) / 10 : 100);
