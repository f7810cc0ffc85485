import { shanghaiDate } from '../../src/common/dates.js';
import { TargetsService } from '../../src/modules/titles/targets.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { percentOf, seniorCounts, unitId } from '../support/targets-fixtures.js';

interface Target { id: string; code: string; value: number; threshold: number; met: boolean; status: string; deadline: string; numerator: number; denominator: number | null; expected: number; districtId: string | null }

describe('workforce targets', () => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const targets = async (query = '', username = 'district_admin'): Promise<Record<string, Target>> =>
    Object.fromEntries((await t.http().get(`/api/targets${query}`).set(as(username)).expect(200)).body.targets.map((x: Target) => [x.code, x]));
  const rowCount = async () => (await t.db.pool.query('SELECT count(*)::int AS n FROM workforce_target')).rows[0].n as number;
  const fields = (res: { body: { error: { details: { fields: Array<{ field: string }> } } } }) => res.body.error.details.fields.map((f) => f.field);
  const one = async (sql: string) => (await t.db.pool.query(sql, [shanghaiDate()])).rows[0];
  let district: string;

  beforeAll(async () => {
    t = await startTestApp();
    district = await unitId(t.db.pool, 'SH-QP');
    for (const name of ['district_admin', 'kg_admin', 'group_admin', 'teacher']) tokens.set(name, await t.token(name));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('measures every seeded target live from the record', async () => {
    const all = await targets(`?orgUnit=${district}`);
    expect(Object.keys(all).sort()).toEqual((await t.db.pool.query('SELECT code FROM workforce_target WHERE district_id IS NULL')).rows.map((r) => r.code).sort());

    const counts = [...(await seniorCounts(t.db.pool, 'SH-QP')).values()];
    const covered = counts.filter((k) => k.count > 0).length;
    expect(all['senior-title-coverage']).toMatchObject({ numerator: covered, denominator: counts.length, value: percentOf(covered, counts.length), threshold: 100, met: false });
    expect(all['senior-title-coverage-phase2']).toMatchObject({ value: percentOf(covered, counts.length), threshold: 80, met: percentOf(covered, counts.length) >= 80 });

    const staff = `FROM employment e JOIN org_unit k ON k.id = e.org_unit_id AND k.status = 'operating'
      WHERE e.start_date <= $1 AND (e.end_date IS NULL OR e.end_date >= $1)`;
    const teachers = await one(`SELECT count(*)::int AS n, (count(*) FILTER (WHERE p.preschool_major))::int AS m ${staff.replace('WHERE', 'JOIN person p ON p.id = e.person_id WHERE')} AND e.post = 'teacher'`);
    expect(all['professional-education']).toMatchObject({ numerator: teachers.m, denominator: teachers.n, value: percentOf(teachers.m, teachers.n) });

    const holds = (kind: string) => `EXISTS (SELECT 1 FROM person_certificate c WHERE c.person_id = e.person_id AND c.kind = '${kind}' AND c.issued_on <= $1 AND (c.expires_on IS NULL OR c.expires_on >= $1))`;
    const principals = await one(`SELECT count(*)::int AS n, (count(*) FILTER (WHERE ${holds('principal_training')} AND ${holds('teacher_qualification')}))::int AS m
      ${staff} AND e.post IN ('principal', 'vice_principal')`);
    expect(all['new-principals-dual-certificates']).toMatchObject({ numerator: principals.m, denominator: principals.n, value: percentOf(principals.m, principals.n), met: principals.m === principals.n });

    const top = await one(`SELECT count(DISTINCT e.person_id)::int AS n ${staff} AND (
        (SELECT t.title FROM title_record t WHERE t.person_id = e.person_id AND t.effective_date <= $1 ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1) = 'professorial'
        OR EXISTS (SELECT 1 FROM person_honour h WHERE h.person_id = e.person_id AND h.honour = 'special_principal' AND h.awarded_on <= $1 AND (h.expires_on IS NULL OR h.expires_on > $1)))`);
    expect(all['professorial-or-special-principal']).toMatchObject({ value: top.n, denominator: null, met: top.n >= 1 });

    const grouped = await one(`SELECT count(*)::int AS n, (count(*) FILTER (WHERE EXISTS (SELECT 1 FROM kindergarten_group_member m WHERE m.kindergarten_id = k.id)))::int AS m
      FROM org_unit k WHERE k.kind = 'kindergarten' AND k.status = 'operating' AND k.ownership = 'public' AND $1::date IS NOT NULL`);
    expect(all['group-coverage']).toMatchObject({ numerator: grouped.m, denominator: grouped.n });

    // Past the deadline and not met is overdue; met is met, whatever the date.
    for (const target of Object.values(all)) {
      expect(target.status).toBe(target.met ? 'met' : target.deadline < shanghaiDate() ? 'overdue' : target.value >= target.expected ? 'on_track' : 'behind');
    }
    // The blue book's entry point answers the same.
    const progress = await t.app.get(TargetsService).progress(district);
    expect(Object.fromEntries(progress.map((p) => [p.code, p.value]))).toEqual(Object.fromEntries(Object.values(all).map((p) => [p.code, p.value])));
  });

  it('counts caregiving-studio members recorded as an honour', async () => {
    const before = (await targets())['caregiving-leader-studio'].value;
    const { rows: [person] } = await t.db.pool.query(`SELECT id FROM person WHERE current_post = 'caregiver' ORDER BY id LIMIT 1`);
    await t.db.pool.query(`INSERT INTO person_honour (person_id, honour, name, awarded_on) VALUES ($1, 'other', '上海市保育带头人工作室成员', '2024-03-01')`, [person.id]);
    expect((await targets())['caregiving-leader-studio'].value).toBe(before + 1);
  });

  it('lets the district add, override and archive definitions; a percent threshold above 100 is refused and nothing is written', async () => {
    const before = await rowCount();
    const body = { code: 'senior-title-2027', nameZh: '高级职称覆盖（2027）', nameEn: 'Senior-title coverage 2027', measure: 'kindergartens_with_senior_title',
      scope: { ownership: 'public' }, unit: 'percent', threshold: 150, deadline: '2027-12-31' };
    const refused = await t.http().post('/api/targets').set(as('district_admin')).send(body).expect(400);
    expect(fields(refused)).toEqual(['threshold']);
    expect(fields(await t.http().post('/api/targets').set(as('district_admin')).send({ ...body, threshold: -5 }).expect(400))).toEqual(['threshold']);
    expect(fields(await t.http().post('/api/targets').set(as('district_admin')).send({ ...body, threshold: 90, scope: { ownership: 'any' } }).expect(400))).toEqual(['scope.ownership']);
    expect(fields(await t.http().post('/api/targets').set(as('district_admin')).send({ ...body, threshold: 90, measure: 'happiness' }).expect(400))).toEqual(['measure']);
    expect(await rowCount()).toBe(before);

    const created = (await t.http().post('/api/targets').set(as('district_admin')).send({ ...body, threshold: 90 }).expect(201)).body;
    expect((await t.http().post('/api/targets').set(as('district_admin')).send({ ...body, threshold: 90 }).expect(200)).body.id).toBe(created.id);
    expect((await t.http().post('/api/targets').set(as('district_admin')).send({ ...body, threshold: 95 }).expect(409)).body.error.code).toBe('TARGET_CODE_TAKEN');
    const mine = (await targets())['senior-title-2027'];
    expect(mine).toMatchObject({ threshold: 90, deadline: '2027-12-31', status: mine.met ? 'met' : mine.value >= mine.expected ? 'on_track' : 'behind' });

    // Overriding a default writes the district's own row for the code; the default stays for other districts.
    const seeded = (await targets())['professional-education'];
    expect(fields(await t.http().patch(`/api/targets/${seeded.id}`).set(as('district_admin')).send({ threshold: 101 }).expect(400))).toEqual(['threshold']);
    const override = (await t.http().patch(`/api/targets/${seeded.id}`).set(as('district_admin')).send({ threshold: 98, deadline: '2026-12-31' }).expect(200)).body;
    expect(override).toMatchObject({ districtId: district, code: 'professional-education', threshold: 98 });
    expect((await t.http().patch(`/api/targets/${seeded.id}`).set(as('district_admin')).send({ threshold: 98, deadline: '2026-12-31' }).expect(200)).body.id).toBe(override.id);
    expect((await targets())['professional-education']).toMatchObject({ id: override.id, threshold: 98, deadline: '2026-12-31' });
    expect((await t.db.pool.query(`SELECT threshold FROM workforce_target WHERE district_id IS NULL AND code = 'professional-education'`)).rows[0].threshold).toBe('95.00');
    expect(await rowCount()).toBe(before + 2);

    await t.http().post(`/api/targets/${created.id}/archive`).set(as('district_admin')).expect(200);
    await t.http().post(`/api/targets/${created.id}/archive`).set(as('district_admin')).expect(200);
    expect((await targets())['senior-title-2027']).toBeUndefined();
    const definitions = (await t.http().get('/api/targets/definitions').set(as('district_admin')).expect(200)).body.items;
    expect(definitions.find((d: { code: string }) => d.code === 'senior-title-2027')).toMatchObject({ archived: true });
  });

  it('keeps admins to their scope and definitions to district staff', async () => {
    const k001 = await unitId(t.db.pool, 'SH-QP-K001');
    const mine = await targets('', 'kg_admin');
    const counts = await seniorCounts(t.db.pool, 'SH-QP-K001');
    expect(mine['senior-title-coverage'].denominator).toBe(counts.size);
    expect((await t.http().get(`/api/targets?orgUnit=${k001}`).set(as('kg_admin')).expect(200)).body.orgUnit.id).toBe(k001);
    await t.http().get(`/api/targets?orgUnit=${await unitId(t.db.pool, 'SH-QP-K002')}`).set(as('kg_admin')).expect(404);
    await t.http().get(`/api/targets?orgUnit=${district}`).set(as('group_admin')).expect(404);
    await t.http().get('/api/targets').set(as('teacher')).expect(403);

    const before = await rowCount();
    const seeded = (await targets())['professorial-or-special-principal'];
    await t.http().post('/api/targets').set(as('kg_admin')).send({ code: 'x', nameZh: 'x', nameEn: 'x', measure: 'caregiving_studio_members', unit: 'count', threshold: 1, deadline: '2027-01-01' }).expect(403);
    await t.http().patch(`/api/targets/${seeded.id}`).set(as('group_admin')).send({ threshold: 2 }).expect(403);
    await t.http().post(`/api/targets/${seeded.id}/archive`).set(as('kg_admin')).expect(403);
    await t.http().patch('/api/targets/00000000-0000-4000-8000-000000000000').set(as('district_admin')).send({ threshold: 2 }).expect(404);
    expect(await rowCount()).toBe(before);
  });

  it('shows the dashboard with each target\'s progress and status', async () => {
    const browser = await t.signInPages('district_admin');
    const page = await browser.get('/targets').expect(200);
    const all = await targets();
    for (const target of Object.values(all)) expect(page.text).toContain(`data-code="${target.code}" data-status="${target.status}"`);
    expect(page.text).toContain('<progress');
    await (await t.signInPages('teacher')).get('/targets').expect(403);
  });
});
