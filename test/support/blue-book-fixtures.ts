import type { Pool } from 'pg';

/** People employed in one of the district's kindergartens on a date, counted independently of the book's query. */
export async function staffCount(pool: Pool, districtId: string, on: string): Promise<number> {
  const { rows: [row] } = await pool.query(
    `SELECT count(*)::int AS n FROM person p
      WHERE EXISTS (SELECT 1 FROM employment e JOIN org_unit k ON k.id = e.org_unit_id
                     WHERE e.person_id = p.id AND k.kind = 'kindergarten' AND k.district_id = $1
                       AND e.start_date <= $2 AND COALESCE(e.end_date, 'infinity') >= $2)`, [districtId, on]);
  return row.n;
}

/** Title → head count on a date ('none' for people without a title then). */
export async function titleCounts(pool: Pool, districtId: string, on: string): Promise<Map<string, number>> {
  const { rows } = await pool.query(
    `SELECT COALESCE(t.title, 'none') AS title, count(*)::int AS n
       FROM person p
       LEFT JOIN LATERAL (SELECT title FROM title_record r WHERE r.person_id = p.id AND r.effective_date <= $2
                           ORDER BY r.effective_date DESC, r.created_at DESC LIMIT 1) t ON true
      WHERE EXISTS (SELECT 1 FROM employment e JOIN org_unit k ON k.id = e.org_unit_id
                     WHERE e.person_id = p.id AND k.kind = 'kindergarten' AND k.district_id = $1
                       AND e.start_date <= $2 AND COALESCE(e.end_date, 'infinity') >= $2)
      GROUP BY 1`, [districtId, on]);
  return new Map(rows.map((r) => [r.title as string, r.n as number]));
}

/**
 * One active pairing of two teachers of the district with two confirmed observations and an
 * accepted term review this year, one observation still unconfirmed, and one rotation.
 */
export async function addMentoringYear(pool: Pool, districtId: string, today: string): Promise<{ pairingId: string }> {
  const { rows: people } = await pool.query(
    `SELECT p.id, p.current_org_unit_id AS kg FROM person p
      WHERE p.district_id = $1 AND p.current_post = 'teacher' AND p.current_org_unit_id IS NOT NULL
      ORDER BY p.id LIMIT 2`, [districtId]);
  const [mentee, mentor] = people as Array<{ id: string; kg: string }>;
  const year = today.slice(0, 4);
  const term = `${Number(year) - 1}-${year}-2`;
  const { rows: [pairing] } = await pool.query(
    `INSERT INTO mentor_pairing (district_id, status, source, mentee_person_id, mentee_kindergarten_id, starts_on, ends_on, goals, activated_at)
     VALUES ($1, 'active', 'admin', $2, $3, $4::date - 30, $4::date + 300, '一年内独立组织集体教学活动', now() - interval '30 days') RETURNING id`,
    [districtId, mentee.id, mentee.kg, today]);
  await pool.query(
    `INSERT INTO mentor_link (pairing_id, mentor_person_id, district_id, mentor_kindergarten_id, role) VALUES ($1, $2, $3, $4, 'lead')`,
    [pairing.id, mentor.id, districtId, mentor.kg]);
  for (const status of ['confirmed', 'confirmed', 'logged']) {
    await pool.query(
      `INSERT INTO mentoring_activity (pairing_id, district_id, kind, actor_person_id, logged_by_person_id, occurred_on, term, duration_minutes, status,
         confirmed_by_person_id, confirmed_at)
       VALUES ($1, $2, 'observation', $3, $3, $4::date - 5, $5, 40, $6, CASE WHEN $6 = 'confirmed' THEN $7::uuid END, CASE WHEN $6 = 'confirmed' THEN now() - interval '1 day' END)`,
      [pairing.id, districtId, mentee.id, today, term, status, mentor.id]);
  }
  await pool.query(
    `INSERT INTO mentoring_term_review (pairing_id, district_id, term, status, targets, progress, mentor_comment, decided_at)
     VALUES ($1, $2, $3, 'accepted', '{}', '{}', '进步明显', now() - interval '1 day')`, [pairing.id, districtId, term]);
  const { rows: [host] } = await pool.query(
    `SELECT id FROM org_unit WHERE district_id = $1 AND kind = 'kindergarten' AND status = 'operating' AND id <> $2 ORDER BY code LIMIT 1`, [districtId, mentor.kg]);
  await pool.query(
    `INSERT INTO rotation (person_id, district_id, home_kindergarten_id, host_kindergarten_id, kind, starts_on, ends_on)
     VALUES ($1, $2, $3, $4, 'support', $5::date - 60, $5::date + 300)`, [mentor.id, districtId, mentor.kg, host.id, today]);
  return { pairingId: pairing.id };
}
