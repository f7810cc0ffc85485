import type { Pool } from 'pg';

const HOUR = 3_600_000;

export interface ContestFixture {
  code?: string;
  nameZh?: string;
  posts?: string[];
  opensAt?: Date;
  closesAt?: Date;
  status?: 'draft' | 'published' | 'running' | 'closed';
  credits?: number;
  hours?: number;
  category?: string;
  level?: string;
  honourName?: string | null;
  kind?: 'contest' | 'cohort';
}

let serial = 0;

/** A contest of the Qingpu district written straight to the database (program creation is another module's), open for entries by default. */
export async function createContest(pool: Pool, fx: ContestFixture = {}): Promise<string> {
  serial += 1;
  const kind = fx.kind ?? 'contest';
  const { rows: [row] } = await pool.query(
    `INSERT INTO program (district_id, kind, tier, code, name_zh, name_en, starts_on, ends_on, applications_open_at, applications_close_at,
                          credits, hours, credit_category, credit_level, honour_name, contest_posts, status)
     VALUES ((SELECT id FROM org_unit WHERE code = 'SH-QP'), $1, $2, $3, $4, $5, '2026-01-01', '2026-12-31', $6, $7, $8, $9, $10, $11, $12, $13, $14)
     RETURNING id`,
    [kind, kind === 'contest' ? 'contest' : 'seed', fx.code ?? `CT-${process.pid}-${serial}`, fx.nameZh ?? `2026年青浦区保育技能大赛${serial}`,
      `Qingpu support-staff skills contest ${serial}`, fx.opensAt ?? new Date(Date.now() - 24 * HOUR), fx.closesAt ?? new Date(Date.now() + 24 * HOUR),
      fx.credits ?? 2, fx.hours ?? 12, fx.category ?? 'practice', fx.level ?? 'district', fx.honourName ?? null,
      fx.posts ?? ['caregiver', 'nutrition', 'health'], fx.status ?? 'published']);
  return row.id;
}

/** The person behind a demo login, with their current post and kindergarten code. */
export async function personOf(pool: Pool, username: string): Promise<{ personId: string; post: string; kindergarten: string; fullName: string }> {
  const { rows: [row] } = await pool.query(
    `SELECT p.id AS "personId", p.current_post AS post, k.code AS kindergarten, p.full_name AS "fullName"
       FROM app_user u JOIN person p ON p.id = u.person_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id WHERE u.username = $1`, [username]);
  if (!row) throw new Error(`no person behind ${username}`);
  return row;
}

export async function entryRows(pool: Pool, programId: string): Promise<Array<{ id: string; person_id: string; status: string; award: string | null; score: string | null; entered_by: string | null }>> {
  return (await pool.query(`SELECT id, person_id, status, award, score, entered_by FROM contest_entry WHERE program_id = $1 ORDER BY created_at`, [programId])).rows;
}
