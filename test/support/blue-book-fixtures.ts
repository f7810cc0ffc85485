import type { Pool } from 'pg';
import type { TierCounts } from '../../src/modules/reports/blue-book-programs.query.js';

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

export interface ProgramYear {
  contestName: string;
  customTierName: string;
}

/**
 * Programs, contests and a lecture series of the district around `today`, written as rows. In the
 * current year: a running seed program (2 people applied, one twice; 1 selected; 2 active members,
 * one who left, 2 completed for 6 credits net of a reversal, 1 failed; 1 accepted output besides a
 * submitted and a returned one), a talent program with 2 accepted public lessons, a custom tier with
 * one member, a published contest (3 entries: a first and a third prize) and one still being
 * judged, a filed lecture series with one session (3 seats, 1 completion). Things that must not
 * count this year: a draft program with an application and a member, an application, a completion,
 * an output and a contest dated last year, a session of last year and one of an unfiled series.
 */
export async function addProgramYear(pool: Pool, districtId: string, today: string): Promise<ProgramYear> {
  const year = Number(today.slice(0, 4));
  const lastYear = year - 1;
  const yearStart = Date.parse(`${year}-01-01T00:00:00+08:00`);
  /** An instant this year, `hours` ago (never before 1 January). */
  const earlier = (hours: number) => new Date(Math.max(Date.now() - hours * 3_600_000, yearStart + 60_000)).toISOString();
  const one = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0] as Record<string, string>;
  const { rows: people } = await pool.query(
    `SELECT p.id, p.current_org_unit_id AS kg FROM person p WHERE p.district_id = $1 AND p.current_post = 'teacher' AND p.current_org_unit_id IS NOT NULL
      ORDER BY p.id OFFSET 40 LIMIT 14`, [districtId]);
  const person = (i: number) => people[i].id as string;
  const { rows: caregivers } = await pool.query(
    `SELECT p.id, p.current_org_unit_id AS kg FROM person p WHERE p.district_id = $1 AND p.current_post = 'caregiver' ORDER BY p.id LIMIT 5`, [districtId]);
  let serial = 0;
  const program = async (fields: { kind?: string; tier: string; status: string; startsOn: string; endsOn: string; tierNameZh?: string; nameZh?: string }) => {
    serial += 1;
    return (await one(
      `INSERT INTO program (district_id, kind, tier, tier_name_zh, tier_name_en, code, name_zh, name_en, round, starts_on, ends_on,
                            applications_open_at, applications_close_at, credits, hours, contest_posts, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 8, $9, $10, $11, $12, 6, 60, $13, $14) RETURNING id`,
      [districtId, fields.kind ?? 'cohort', fields.tier, fields.tierNameZh ?? null, fields.tierNameZh ? 'Rural backbone' : null, `BB-${process.pid}-${serial}`,
        fields.nameZh ?? `蓝皮书测试项目${serial}`, `Blue book fixture ${serial}`, fields.startsOn, fields.endsOn,
        `${lastYear}-06-01T00:00:00+08:00`, `${lastYear}-07-01T00:00:00+08:00`, fields.kind === 'contest' ? ['caregiver'] : [], fields.status])).id;
  };
  const apply = (programId: string, personId: string, createdAt: string, status = 'submitted') => one(
    `INSERT INTO program_application (program_id, person_id, district_id, source, statement, dossier, status, created_at)
     VALUES ($1, $2, $3, 'self', '申报理由', '{}', $4, $5) RETURNING id`, [programId, personId, districtId, status, createdAt]);
  const member = (programId: string, personId: string, fields: { applicationId?: string; joinedOn: string; status?: string; leftOn?: string; finalAt?: string; creditEntryId?: string }) => one(
    `INSERT INTO program_member (program_id, district_id, person_id, application_id, status, joined_on, left_on, exit_reason, final_result, final_at, credit_entry_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [programId, districtId, personId, fields.applicationId ?? null, fields.status ?? 'active', fields.joinedOn, fields.leftOn ?? null,
      fields.status === 'exited' ? '工作调动' : null, fields.finalAt ? (fields.status === 'failed' ? 'fail' : 'pass') : null, fields.finalAt ?? null, fields.creditEntryId ?? null]);
  const credit = async (personId: string, credits: number, occurredOn: string) => (await one(
    `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, source_key, title, occurred_on)
     VALUES ($1, $2, $3 * 10, $3, 'practice', 'district', 'program', $4, '种子计划结业', $5) RETURNING id`,
    [personId, districtId, credits, `bb-fixture:${personId}:${occurredOn}`, occurredOn])).id;
  const output = (programId: string, personId: string, kind: string, status: string, reviewedAt: string | null) => pool.query(
    `INSERT INTO program_output (program_id, person_id, district_id, kind, title, occurred_on, status, review_comment, reviewed_at)
     VALUES ($1, $2, $3, $4, '研修成果', $5, $6, $7, $8)`,
    [programId, personId, districtId, kind, `${lastYear}-12-01`, status, status === 'returned' ? '请补充材料' : null, reviewedAt]);

  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const seed = await program({ tier: 'seed', status: 'running', startsOn: `${lastYear}-09-01`, endsOn: `${year + 2}-08-31` });
  const selectedApp = await apply(seed, person(0), earlier(5), 'selected');
  await apply(seed, person(1), earlier(6), 'withdrawn');
  await apply(seed, person(1), earlier(4));
  await apply(seed, person(2), `${lastYear}-12-15T10:00:00+08:00`, 'not_selected');
  await member(seed, person(0), { applicationId: selectedApp.id, joinedOn: `${lastYear}-09-01` });
  await member(seed, person(3), { joinedOn: `${lastYear}-09-01` });
  await member(seed, person(4), { joinedOn: `${lastYear}-09-01`, status: 'exited', leftOn: yesterday });
  const kept = await credit(person(5), 6, today);
  const reversed = await credit(person(6), 4, today);
  await pool.query(
    `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, title, occurred_on, reverses_entry_id, reason)
     VALUES ($1, $2, -40, -4, 'practice', 'district', 'program', '冲销', $3, $4, '结业认定有误')`, [person(6), districtId, today, reversed]);
  await member(seed, person(5), { joinedOn: `${lastYear}-09-01`, status: 'completed', finalAt: earlier(3), creditEntryId: kept });
  await member(seed, person(6), { joinedOn: `${lastYear}-09-01`, status: 'completed', finalAt: earlier(2), creditEntryId: reversed });
  await member(seed, person(7), { joinedOn: `${lastYear}-09-01`, status: 'completed', finalAt: `${lastYear}-12-20T10:00:00+08:00` });
  await member(seed, person(8), { joinedOn: `${lastYear}-09-01`, status: 'failed', finalAt: earlier(2) });
  await output(seed, person(0), 'research_report', 'accepted', earlier(1));
  await output(seed, person(3), 'paper', 'accepted', `${lastYear}-12-10T10:00:00+08:00`);
  await output(seed, person(3), 'public_lesson', 'submitted', null);
  await output(seed, person(0), 'other', 'returned', earlier(1));

  const talent = await program({ tier: 'talent', status: 'running', startsOn: `${year}-01-01`, endsOn: `${year + 2}-12-31` });
  await output(talent, person(9), 'public_lesson', 'accepted', earlier(1));
  await output(talent, person(10), 'public_lesson', 'accepted', earlier(1));
  const customTierName = '乡村骨干教师计划';
  const rural = await program({ tier: 'rural_backbone', tierNameZh: customTierName, status: 'running', startsOn: `${lastYear}-03-01`, endsOn: `${year + 1}-02-28` });
  await member(rural, person(11), { joinedOn: `${lastYear}-03-01` });
  const draft = await program({ tier: 'seed', status: 'draft', startsOn: `${year}-01-01`, endsOn: `${year + 2}-12-31` });
  await apply(draft, person(12), earlier(3));
  await member(draft, person(12), { joinedOn: `${year}-01-01` });

  const contestName = `${year}年青浦区保育员技能大赛（蓝皮书测试）`;
  const entry = (contestId: string, personId: string, status: string, award: string | null, at = earlier(8)) => pool.query(
    `INSERT INTO contest_entry (program_id, person_id, district_id, post, status, award, judged_at, created_at)
     VALUES ($1, $2, $3, 'caregiver', $4, $5, CASE WHEN $4 = 'judged' THEN $6::timestamptz END, $6)`,
    [contestId, personId, districtId, status, award, at]);
  const published = await program({ kind: 'contest', tier: 'contest', status: 'closed', startsOn: `${year}-01-01`, endsOn: `${year}-12-31`, nameZh: contestName });
  await entry(published, caregivers[0].id, 'judged', 'first');
  await entry(published, caregivers[1].id, 'judged', 'third');
  await entry(published, caregivers[2].id, 'judged', 'none');
  await entry(published, caregivers[3].id, 'withdrawn', null);
  const judging = await program({ kind: 'contest', tier: 'contest', status: 'published', startsOn: `${year}-01-01`, endsOn: `${year}-12-31` });
  await entry(judging, caregivers[0].id, 'judged', 'second');
  const old = await program({ kind: 'contest', tier: 'contest', status: 'closed', startsOn: `${lastYear}-05-01`, endsOn: `${lastYear}-05-02` });
  await entry(old, caregivers[4].id, 'judged', 'first', `${lastYear}-05-02T15:00:00+08:00`);
  await program({ kind: 'contest', tier: 'contest', status: 'draft', startsOn: `${year}-01-01`, endsOn: `${year}-12-31` });

  await addLectureSessions(pool, districtId, year, earlier);
  return { contestName, customTierName };
}

/** A filed series with a session this year (3 seats, 1 completion, 1 reopened) and one last year; an unfiled series with a session this year. */
async function addLectureSessions(pool: Pool, districtId: string, year: number, earlier: (hours: number) => string): Promise<void> {
  const one = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0] as Record<string, string>;
  const { rows: [speaker] } = await pool.query(
    `SELECT p.id, p.current_org_unit_id AS kg FROM person p WHERE p.district_id = $1 AND p.current_post = 'principal' ORDER BY p.id LIMIT 1`, [districtId]);
  const { rows: learners } = await pool.query(
    `SELECT p.id, p.current_org_unit_id AS kg FROM person p WHERE p.district_id = $1 AND p.current_post = 'teacher' ORDER BY p.id OFFSET 60 LIMIT 4`, [districtId]);
  const city = await one(`SELECT parent_id AS id FROM org_unit WHERE id = $1`, [districtId]);
  const course = await one(
    `INSERT INTO course (district_id, owner_org_unit_id, code, title, provider, category, level, mode, hours, credits, status)
     VALUES ($1, $1, $2, '示范园园长大课堂', '青浦区教育局', 'knowledge_skills', 'district', 'offline', 3, 0.3, 'published') RETURNING id`,
    [districtId, `LECTURE-BB-${process.pid}`]);
  const session = async (seriesId: string, startsAt: string, code: string) => {
    const offering = await one(
      `INSERT INTO offering (course_id, district_id, code, capacity, enrol_opens_at, enrol_closes_at, withdraw_deadline, approval_mode, waitlist_mode, status)
       VALUES ($1, $2, $3, 200, $4::timestamptz - interval '30 days', $4, $4, 'none', 'none', 'published') RETURNING id`, [course.id, districtId, code, startsAt]);
    await pool.query(
      `INSERT INTO lecture_session (series_id, month, topic, speaker_person_id, speaker_kindergarten_id, offering_id, starts_at, ends_at)
       VALUES ($1, date_trunc('month', $2::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, '游戏化课程建设', $3, $4, $5, $2, $2::timestamptz + interval '3 hours')`,
      [seriesId, startsAt, speaker.id, speaker.kg, offering.id]);
    return offering.id as string;
  };
  const series = (semester: string, filed: boolean) => one(
    `INSERT INTO lecture_series (district_id, city_id, semester, title, course_id, status, filed_at)
     VALUES ($1, $2, $3, '青浦区示范园园长大课堂', $4, $5, $6) RETURNING id`,
    [districtId, city.id, semester, course.id, filed ? 'filed' : 'draft', filed ? `${year - 1}-08-20T10:00:00+08:00` : null]);
  const filed = await series(`${year - 1}-autumn`, true);
  const held = await session(filed.id, earlier(30), 'BB-S1');
  await session(filed.id, `${year - 1}-12-10T14:00:00+08:00`, 'BB-S0');
  const unfiled = await series(`${year}-spring`, false);
  await session(unfiled.id, earlier(31), 'BB-S2');
  const { rows: [rule] } = await pool.query(
    `INSERT INTO completion_rule (offering_id, district_id, effective_from, min_attendance_share, required_item_ids, require_evaluation)
     VALUES ($1, $2, now() - interval '400 days', 1, '{}', false) RETURNING id`, [held, districtId]);
  for (const [i, status] of (['completed', 'enrolled', 'withdrawn', 'enrolled'] as const).entries()) {
    const { rows: [enrolment] } = await pool.query(
      `INSERT INTO enrollment (offering_id, course_id, person_id, district_id, kindergarten_id, level, status)
       VALUES ($1, $2, $3, $4, $5, 'district', $6) RETURNING id`, [held, course.id, learners[i].id, districtId, learners[i].kg, status]);
    if (i === 0 || i === 3) {
      await pool.query(
        `INSERT INTO completion (enrollment_id, offering_id, person_id, district_id, sequence, rule_id, completed_at, attended_hours, scheduled_hours, hours, credits,
                                 conditions, reopened_at, reopen_reason)
         VALUES ($1, $2, $3, $4, 1, $5, $6, 3, 3, 3, 0.3, '{}', $7, $8)`,
        [enrolment.id, held, learners[i].id, districtId, rule.id, earlier(20), i === 3 ? earlier(10) : null, i === 3 ? '考勤有误' : null]);
    }
  }
}

/** A tier's figures as the blue book reports them. */
export type TierExpectation = TierCounts;

/**
 * The programs part of the book recomputed in the test with Shanghai calendar days rather than
 * instants: per tier, contests (entries, prizes) and lecture sessions (seats, completions).
 */
export async function programFiguresBySql(pool: Pool, districtId: string, year: number, asOf: string) {
  const day = (column: string) => `(${column} AT TIME ZONE 'Asia/Shanghai')::date`;
  const inYear = (column: string) => `${day(column)} BETWEEN make_date($2, 1, 1) AND $3::date`;
  const { rows } = await pool.query(
    `SELECT t.tier,
       (SELECT count(*) FROM program p WHERE p.district_id = $1 AND p.kind = 'cohort' AND p.tier = t.tier AND p.status <> 'draft'
           AND daterange(p.starts_on, p.ends_on, '[]') && daterange(make_date($2, 1, 1), $3::date, '[]'))::int AS programs,
       (SELECT count(*) FROM (SELECT DISTINCT a.program_id, a.person_id FROM program_application a JOIN program p ON p.id = a.program_id
           WHERE p.district_id = $1 AND p.kind = 'cohort' AND p.tier = t.tier AND p.status <> 'draft' AND ${inYear('a.created_at')}) x)::int AS applications,
       (SELECT count(*) FROM program_member m JOIN program p ON p.id = m.program_id WHERE p.district_id = $1 AND p.kind = 'cohort' AND p.tier = t.tier
           AND p.status <> 'draft' AND m.application_id IS NOT NULL AND ${inYear('m.created_at')})::int AS selected,
       (SELECT count(*) FROM program_member m JOIN program p ON p.id = m.program_id WHERE p.district_id = $1 AND p.kind = 'cohort' AND p.tier = t.tier
           AND p.status <> 'draft' AND $3::date BETWEEN p.starts_on AND p.ends_on AND m.joined_on <= $3::date AND ${day('m.created_at')} <= $3::date
           AND NOT COALESCE(m.left_on <= $3::date, false) AND NOT COALESCE(${day('m.final_at')} <= $3::date, false))::int AS "activeMembers",
       (SELECT count(*) FROM program_member m JOIN program p ON p.id = m.program_id WHERE p.district_id = $1 AND p.kind = 'cohort' AND p.tier = t.tier
           AND p.status <> 'draft' AND m.status = 'completed' AND ${inYear('m.final_at')})::int AS completed,
       (SELECT COALESCE(sum(e.credits), 0) FROM credit_entry e WHERE ${day('e.recorded_at')} <= $3::date AND COALESCE(e.reverses_entry_id, e.id) IN (
           SELECT m.credit_entry_id FROM program_member m JOIN program p ON p.id = m.program_id WHERE p.district_id = $1 AND p.kind = 'cohort'
              AND p.tier = t.tier AND p.status <> 'draft' AND m.status = 'completed' AND ${inYear('m.final_at')}))::float AS credits,
       (SELECT count(*) FROM program_output o JOIN program p ON p.id = o.program_id WHERE p.district_id = $1 AND p.kind = 'cohort' AND p.tier = t.tier
           AND p.status <> 'draft' AND o.status = 'accepted' AND ${inYear('o.reviewed_at')})::int AS outputs
     FROM (SELECT DISTINCT tier FROM program WHERE district_id = $1 AND kind = 'cohort' UNION SELECT unnest(ARRAY['seed','talent','navigator'])) t`,
    [districtId, year, asOf]);
  const tiers = new Map<string, TierExpectation>(rows.map(({ tier, ...counts }) => [tier as string, counts as TierExpectation]));
  const { rows: [contests] } = await pool.query(
    `WITH held AS (SELECT id, status FROM program WHERE district_id = $1 AND kind = 'contest' AND status <> 'draft'
                    AND starts_on <= $3::date AND ends_on >= make_date($2, 1, 1))
     SELECT (SELECT count(*) FROM held)::int AS held,
            (SELECT count(*) FROM contest_entry e JOIN held h ON h.id = e.program_id WHERE e.status <> 'withdrawn' AND ${day('e.created_at')} <= $3::date)::int AS entries,
            (SELECT count(*) FROM contest_entry e JOIN held h ON h.id = e.program_id WHERE h.status = 'closed' AND e.award IN ('first','second','third','excellence')
                AND ${day('e.judged_at')} <= $3::date)::int AS prizes`, [districtId, year, asOf]);
  const { rows: [lectures] } = await pool.query(
    `WITH held AS (SELECT s.offering_id, s.series_id FROM lecture_session s JOIN lecture_series ls ON ls.id = s.series_id
                    WHERE ls.district_id = $1 AND ls.filed_at IS NOT NULL AND ${day('ls.filed_at')} <= $3::date AND ${inYear('s.starts_at')})
     SELECT (SELECT count(DISTINCT series_id) FROM held)::int AS series, (SELECT count(*) FROM held)::int AS sessions,
            (SELECT count(*) FROM enrollment e JOIN held h ON h.offering_id = e.offering_id WHERE e.status IN ('enrolled','completed','no_show'))::int AS enrolments,
            (SELECT count(*) FROM completion c JOIN held h ON h.offering_id = c.offering_id
                WHERE ${day('c.completed_at')} <= $3::date AND NOT COALESCE(${day('c.reopened_at')} <= $3::date, false))::int AS completions`,
    [districtId, year, asOf]);
  return { tiers, contests: contests as { held: number; entries: number; prizes: number }, lectures: lectures as { series: number; sessions: number; enrolments: number; completions: number } };
}
