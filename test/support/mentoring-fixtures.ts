import type pg from 'pg';

export interface StaffPick {
  personId: string;
  username: string;
  fullName: string;
}

const LATEST_TITLE = `(SELECT t.title FROM title_record t WHERE t.person_id = p.id ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1)`;

/** Demo people picked by what the tests need, so the tests do not depend on generated names. */
export function mentoringFixtures(pool: pg.Pool) {
  const kindergartenId = async (code: string): Promise<string> =>
    (await pool.query(`SELECT id FROM org_unit WHERE code = $1`, [`SH-QP-${code}`])).rows[0].id;

  /** Staff with a sign-in at a kindergarten: `mentors` are eligible ones (backbone or leadership, first-grade title or higher), `mentees` are novices and competent teachers. */
  const staff = async (code: string, kind: 'mentors' | 'mentees' | 'caregivers'): Promise<StaffPick[]> => {
    const where = {
      mentors: `((p.current_post = 'teacher' AND p.teacher_stage = 'backbone') OR p.current_post IN ('principal','vice_principal'))
                AND ${LATEST_TITLE} IN ('first','senior','professorial')`,
      mentees: `p.current_post = 'teacher' AND p.teacher_stage IN ('novice','competent')`,
      caregivers: `p.current_post = 'caregiver'`,
    }[kind];
    const rows = await pool.query(
      `SELECT p.id, u.username, p.full_name FROM person p JOIN app_user u ON u.person_id = p.id JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE k.code = $1 AND u.username LIKE 't0%' AND ${where}
        ORDER BY CASE p.teacher_stage WHEN 'novice' THEN 0 ELSE 1 END, u.username`, [`SH-QP-${code}`]);
    return rows.rows.map((r) => ({ personId: r.id, username: r.username, fullName: r.full_name }));
  };

  return {
    kindergartenId,
    staff,
    async personId(username: string): Promise<string> {
      return (await pool.query(`SELECT person_id FROM app_user WHERE username = $1`, [username])).rows[0].person_id;
    },
    /** Makes a demo teacher the kindergarten admin of their kindergarten (before they sign in). */
    async grantKindergartenAdmin(username: string, code: string): Promise<void> {
      await pool.query(
        `INSERT INTO role_assignment (user_id, role, org_unit_id) SELECT u.id, 'kindergarten_admin', k.id FROM app_user u, org_unit k
          WHERE u.username = $1 AND k.code = $2`, [username, `SH-QP-${code}`]);
    },
    async count(sql: string, params: unknown[] = []): Promise<number> {
      return Number((await pool.query(sql, params)).rows[0].count);
    },
    /** Every row a pairing writes, to prove a refusal wrote nothing. */
    async writes(): Promise<string> {
      const r = await pool.query(
        `SELECT (SELECT count(*) FROM mentor_pairing) || '/' || (SELECT count(*) FROM mentor_link) || '/' || (SELECT count(*) FROM pairing_approval)
                || '/' || (SELECT count(*) FROM pairing_consent) || '/' || (SELECT count(*) FROM audit_log WHERE entity_type = 'mentor_pairing') AS n`);
      return r.rows[0].n;
    },
  };
}
