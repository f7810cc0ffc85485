import type { Pool } from 'pg';
import { shanghaiDate } from '../../src/common/dates.js';
import { addCreditEntry } from '../support/credit-fixtures.js';
import { personOf } from '../support/contest-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface LadderRow { personId: string; stage: string | null; since: string | null; history: Array<{ stage: string; effectiveDate: string }>; kindergarten: { code: string };
  scheme: { code: string } | null; standing: { earned: number; required: number; standing: string } | null }

/** Kindergarten paths of a unit (by code) or of a group (by name), for counting straight from the tables. */
const underUnit = (code: string) => `k.path LIKE (SELECT path FROM org_unit WHERE code = '${code}') || '%'`;
const inGroup = (groupId: string) => `k.id IN (SELECT kindergarten_id FROM kindergarten_group_member WHERE group_id = '${groupId}')`;

async function ladderCounts(pool: Pool, where: string) {
  const { rows } = await pool.query(
    `SELECT p.principal_stage AS stage, count(*)::int AS n FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id
      WHERE ${where} AND (p.current_post IN ('principal', 'vice_principal') OR p.principal_stage IS NOT NULL) GROUP BY 1`);
  return { total: rows.reduce((s, r) => s + r.n, 0), byStage: Object.fromEntries(rows.map((r) => [r.stage ?? 'none', r.n])) };
}

/** 双证 figures recomputed from employment and certificates: serving in the post today, appointed on the first day in that post. */
async function twoCertificateCounts(pool: Pool, where: string) {
  const holds = (kind: string, day: string) => `EXISTS (SELECT 1 FROM person_certificate c WHERE c.person_id = a.person_id AND c.kind = '${kind}'
    AND c.issued_on <= ${day} AND (c.expires_on IS NULL OR c.expires_on >= ${day}))`;
  const { rows: [row] } = await pool.query(
    `WITH serving AS (
       SELECT DISTINCT ON (e.person_id) e.person_id, e.post FROM employment e JOIN org_unit k ON k.id = e.org_unit_id
        WHERE ${where} AND e.post IN ('principal', 'vice_principal') AND e.start_date <= $1::date AND (e.end_date IS NULL OR e.end_date >= $1::date)
        ORDER BY e.person_id, e.post = 'vice_principal', e.start_date DESC),
     appointed AS (SELECT s.person_id, (SELECT min(start_date) FROM employment e WHERE e.person_id = s.person_id AND e.post = s.post) AS day FROM serving s)
     SELECT count(*)::int AS total,
            (count(*) FILTER (WHERE ${holds('teacher_qualification', 'a.day')} AND ${holds('principal_training', 'a.day')}))::int AS at_appointment,
            (count(*) FILTER (WHERE ${holds('teacher_qualification', '$1::date')} AND ${holds('principal_training', '$1::date')}))::int AS now
       FROM appointed a`, [shanghaiDate()]);
  return row as { total: number; at_appointment: number; now: number };
}

const pct = (n: number, d: number) => Math.round((n / d) * 1000) / 10;

