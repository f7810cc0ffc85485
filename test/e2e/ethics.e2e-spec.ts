import { startTestApp, type TestApp } from '../support/test-app.js';
import { createOffering, teachers } from '../support/offering-fixtures.js';
import { EthicsService } from '../../src/modules/titles/ethics.service.js';
import { shanghaiDate } from '../../src/common/dates.js';

describe('ethics sanctions: recorded by district staff, blocking titles, promotion, awards, programs and enrolment', () => {
  let t: TestApp;
  let admin: string;
  let people: Array<{ username: string; personId: string; kindergartenId: string }>;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const count = async (personId: string) =>
    Number((await t.db.pool.query('SELECT count(*) FROM ethics_sanction WHERE person_id = $1', [personId])).rows[0].count);
  const record = (personId: string, body: Record<string, unknown>, token = admin) =>
    t.http().post(`/api/people/${personId}/ethics-sanctions`).set(auth(token)).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('district_admin');
    people = await teachers(t.db.pool, 6);
  });
  afterAll(() => t.close());

  it('defaults the sanction end by kind and blocks eligibility for no less than 24 months; a retry records nothing twice', async () => {
    const [a, b, c] = people;
    const warning = await record(a.personId, { kind: 'warning', decidedOn: '2026-03-01', reason: '体罚幼儿' }).expect(201);
    expect(warning.body).toMatchObject({ kind: 'warning', decidedOn: '2026-03-01', sanctionUntil: '2026-09-01', blocksUntil: '2028-03-01', status: 'active' });
    const again = await record(a.personId, { kind: 'warning', decidedOn: '2026-03-01', reason: '体罚幼儿' }).expect(201);
    expect(again.body.id).toBe(warning.body.id);
    expect(await count(a.personId)).toBe(1);

    const demerit = await record(b.personId, { kind: 'demerit', decidedOn: '2026-03-01', sanctionUntil: '2028-09-01', reason: '有偿补课' }).expect(201);
    expect(demerit.body).toMatchObject({ sanctionUntil: '2028-09-01', blocksUntil: '2028-09-01' });
    const dismissal = await record(c.personId, { kind: 'dismissal', decidedOn: '2026-03-01', reason: '严重违反准则' }).expect(201);
    expect(dismissal.body).toMatchObject({ sanctionUntil: null, blocksUntil: '9999-12-31' });

    const ethics = t.app.get(EthicsService);
    for (const purpose of ['title', 'program', 'award', 'promotion'] as const) {
      const during = await ethics.blocks([a.personId, b.personId, c.personId, people[5].personId], '2027-06-01', purpose);
      expect([...during.keys()].sort()).toEqual([a.personId, b.personId, c.personId].sort());
    }
    const after = await ethics.blocks([a.personId, b.personId, c.personId], '2028-03-02', 'title');
    expect([...after.keys()].sort()).toEqual([b.personId, c.personId].sort());
    expect(await ethics.blocks([a.personId], '2026-02-28', 'promotion')).toEqual(new Map());
    expect((await ethics.activeBlock(a.personId, '2028-03-01'))?.id).toBe(warning.body.id);
  });

  it('refuses an end before the start, a dismissal with an end and a short block with 400 naming the field, writing nothing', async () => {
    const person = people[3].personId;
    const cases: Array<[string, Record<string, unknown>]> = [
      ['sanctionUntil', { kind: 'warning', decidedOn: '2026-03-01', sanctionUntil: '2026-02-01', reason: 'x' }],
      ['sanctionUntil', { kind: 'dismissal', decidedOn: '2026-03-01', sanctionUntil: '2027-02-01', reason: 'x' }],
      ['blocksUntil', { kind: 'warning', decidedOn: '2026-03-01', blocksUntil: '2027-03-01', reason: 'x' }],
      ['kind', { kind: 'scolding', decidedOn: '2026-03-01', reason: 'x' }],
      ['decidedOn', { kind: 'warning', decidedOn: '2026-02-30', reason: 'x' }],
      ['reason', { kind: 'warning', decidedOn: '2026-03-01', reason: '  ' }],
    ];
    for (const [field, body] of cases) {
      const res = await record(person, body).expect(400);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
    expect(await count(person)).toBe(0);
  });

  it('shows the list to district staff and to the person themself; kindergarten admins and other teachers get 404, and cannot record', async () => {
    const [a] = people;
    const own = await t.http().get(`/api/people/${a.personId}/ethics-sanctions`).set(auth(await t.token(a.username))).expect(200);
    expect(own.body.items.map((s: { kind: string }) => s.kind)).toEqual(['warning']);
    expect((await t.http().get(`/api/people/${a.personId}/ethics-sanctions`).set(auth(admin)).expect(200)).body.items).toHaveLength(1);
    for (const username of ['kg_admin', 'group_admin', people[4].username]) {
      await t.http().get(`/api/people/${a.personId}/ethics-sanctions`).set(auth(await t.token(username))).expect(404);
    }
    const kgAdmin = await t.token('kg_admin');
    await record(a.personId, { kind: 'warning', decidedOn: '2026-05-01', reason: 'x' }, kgAdmin).expect(403);
    expect(await count(a.personId)).toBe(1);
  });

  it('corrects and revokes with a reason, audited; a revoked sanction blocks nothing', async () => {
    const person = people[4].personId;
    const created = (await record(person, { kind: 'warning', decidedOn: '2026-01-10', reason: '违规收受礼品' }).expect(201)).body;
    const corrected = await t.http().patch(`/api/people/${person}/ethics-sanctions/${created.id}`).set(auth(admin))
      .send({ kind: 'demerit', correctionReason: '处理类型录入错误' }).expect(200);
    expect(corrected.body).toMatchObject({ kind: 'demerit', sanctionUntil: '2027-01-10', blocksUntil: '2028-01-10' });
    await t.http().patch(`/api/people/${person}/ethics-sanctions/${created.id}`).set(auth(admin)).send({ sanctionUntil: '2025-01-01', correctionReason: 'x' }).expect(400);
    await t.http().post(`/api/people/${person}/ethics-sanctions/${created.id}/revoke`).set(auth(admin)).send({}).expect(400);
    const revoked = await t.http().post(`/api/people/${person}/ethics-sanctions/${created.id}/revoke`).set(auth(admin)).send({ reason: '复议撤销' }).expect(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokeReason: '复议撤销' });
    expect(await t.app.get(EthicsService).activeBlock(person, '2026-06-01', 'title')).toBeNull();
    const audit = await t.db.pool.query(`SELECT action, after->>'correctionReason' AS why FROM audit_log WHERE entity_type = 'ethics_sanction' AND entity_id = $1 ORDER BY id`, [created.id]);
    expect(audit.rows).toEqual([{ action: 'create', why: null }, { action: 'correct', why: '处理类型录入错误' }, { action: 'revoke', why: null }]);
    const own = await t.http().get(`/api/people/${person}/ethics-sanctions`).set(auth(await t.token(people[4].username))).expect(200);
    expect(own.body.items).toEqual([]);
  });

  it('still refuses enrolment while a sanction blocks', async () => {
    const learner = people[5];
    await record(learner.personId, { kind: 'warning', decidedOn: shanghaiDate(), reason: '违反职业行为准则' }).expect(201);
    const { offeringId } = await createOffering(t.db.pool);
    const res = await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(auth(await t.token(learner.username))).send({}).expect(422);
    expect(res.body.error.code).toBe('ETHICS_BLOCKED');
  });

  it('renders the sanctions page with the form for district staff only', async () => {
    const [a] = people;
    const page = await (await t.signInPages('district_admin')).get(`/people/${a.personId}/ethics`).expect(200);
    expect(page.text).toContain('data-testid="sanction-form"');
    expect(page.text).toContain('2028-03-01');
    await (await t.signInPages('kg_admin')).get(`/people/${a.personId}/ethics`).expect(403);
  });
});
