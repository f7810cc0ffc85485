// Pending certificates written straight into a database: what a completing transaction leaves for the worker.
import { randomBytes } from 'node:crypto';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const code = () => [...randomBytes(16)].map((b) => CODE_ALPHABET[b & 31]).join('');

/**
 * `count` open completions on enrolments that have none, each with a pending certificate waiting to be rendered
 * (as the completing transaction leaves them), written straight into the database in one transaction on `client`
 * (one connection: a pg Client or a pool's checked-out client); answers the certificate ids in creation order.
 * Used by the bench (certificates through the worker) and by the worker-crash test.
 */
export async function pendingCertificates(client, count) {
  await client.query('BEGIN');
  try {
    const ids = await insertPending(client, count);
    await client.query('COMMIT');
    return ids;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

async function insertPending(client, count) {
  // Demo offerings seeded after the assessment migration have no completion rule yet: the one it gives every offering.
  await client.query(
    `INSERT INTO completion_rule (offering_id, district_id, effective_from, min_attendance_share)
     SELECT id, district_id, created_at, min_attendance_share FROM offering o WHERE NOT EXISTS (SELECT 1 FROM completion_rule r WHERE r.offering_id = o.id)`);
  // Too few enrolments without a completion in the demo: the bench teachers complete other demo offerings too.
  await client.query(
    `WITH free AS (SELECT count(*) AS n FROM enrollment e WHERE NOT EXISTS (SELECT 1 FROM completion co WHERE co.enrollment_id = e.id AND co.reopened_at IS NULL))
     INSERT INTO enrollment (offering_id, course_id, person_id, district_id, kindergarten_id, level, status, requested_at, status_changed_at)
     SELECT o.id, o.course_id, p.id, o.district_id, p.current_org_unit_id, c.level, 'completed', now(), now()
       FROM (SELECT * FROM app_user WHERE username ~ '^t[0-9]{5}$' ORDER BY username LIMIT 900) u JOIN person p ON p.id = u.person_id
            CROSS JOIN offering o JOIN course c ON c.id = o.course_id
      WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.offering_id = o.id AND e.person_id = p.id)
      ORDER BY o.id, u.username
      LIMIT greatest($1 - (SELECT n FROM free), 0)
     ON CONFLICT (offering_id, person_id) DO NOTHING`, [count]);
  const { rows: enrollments } = await client.query(
    `SELECT e.id, e.offering_id, e.person_id, e.district_id,
            (SELECT r.id FROM completion_rule r WHERE r.offering_id = e.offering_id ORDER BY r.effective_from DESC LIMIT 1) AS rule_id,
            p.full_name, c.title, o.label, coalesce(owner.name, d.name) AS issuer
       FROM enrollment e JOIN person p ON p.id = e.person_id JOIN offering o ON o.id = e.offering_id JOIN course c ON c.id = o.course_id
       LEFT JOIN org_unit owner ON owner.id = c.owner_org_unit_id JOIN org_unit d ON d.id = e.district_id
      WHERE NOT EXISTS (SELECT 1 FROM completion co WHERE co.enrollment_id = e.id AND co.reopened_at IS NULL)
      ORDER BY e.id LIMIT $1`, [count]);
  if (enrollments.length < count) throw new Error(`only ${enrollments.length} enrolments free for certificates`);
  const ids = [];
  for (const e of enrollments) {
    const { rows: [completion] } = await client.query(
      `INSERT INTO completion (enrollment_id, offering_id, person_id, district_id, sequence, rule_id, completed_at,
                               attended_hours, scheduled_hours, hours, credits, partial, conditions)
       VALUES ($1, $2, $3, $4, coalesce((SELECT max(sequence) FROM completion WHERE enrollment_id = $1), 0) + 1, $5, now(), 12, 12, 12, 1.2, false, '[]')
       RETURNING id`, [e.id, e.offering_id, e.person_id, e.district_id, e.rule_id]);
    const snapshot = { fullName: e.full_name, courseTitle: e.title, offeringLabel: e.label, hours: 12, credits: 1.2,
      completedOn: new Date().toISOString().slice(0, 10), issuer: e.issuer, partial: false };
    const { rows: [certificate] } = await client.query(
      `INSERT INTO certificate (completion_id, person_id, district_id, code, status, snapshot) VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id`,
      [completion.id, e.person_id, e.district_id, code(), JSON.stringify(snapshot)]);
    ids.push(certificate.id);
  }
  return ids;
}