describe('principal reports: the ladder and the two certificates', () => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const ladder = async (username: string, query = '') => (await t.http().get(`/api/principals/ladder${query}`).set(as(username)).expect(200)).body;
  const certificates = async (username: string, query = '') => (await t.http().get(`/api/principals/two-certificates${query}`).set(as(username)).expect(200)).body;
  const unitId = async (code: string) => (await t.db.pool.query('SELECT id FROM org_unit WHERE code = $1', [code])).rows[0].id as string;
  let groupId: string;

  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ['district_admin', 'kg_admin', 'group_admin', 'teacher']) tokens.set(name, await t.token(name));
    groupId = (await t.db.pool.query(`SELECT r.group_id FROM role_assignment r JOIN app_user u ON u.id = r.user_id WHERE u.username = 'group_admin' AND r.role = 'group_admin'`)).rows[0].group_id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists everyone on the principal ladder of the district with stage counts from the record', async () => {
    const report = await ladder('district_admin');
    const expected = await ladderCounts(t.db.pool, underUnit('SH-QP'));
    expect(report.total).toBe(expected.total);
    expect(report.people).toHaveLength(expected.total);
    expect(report.stages.map((s: { code: string | null }) => s.code).slice(0, 5)).toEqual(['reserve', 'new', 'growing', 'mature', 'expert']);
    for (const stage of report.stages) expect(stage.count).toBe(expected.byStage[stage.code ?? 'none'] ?? 0);

    // The stage's start and history as recorded, and the stage's own credit scheme.
    const principal = await personOf(t.db.pool, 'kg_admin');
    const row: LadderRow = report.people.find((p: LadderRow) => p.personId === principal.personId);
    const { rows: history } = await t.db.pool.query(
      `SELECT stage, to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate" FROM stage_record WHERE person_id = $1 AND kind = 'principal' ORDER BY effective_date, created_at`,
      [principal.personId]);
    const { rows: [since] } = await t.db.pool.query(
      `SELECT to_char(min(s.effective_date), 'YYYY-MM-DD') AS day FROM stage_record s JOIN person p ON p.id = s.person_id
        WHERE s.person_id = $1 AND s.kind = 'principal' AND s.stage = p.principal_stage
          AND NOT EXISTS (SELECT 1 FROM stage_record l WHERE l.person_id = s.person_id AND l.kind = 'principal' AND l.stage <> s.stage AND l.effective_date > s.effective_date)`,
      [principal.personId]);
    expect(row).toMatchObject({ stage: 'mature', since: since.day, history, kindergarten: { code: 'SH-QP-K001' }, scheme: { code: 'principal-stage-mature' } });

    // Standing: the same as the person's compliance for that scheme, and a new credit counts at once.
    const compliance = (await t.http().get(`/api/people/${principal.personId}/compliance?scheme=principal-stage-mature`).set(as('district_admin')).expect(200)).body;
    const answer = compliance.items;
    const earned = answer[0].periods.reduce((s: number, p: { rules: Array<{ earned: number }> }) => s + p.rules[0].earned, 0);
    expect(row.standing).toMatchObject({ standing: answer[0].standing, required: answer[0].required, earned: Math.round(earned * 100) / 100 });
    await addCreditEntry(t.db.pool, principal.personId, { title: '园长领导力专题研修', category: 'knowledge_skills', level: 'district', credits: 3, occurredOn: shanghaiDate() });
    const later: LadderRow = (await ladder('district_admin', '?stage=mature')).people.find((p: LadderRow) => p.personId === principal.personId);
    expect(later.standing!.earned).toBeCloseTo(row.standing!.earned + 3, 2);
  });

  it('filters by stage and unit, keeps admins to their scope and refuses teachers', async () => {
    const reserve = await ladder('district_admin', '?stage=reserve');
    expect(reserve.people.length).toBe((await ladderCounts(t.db.pool, underUnit('SH-QP'))).byStage.reserve);
    expect(reserve.people.every((p: LadderRow) => p.stage === 'reserve')).toBe(true);
    const k001 = await ladder('district_admin', `?orgUnit=${await unitId('SH-QP-K001')}`);
    expect(k001.people.every((p: LadderRow) => p.kindergarten.code === 'SH-QP-K001')).toBe(true);

    const mine = await ladder('kg_admin');
    expect(mine.total).toBe((await ladderCounts(t.db.pool, underUnit('SH-QP-K001'))).total);
    expect(new Set(mine.people.map((p: LadderRow) => p.kindergarten.code))).toEqual(new Set(['SH-QP-K001']));
    const group = await ladder('group_admin');
    const groupCodes = (await t.db.pool.query(`SELECT k.code FROM org_unit k WHERE ${inGroup(groupId)}`)).rows.map((r) => r.code);
    expect(group.total).toBe((await ladderCounts(t.db.pool, inGroup(groupId))).total);
    expect(group.people.every((p: LadderRow) => groupCodes.includes(p.kindergarten.code))).toBe(true);

    await t.http().get(`/api/principals/ladder?orgUnit=${await unitId('SH-QP-K002')}`).set(as('kg_admin')).expect(404);
    await t.http().get(`/api/principals/two-certificates?orgUnit=${await unitId('SH-QP')}`).set(as('group_admin')).expect(404);
    await t.http().get('/api/principals/ladder').set(as('teacher')).expect(403);
    await t.http().get('/api/principals/two-certificates').set(as('teacher')).expect(403);
    const bad = await t.http().get('/api/principals/ladder?stage=legendary').set(as('district_admin')).expect(400);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['stage']);
  });

  it('measures 双证 at appointment and now, and lists who was appointed without both', async () => {
    // K001: the principal held both before the post; the vice principal got the training certificate a month late.
    const principal = await personOf(t.db.pool, 'kg_admin');
    const vice = await personOf(t.db.pool, 't00001');
    const appointed = async (personId: string) => (await t.db.pool.query(
      `SELECT to_char(min(start_date), 'YYYY-MM-DD') AS day FROM employment WHERE person_id = $1 AND post IN ('principal', 'vice_principal')`, [personId])).rows[0].day as string;
    const setCertificate = async (personId: string, kind: string, issuedOn: string) => {
      await t.db.pool.query('DELETE FROM person_certificate WHERE person_id = $1 AND kind = $2', [personId, kind]);
      await t.db.pool.query(`INSERT INTO person_certificate (person_id, kind, number, issuer, issued_on) VALUES ($1, $2, $3, '上海市教育委员会', $4)`,
        [personId, kind, `T-${kind}-${personId.slice(0, 8)}`, issuedOn]);
    };
    const principalDay = await appointed(principal.personId);
    const viceDay = await appointed(vice.personId);
    await setCertificate(principal.personId, 'teacher_qualification', '2000-06-30');
    await setCertificate(principal.personId, 'principal_training', principalDay);
    await setCertificate(vice.personId, 'teacher_qualification', '2005-06-30');
    const late = (await t.db.pool.query(`SELECT to_char($1::date + 30, 'YYYY-MM-DD') AS day`, [viceDay])).rows[0].day as string;
    await setCertificate(vice.personId, 'principal_training', late);

    const k001 = await certificates('kg_admin');
    expect(k001).toMatchObject({ total: 2, heldAtAppointment: { count: 1, share: 50, met: false }, heldNow: { count: 2, share: 100, met: true }, target: { threshold: 100 } });
    expect(k001.gaps).toEqual([expect.objectContaining({
      personId: vice.personId, appointedOn: viceDay, bothAtAppointment: false, bothNow: true,
      teacherQualification: { status: 'at_appointment', issuedOn: '2005-06-30', heldNow: true },
      principalTraining: { status: 'late', issuedOn: late, heldNow: true },
    })]);

    // A missing certificate stays missing now too.
    await t.db.pool.query(`DELETE FROM person_certificate WHERE person_id = $1 AND kind = 'principal_training'`, [vice.personId]);
    const missing = await certificates('kg_admin');
    expect(missing).toMatchObject({ heldAtAppointment: { count: 1 }, heldNow: { count: 1, share: 50 } });
    expect(missing.gaps[0]).toMatchObject({ principalTraining: { status: 'missing', issuedOn: null, heldNow: false }, bothNow: false });

    // The district and a group, against counts taken straight from the tables.
    const district = await certificates('district_admin');
    const expected = await twoCertificateCounts(t.db.pool, underUnit('SH-QP'));
    expect(district).toMatchObject({
      total: expected.total, heldAtAppointment: { count: expected.at_appointment, share: pct(expected.at_appointment, expected.total) },
      heldNow: { count: expected.now, share: pct(expected.now, expected.total) },
    });
    expect(district.gaps).toHaveLength(expected.total - expected.at_appointment);
    const group = await certificates('group_admin');
    const groupExpected = await twoCertificateCounts(t.db.pool, inGroup(groupId));
    expect(group).toMatchObject({ total: groupExpected.total, heldAtAppointment: { count: groupExpected.at_appointment }, heldNow: { count: groupExpected.now } });
  });

  it('judges the share against the district\'s own 双证 target when it sets one', async () => {
    const targets = (await t.http().get('/api/targets').set(as('district_admin')).expect(200)).body.targets;
    const dual = targets.find((x: { measure: string }) => x.measure === 'principals_with_dual_certificates');
    await t.http().patch(`/api/targets/${dual.id}`).set(as('district_admin')).send({ threshold: 40 }).expect(200);
    const k001 = await certificates('kg_admin');
    expect(k001.target).toMatchObject({ code: dual.code, threshold: 40 });
    expect(k001.heldAtAppointment).toMatchObject({ share: 50, met: true });
  });
});
