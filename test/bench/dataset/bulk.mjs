// The big tables, made by the database itself (INSERT … SELECT over generate_series): enrolments (one million at
// city scale) and the credit ledger (five million), then the bench fixtures (the 500-learner gradebook).
// Values come from hashes of the row number, so every build of a scale has the same data.
import { GRADEBOOK } from './scales.mjs';

/** A number in [0, mod) from the row key and a salt. */
const h = (key, salt, mod) => `(abs(hashint8((${key})::bigint * 31 + ${salt})) % ${mod})`;

/** Secondary indexes of the bulk tables, dropped for the load and built again after it (constraint indexes stay). */
export async function dropSecondaryIndexes(client, tables) {
  const { rows } = await client.query(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, [tables]);
  for (const row of rows) await client.query(`DROP INDEX ${row.indexname}`);
  return rows.map((r) => r.indexdef);
}

export async function enrollments(client, size) {
  const per = Math.round(size.enrollments / size.offerings);
  const key = 'o.n::bigint * 1000 + j';
  // Each offering's learners: distinct people of its district (city courses: of the whole city), a stride apart.
  const result = await client.query(`
    INSERT INTO enrollment (id, offering_id, course_id, person_id, district_id, kindergarten_id, level, status, priority_tier, requested_at, status_changed_at, created_at, updated_at)
    SELECT ('e0000000-0000-4000-8000-' || lpad(to_hex(${key}), 12, '0'))::uuid, o.id, o.course_id, p.id, o.district_id, p.kg_id, o.level,
           s.status, 0, o.requested_from + j * interval '3 minutes',
           CASE WHEN s.status = 'completed' THEN o.ended_at ELSE o.requested_from + j * interval '3 minutes' END,
           o.requested_from + j * interval '3 minutes', now()
      FROM bench_offering o
      JOIN bench_district d ON d.district_id = o.district_id OR (o.owner = 'city' AND d.district_n = 1)
     CROSS JOIN generate_series(0, ${per - 1}) j
      JOIN bench_person p ON p.n = CASE WHEN o.owner = 'city' THEN 1 + (o.n * 7919 + j * 37) % ${size.staff}
                                        ELSE d.first_n + (o.n * 7919 + j * 37) % d.size END
     CROSS JOIN LATERAL (SELECT CASE
             WHEN o.current THEN CASE WHEN j < o.capacity THEN 'enrolled' ELSE 'waitlisted' END
             WHEN ${h(key, 1, 100)} < 87 THEN 'completed' WHEN ${h(key, 1, 100)} < 90 THEN 'no_show'
             WHEN ${h(key, 1, 100)} < 95 THEN 'withdrawn' ELSE 'declined' END AS status) s`);
  return result.rowCount;
}

export async function ledger(client, size) {
  const per = Math.round(size.creditEntries / size.staff);
  const key = 'p.n::bigint * 1000 + k';
  const days = `(current_date - 1 - date '2021-01-04')`;
  const result = await client.query(`
    INSERT INTO credit_entry (id, person_id, district_id, hours, credits, category, level, source, title, cycle_id, occurred_on, recorded_at)
    SELECT ('cccccccc-0000-4000-8000-' || lpad(to_hex(${key}), 12, '0'))::uuid, p.id, p.district_id,
           x.hours, round(x.hours / CASE WHEN x.source = 'external_training' THEN 8 ELSE 6 END, 2),
           (ARRAY['ethics','ethics','knowledge_skills','knowledge_skills','knowledge_skills','practice','practice','practice','practice','self_study'])[1 + ${h(key, 2, 10)}],
           (ARRAY['city','city','district','district','district','district','kindergarten','kindergarten','kindergarten','kindergarten'])[1 + ${h(key, 3, 10)}],
           x.source,
           (ARRAY['户外自主游戏的观察与支持','幼小衔接与入学准备','师德师风专题研修','幼儿园课程领导力','区域活动环境创设','幼儿行为观察与记录',
                  '家园共育沟通技巧','集体教学活动设计','园本教研','安全教育与应急处置','绘本阅读与早期语言','科学探究活动指导'])[1 + ${h(key, 4, 12)}],
           CASE WHEN x.on_day < date '2026-01-01' THEN c1.id ELSE c2.id END, x.on_day, x.on_day + interval '1 day'
      FROM bench_person p
     CROSS JOIN generate_series(0, ${per - 1}) k
     CROSS JOIN (SELECT id FROM credit_cycle WHERE code = '2021-2025' AND region_code IS NULL) c1
     CROSS JOIN (SELECT id FROM credit_cycle WHERE code = '2026-2030' AND region_code IS NULL) c2
     CROSS JOIN LATERAL (SELECT (1 + ${h(key, 5, 24)}) / 2.0 AS hours,
             date '2021-01-04' + (${h(key, 6, 1_000_000)} % ${days})::int AS on_day,
             (ARRAY['course_completion','course_completion','course_completion','course_completion','course_completion','course_completion','course_completion',
                    'course_completion','course_completion','course_completion','course_completion','course_completion','course_completion','course_completion',
                    'course_completion','course_completion','external_training','external_training','mentoring','lecture_series'])[1 + ${h(key, 7, 20)}] AS source) x`);
  return result.rowCount;
}

/** The gradebook fixture: 500 teachers of district 1 enrolled, ten point items, every one graded and released. */
export async function gradebookFixture(client) {
  const { rows: [offering] } = await client.query(
    `SELECT o.id, o.course_id, o.district_id FROM offering o JOIN course c ON c.id = o.course_id WHERE c.code = $1 AND o.code = $2`, [GRADEBOOK.course, GRADEBOOK.offering]);
  await client.query(
    `INSERT INTO enrollment (offering_id, course_id, person_id, district_id, kindergarten_id, level, status, requested_at, status_changed_at)
     SELECT $1, $2, p.id, $3, p.kg_id, 'district', 'enrolled', now() - interval '2 days' + p.n * interval '1 second', now() - interval '2 days'
       FROM bench_person p WHERE p.district_n = 1 AND p.post = 'teacher' ORDER BY hashint4(p.n) LIMIT $4`,
    [offering.id, offering.course_id, offering.district_id, GRADEBOOK.learners]);
  await client.query(
    `INSERT INTO assessment_item (offering_id, district_id, kind, title, position, submission_modes, grading_method, max_points, pass_points)
     SELECT $1, $2, 'assignment', '作业 ' || n, n, ARRAY['text'], 'points', 100, 60 FROM generate_series(1, $3::int) n`, [offering.id, offering.district_id, GRADEBOOK.items]);
  const graded = await client.query(
    `INSERT INTO grade (item_id, enrollment_id, person_id, district_id, raw_points, points, passed, graded_at, released_at)
     SELECT i.id, e.id, e.person_id, e.district_id, x.p, x.p, x.p >= 60, now() - interval '1 day', now() - interval '1 day'
       FROM assessment_item i JOIN enrollment e ON e.offering_id = i.offering_id AND e.status = 'enrolled',
            LATERAL (SELECT (40 + (abs(hashtext(e.id::text || i.id::text)) % 61))::numeric AS p) x
      WHERE i.offering_id = $1`, [offering.id]);
  return graded.rowCount;
}
