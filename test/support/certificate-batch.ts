import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const code = () => [...randomBytes(16)].map((b) => CODE_ALPHABET[b & 31]).join('');

/**
 * `count` completed enrolments of demo teachers, each with a pending certificate waiting to be rendered
 * (as the completing transaction leaves them), written straight into the test database; answers the
 * certificate ids in creation order. The same shape as test/bench/certificates.mjs.
 */
export async function pendingCertificates(pool: Pool, count: number): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO completion_rule (offering_id, district_id, effective_from, min_attendance_share)
       SELECT id, district_id, created_at, min_attendance_share FROM offering o WHERE NOT EXISTS (SELECT 1 FROM completion_rule r WHERE r.offering_id = o.id)`);
    await client.query(
      `INSERT INTO enrollment (offering_id, course_id, person_id, district_id, kindergarten_id, level, status, requested_at, status_changed_at)
       SELECT o.id, o.course_id, p.id, o.district_id, p.current_org_unit_id, c.level, 'completed', now(), now()
         FROM (SELECT * FROM app_user WHERE username ~ '^t[0-9]{5}$' ORDER BY username LIMIT 200) u JOIN person p ON p.id = u.person_id
              CROSS JOIN offering o JOIN course c ON c.id = o.course_id
        WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.offering_id = o.id AND e.person_id = p.id)
        ORDER BY o.id, u.username LIMIT $1
       ON CONFLICT (offering_id, person_id) DO NOTHING`, [count]);
    const { rows: enrollments } = await client.query(
      `SELECT e.id, e.offering_id, e.person_id, e.district_id,
              (SELECT r.id FROM completion_rule r WHERE r.offering_id = e.offering_id ORDER BY r.effective_from DESC LIMIT 1) AS rule_id,
              p.full_name, c.title, o.label, coalesce(owner.name, d.name) AS issuer
         FROM enrollment e JOIN person p ON p.id = e.person_id JOIN offering o ON o.id = e.offering_id JOIN course c ON c.id = o.course_id
         LEFT JOIN org_unit owner ON owner.id = c.owner_org_unit_id JOIN org_unit d ON d.id = e.district_id
        WHERE NOT EXISTS (SELECT 1 FROM completion co WHERE co.enrollment_id = e.id)
        ORDER BY e.id LIMIT $1`, [count]);
    if (enrollments.length < count) throw new Error(`only ${enrollments.length} enrolments free for certificates`);
    const ids: string[] = [];
    for (const e of enrollments) {
      const { rows: [completion] } = await client.query(
        `INSERT INTO completion (enrollment_id, offering_id, person_id, district_id, sequence, rule_id, completed_at,
                                 attended_hours, scheduled_hours, hours, credits, partial, conditions)
         VALUES ($1, $2, $3, $4, 1, $5, now(), 12, 12, 12, 1.2, false, '[]') RETURNING id`,
        [e.id, e.offering_id, e.person_id, e.district_id, e.rule_id]);
      const snapshot = { fullName: e.full_name, courseTitle: e.title, offeringLabel: e.label, hours: 12, credits: 1.2,
        completedOn: new Date().toISOString().slice(0, 10), issuer: e.issuer, partial: false };
      const { rows: [certificate] } = await client.query(
        `INSERT INTO certificate (completion_id, person_id, district_id, code, status, snapshot) VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id`,
        [completion.id, e.person_id, e.district_id, code(), JSON.stringify(snapshot)]);
      ids.push(certificate.id);
    }
    await client.query('COMMIT');
    return ids;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
