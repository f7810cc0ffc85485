import { startTestApp, type TestApp } from '../support/test-app.js';
import { sessionTokens } from '../support/offering-fixtures.js';
import { dayFromToday, grantKindergartenAdmin, kindergartenId, personOf } from '../support/mentoring-work-fixtures.js';
import { RotationsService } from '../../src/modules/mentoring/rotations.service.js';

describe('rotations', () => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const kg: Record<string, string> = {};
  const rotationCount = async () => (await t.db.pool.query('SELECT count(*)::int AS n FROM rotation')).rows[0].n as number;
  const create = (username: string, body: Record<string, unknown>) => t.http().post('/api/rotations').set(as(username)).send(body);
  const fields = (res: { body: { error: { details: { fields: Array<{ field: string; code: string }> } } } }) => res.body.error.details.fields.map((f) => `${f.field}:${f.code}`);
  const headcount = async (on: string) => Object.fromEntries((await t.http().get(`/api/reports/rotation-headcount?on=${on}`).set(as('district_admin')).expect(200))
    .body.kindergartens.map((k: { kindergartenId: string; staff: number; headcount: number }) => [k.kindergartenId, [k.staff, k.headcount]]));

  beforeAll(async () => {
    t = await startTestApp();
    await grantKindergartenAdmin(t.db.pool, 't00041', 'SH-QP-K003');
    for (const code of ['SH-QP-K001', 'SH-QP-K002', 'SH-QP-K003', 'SH-QP']) kg[code] = await kindergartenId(t.db.pool, code);
    for (const name of ['teacher', 'kg_admin', 'district_admin']) tokens.set(name, await t.token(name));
    for (const [name, token] of await sessionTokens(t.db.pool, ['t00041'])) tokens.set(name, token);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records a rotation once, refuses an overlapping one, and counts the person where configured', async () => {
    const person = await personOf(t.db.pool, 't00005');
    const before = await headcount(dayFromToday(0));
    const body = { personId: person.personId, hostKindergartenId: kg['SH-QP-K002'], kind: 'support', startsOn: dayFromToday(-10), endsOn: dayFromToday(100), countAt: 'host', note: '支援新园' };
    const rotation = (await create('district_admin', body).expect(201)).body;
    expect(rotation).toMatchObject({ personId: person.personId, homeKindergartenId: kg['SH-QP-K001'], hostKindergartenId: kg['SH-QP-K002'], countAt: 'host', lastDay: dayFromToday(100) });
    expect((await create('district_admin', body).expect(200)).body.id).toBe(rotation.id);
    const overlap = await create('district_admin', { ...body, hostKindergartenId: kg['SH-QP-K003'], startsOn: dayFromToday(50), endsOn: dayFromToday(200) }).expect(409);
    expect(overlap.body.error.code).toBe('ROTATION_OVERLAPS');
    expect(await rotationCount()).toBe(1);

    const during = await headcount(dayFromToday(0));
    expect(during[kg['SH-QP-K001']]).toEqual([before[kg['SH-QP-K001']][0], before[kg['SH-QP-K001']][1] - 1]);
    expect(during[kg['SH-QP-K002']][1]).toBe(before[kg['SH-QP-K002']][1] + 1);

    const both = await personOf(t.db.pool, 't00006');
    await create('district_admin', { ...body, personId: both.personId, countAt: 'both' }).expect(201);
    const counted = await headcount(dayFromToday(0));
    expect(counted[kg['SH-QP-K001']][1]).toBe(during[kg['SH-QP-K001']][1]);
    expect(counted[kg['SH-QP-K002']][1]).toBe(during[kg['SH-QP-K002']][1] + 1);

    const service = t.app.get(RotationsService);
    const serving = await service.activeAt(dayFromToday(0), [kg['SH-QP-K002']]);
    expect(serving.map((r) => r.personId).sort()).toEqual([person.personId, both.personId].sort());
    expect(await service.activeAt(dayFromToday(101))).toEqual([]);
    expect(await service.activeAt(dayFromToday(0), [kg['SH-QP-K003']])).toEqual([]);

    // Ending early: the person is home again from the next day on, and the end must lie within the rotation.
    expect(fields(await t.http().patch(`/api/rotations/${rotation.id}`).set(as('district_admin')).send({ endedEarlyOn: dayFromToday(-20) }).expect(400))).toEqual(['endedEarlyOn:OUTSIDE_ROTATION']);
    const ended = (await t.http().patch(`/api/rotations/${rotation.id}`).set(as('district_admin')).send({ endedEarlyOn: dayFromToday(-1) }).expect(200)).body;
    expect(ended).toMatchObject({ endedEarlyOn: dayFromToday(-1), lastDay: dayFromToday(-1) });
    expect((await headcount(dayFromToday(0)))[kg['SH-QP-K001']]).toEqual(before[kg['SH-QP-K001']]);
    await create('district_admin', { ...body, hostKindergartenId: kg['SH-QP-K003'], startsOn: dayFromToday(50), endsOn: dayFromToday(200) }).expect(201);
    await t.http().patch(`/api/rotations/${rotation.id}`).set(as('kg_admin')).send({ endedEarlyOn: dayFromToday(-2) }).expect(403);
  });

  it('refuses bad rotations with the field, and nothing is written', async () => {
    const before = await rotationCount();
    const person = await personOf(t.db.pool, 't00007');
    const base = { personId: person.personId, hostKindergartenId: kg['SH-QP-K002'], kind: 'exchange', startsOn: dayFromToday(10), endsOn: dayFromToday(100) };
    expect(fields(await create('district_admin', { ...base, endsOn: dayFromToday(10) }).expect(400))).toEqual(['endsOn:END_NOT_AFTER_START']);
    expect(fields(await create('district_admin', { ...base, hostKindergartenId: kg['SH-QP-K001'] }).expect(400))).toEqual(['hostKindergartenId:HOST_IS_HOME']);
    expect(fields(await create('district_admin', { ...base, hostKindergartenId: kg['SH-QP'] }).expect(400))).toEqual(['hostKindergartenId:NOT_A_KINDERGARTEN']);
    expect(fields(await create('district_admin', { ...base, kind: 'holiday', countAt: 'nowhere' }).expect(400)).map((f) => f.split(':')[0]).sort()).toEqual(['countAt', 'kind']);
    await create('kg_admin', base).expect(403);
    await create('teacher', base).expect(403);
    expect(await rotationCount()).toBe(before);
  });

  it('lists rotations for district staff and for the kindergartens involved only', async () => {
    const ids = async (username: string) => (await t.http().get('/api/rotations').set(as(username)).expect(200)).body.items.map((r: { personName: string }) => r.personName);
    expect((await ids('district_admin')).length).toBeGreaterThanOrEqual(2);
    expect((await ids('kg_admin')).length).toBeGreaterThanOrEqual(2);
    const k003 = await ids('t00041');
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM rotation WHERE $1 IN (home_kindergarten_id, host_kindergarten_id)`, [kg['SH-QP-K003']]);
    expect(k003.length).toBe(rows[0].n);
    await t.http().get('/api/rotations').set(as('teacher')).expect(403);
    await t.http().get(`/api/reports/rotation-headcount?on=${dayFromToday(0)}`).set(as('kg_admin')).expect(403);
    await t.http().get('/api/reports/rotation-headcount?on=tomorrow').set(as('district_admin')).expect(400);
    const page = await t.signInPages('district_admin');
    const html = (await page.get('/rotations').expect(200)).text;
    expect(html).toContain('data-testid="rotation-form"');
    expect(html).toContain('data-testid="headcount"');
  });
});
