import { shanghaiDate } from '../../src/common/dates.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { percentOf, unitId } from '../support/targets-fixtures.js';

interface Check { code: string; required: number; limit: number | null; actual: number; status: string }
interface Row {
  id: string; code: string; classes: number; children: number; staff: Record<string, number>; checks: Check[]; meetsStandard: boolean;
  certificates: { needing: number; holding: number; share: number }; standard: { effectiveFrom: string } | null;
}

describe('staffing check', () => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const report = async (query = '', username = 'district_admin') => (await t.http().get(`/api/reports/staffing${query}`).set(as(username)).expect(200)).body;
  const holds = (kind: string) => `EXISTS (SELECT 1 FROM person_certificate c WHERE c.person_id = e.person_id AND c.kind = '${kind}' AND c.issued_on <= $1 AND (c.expires_on IS NULL OR c.expires_on >= $1))`;
  const CERTIFIED = `CASE e.post WHEN 'teacher' THEN ${holds('teacher_qualification')} WHEN 'principal' THEN ${holds('principal_training')} AND ${holds('teacher_qualification')}
    WHEN 'vice_principal' THEN ${holds('principal_training')} AND ${holds('teacher_qualification')} WHEN 'caregiver' THEN ${holds('caregiver')} WHEN 'health' THEN ${holds('health_care')} END`;
  const expected = async () => (await t.db.pool.query(
    `SELECT k.id, k.kindergarten_classes + coalesce(k.nursery_classes, 0) AS classes, k.children_enrolled AS children, count(e.id)::int AS total,
            (count(e.id) FILTER (WHERE e.post IN ('principal', 'vice_principal')))::int AS principals,
            (count(e.id) FILTER (WHERE e.post = 'health'))::int AS health,
            (count(e.id) FILTER (WHERE e.post IN ('teacher', 'principal', 'vice_principal', 'caregiver', 'health')))::int AS needing,
            (count(e.id) FILTER (WHERE ${CERTIFIED}))::int AS holding
       FROM org_unit k LEFT JOIN employment e ON e.org_unit_id = k.id AND e.start_date <= $1 AND (e.end_date IS NULL OR e.end_date >= $1)
      WHERE k.kind = 'kindergarten' AND k.status = 'operating' GROUP BY k.id`, [shanghaiDate()])).rows;

  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ['district_admin', 'kg_admin', 'group_admin', 'teacher']) tokens.set(name, await t.token(name));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('checks each kindergarten against the standard in force and counts who holds the certificate for their post', async () => {
    const answer = await report();
    const rows = new Map((answer.kindergartens as Row[]).map((r) => [r.id, r]));
    const want = await expected();
    expect(rows.size).toBe(want.length);
    for (const k of want) {
      const row = rows.get(k.id)!;
      expect([row.staff.total, row.certificates.needing, row.certificates.holding]).toEqual([k.total, k.needing, k.holding]);
      expect(row.standard?.effectiveFrom).toBe('2013-01-15');
      const check = Object.fromEntries(row.checks.map((c) => [c.code, c]));
      expect(check.principals).toMatchObject({ actual: k.principals, limit: k.classes <= 5 ? 1 : k.classes <= 9 ? 2 : 3 });
      expect(check.health_staff).toMatchObject({ actual: k.health, required: Math.ceil(k.children / 150) });
      expect(check.children_per_staff).toMatchObject({ actual: k.total, required: Math.ceil(k.children / 7) });
      expect(row.meetsStandard).toBe(row.checks.every((c) => c.status === 'ok'));
    }
    const needing = want.reduce((n, k) => n + k.needing, 0);
    const holding = want.reduce((n, k) => n + k.holding, 0);
    expect(answer.certificates).toMatchObject({ needing, holding, share: percentOf(holding, needing) });
    expect(answer.meetingStandard).toBe((answer.kindergartens as Row[]).filter((r) => r.meetsStandard).length);
  });

  it('notices a certificate that lapsed', async () => {
    const before = await report();
    const { rows: [principal] } = await t.db.pool.query(
      `SELECT e.person_id, e.org_unit_id FROM employment e JOIN person_certificate c ON c.person_id = e.person_id AND c.kind = 'principal_training' AND c.expires_on IS NULL
        WHERE e.end_date IS NULL AND e.post = 'principal' AND EXISTS (SELECT 1 FROM person_certificate q WHERE q.person_id = e.person_id AND q.kind = 'teacher_qualification')
        ORDER BY e.person_id LIMIT 1`);
    await t.db.pool.query(`UPDATE person_certificate SET expires_on = GREATEST(issued_on, '2020-01-01') + 1 WHERE person_id = $1 AND kind = 'principal_training'`, [principal.person_id]);
    const after = await report();
    expect(after.certificates.holding).toBe(before.certificates.holding - 1);
    const row = (answer: { kindergartens: Row[] }) => answer.kindergartens.find((k) => k.id === principal.org_unit_id)!;
    expect(row(after).certificates.holding).toBe(row(before).certificates.holding - 1);
  });

  it('keeps admins to their scope', async () => {
    const k001 = await unitId(t.db.pool, 'SH-QP-K001');
    expect((await report('', 'kg_admin')).kindergartens.map((k: Row) => k.id)).toEqual([k001]);
    await t.http().get(`/api/reports/staffing?orgUnit=${await unitId(t.db.pool, 'SH-QP-K002')}`).set(as('kg_admin')).expect(404);
    await t.http().get(`/api/reports/staffing?orgUnit=${await unitId(t.db.pool, 'SH-QP')}`).set(as('group_admin')).expect(404);
    await t.http().get('/api/reports/staffing').set(as('teacher')).expect(403);
    const bad = await t.http().get('/api/reports/staffing?asOf=yesterday').set(as('district_admin')).expect(400);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['asOf']);
  });

  it('shows the staffing page with one row per kindergarten', async () => {
    const page = await (await t.signInPages('district_admin')).get('/targets/staffing').expect(200);
    expect(page.text.match(/data-testid="staffing-row"/g)?.length).toBe((await expected()).length);
  });
});
