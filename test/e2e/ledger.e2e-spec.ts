import { addDays, shanghaiDate } from '../../src/common/dates.js';
import { ValidationFailed } from '../../src/common/errors.js';
import { LedgerService } from '../../src/modules/credits/ledger.service.js';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sessionTokens, teachers } from '../support/offering-fixtures.js';

describe('the credit ledger', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let teacherId: string;
  let elsewhere: { username: string; personId: string };
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const entriesOf = async (personId: string) =>
    (await t.db.pool.query('SELECT count(*)::int AS n FROM credit_entry WHERE person_id = $1', [personId])).rows[0].n as number;
  const award = (overrides: Record<string, unknown> = {}) => ({
    hours: 6, category: 'knowledge_skills', level: 'district', source: 'contest', title: '区级教学评比一等奖', occurredOn: '2026-10-15', ...overrides,
  });
  const post = (personId: string, body: object, username = 'district_admin') =>
    t.http().post(`/api/people/${personId}/credits`).set(as(username)).send(body);
  const fieldsOf = (body: { error: { details: { fields: Array<{ field: string }> } } }) => body.error.details.fields.map((f) => f.field);

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
    for (const name of ['district_admin', 'kg_admin', 'teacher', 'group_admin']) tokens.set(name, await t.token(name));
    teacherId = (await t.db.pool.query(`SELECT person_id FROM app_user WHERE username = 'teacher'`)).rows[0].person_id;
    // A teacher outside the demo kindergarten admin's kindergarten and outside the group admin's group.
    [elsewhere] = await teachers(t.db.pool, 1, `p.current_org_unit_id NOT IN (SELECT kindergarten_id FROM kindergarten_group_member)`);
    for (const [name, token] of await sessionTokens(t.db.pool, [elsewhere.username])) tokens.set(name, token);
  });
  afterAll(() => t.close());

  it('records one entry when many workers award the same completion at once', async () => {
    const input = {
      personId: teacherId, hours: 6, category: 'knowledge_skills' as const, level: 'district' as const, source: 'course_completion' as const,
      sourceId: 'enrolment-1', sourceKey: 'completion:concurrency-test', title: '幼儿园游戏活动设计', occurredOn: '2026-10-10', recordedBy: null,
    };
    const db = t.app.get(DataSource);
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => ledger.record(input)),
      ...Array.from({ length: 5 }, () => db.transaction((manager) => ledger.record(input, manager))),
    ]);
    expect(new Set(results.map((e) => e.id)).size).toBe(1);
    const { rows } = await t.db.pool.query(
      `SELECT e.hours::float, e.credits::float, c.code FROM credit_entry e JOIN credit_cycle c ON c.id = e.cycle_id WHERE source_key = $1`, [input.sourceKey]);
    // Shanghai converts 10 hours to 1 credit; October 2026 falls in the 2026-2030 cycle.
    expect(rows).toEqual([{ hours: 6, credits: 0.6, code: '2026-2030' }]);
  });

  it('records an award by hand once per idempotency key, converts the hours, and audits it', async () => {
    const body = award({ idempotencyKey: 'contest-2026-10', occurredOn: '2024-05-20' });
    const answers = await Promise.all(Array.from({ length: 4 }, () => post(teacherId, body)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    const entry = answers[0].body;
    expect(entry).toMatchObject({ personId: teacherId, hours: 6, credits: 0.6, source: 'contest', approvedBy: expect.any(String) });
    const { rows: [cycle] } = await t.db.pool.query('SELECT code FROM credit_cycle WHERE id = $1', [entry.cycleId]);
    expect(cycle.code).toBe('2021-2025');
    const audit = await t.db.pool.query(`SELECT action FROM audit_log WHERE entity_type = 'credit_entry' AND entity_id = $1`, [entry.id]);
    expect(audit.rows).toEqual([{ action: 'create' }]);
  });

  it('refuses absurd, negative, future and ancient amounts and dates, naming the field, and writes nothing', async () => {
    const before = await entriesOf(teacherId);
    const tomorrow = shanghaiDate(addDays(new Date(), 1));
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ hours: -2 }, 'hours'], [{ hours: 501 }, 'hours'], [{ credits: 51 }, 'credits'], [{ credits: -1 }, 'credits'],
      [{ occurredOn: tomorrow }, 'occurredOn'], [{ occurredOn: '1999-12-31' }, 'occurredOn'], [{ occurredOn: '2026-02-30' }, 'occurredOn'],
      [{ source: 'course_completion' }, 'source'], [{ source: 'manual_adjustment' }, 'reason'], [{ title: '' }, 'title'],
    ];
    for (const [change, field] of cases) {
      const res = await post(teacherId, award(change));
      expect([res.status, fieldsOf(res.body)]).toEqual([400, expect.arrayContaining([field])]);
    }
    // Other modules' awards go through the same checks.
    await expect(ledger.record({ ...award({ hours: 900 }), personId: teacherId, recordedBy: null } as never)).rejects.toBeInstanceOf(ValidationFailed);
    await expect(ledger.record({ ...award({ occurredOn: tomorrow }), personId: teacherId, recordedBy: null } as never)).rejects.toBeInstanceOf(ValidationFailed);
    expect(await entriesOf(teacherId)).toBe(before);
  });

  it('reverses an entry once with a reversal row, never a reversal itself, and nets the totals', async () => {
    const entry = (await post(elsewhere.personId, award({ hours: 12, credits: 1.5, category: 'ethics', level: 'city' })).expect(201)).body;
    const totalsBefore = (await t.http().get(`/api/people/${elsewhere.personId}/credits?category=ethics`).set(as('district_admin')).expect(200)).body.totals;
    expect(totalsBefore).toMatchObject({ hours: 12, credits: 1.5, byCategoryLevel: [{ category: 'ethics', level: 'city', hours: 12, credits: 1.5 }] });

    const [first, second] = await Promise.all([
      t.http().post(`/api/credits/${entry.id}/reverse`).set(as('district_admin')).send({ reason: '重复登记' }),
      t.http().post(`/api/credits/${entry.id}/reverse`).set(as('district_admin')).send({ reason: '重复登记' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const reversal = [first, second].find((r) => r.status === 201)!.body;
    expect(reversal).toMatchObject({ hours: -12, credits: -1.5, reversesEntryId: entry.id, reason: '重复登记', cycleId: entry.cycleId, occurredOn: entry.occurredOn });
    expect([first, second].find((r) => r.status === 409)!.body.error.code).toBe('ALREADY_REVERSED');

    const again = await t.http().post(`/api/credits/${reversal.id}/reverse`).set(as('district_admin')).send({ reason: '撤销冲销' }).expect(400);
    expect(again.body.error.code).toBe('LEDGER_REVERSAL_NOT_REVERSIBLE');
    await t.http().post(`/api/credits/${entry.id}/reverse`).set(as('district_admin')).send({}).expect(400);

    const after = (await t.http().get(`/api/people/${elsewhere.personId}/credits?category=ethics`).set(as('district_admin')).expect(200)).body;
    expect(after.totals).toMatchObject({ hours: 0, credits: 0 });
    const original = after.items.find((i: { id: string }) => i.id === entry.id);
    expect(original.reversedByEntryId).toBe(reversal.id);
  });

  it('lists a person\'s entries with filters and net totals by category and level', async () => {
    await post(elsewhere.personId, award({ hours: 10, category: 'practice', level: 'kindergarten', source: 'mentoring', occurredOn: '2026-03-01' })).expect(201);
    await post(elsewhere.personId, award({ hours: 20, category: 'practice', level: 'kindergarten', source: 'program', occurredOn: '2023-03-01' })).expect(201);
    const mine = (await t.http().get('/api/me/credits?cycle=2026-2030&category=practice').set(as(elsewhere.username)).expect(200)).body;
    expect(mine.items.map((i: { hours: number; cycleCode: string }) => [i.hours, i.cycleCode])).toEqual([[10, '2026-2030']]);
    expect(mine.totals.byCategoryLevel).toEqual([{ category: 'practice', level: 'kindergarten', hours: 10, credits: 1 }]);
    const bySource = (await t.http().get(`/api/people/${elsewhere.personId}/credits?source=program`).set(as('district_admin')).expect(200)).body;
    expect(bySource).toMatchObject({ total: 1, totals: { hours: 20, credits: 2 } });
    const paged = (await t.http().get(`/api/people/${elsewhere.personId}/credits?pageSize=1&page=2`).set(as('district_admin')).expect(200)).body;
    expect(paged).toMatchObject({ page: 2, pageSize: 1, items: [expect.any(Object)] });
    expect(paged.total).toBeGreaterThanOrEqual(3);
    const unknown = await t.http().get('/api/me/credits?cycle=1990-1995').set(as(elsewhere.username)).expect(400);
    expect(fieldsOf(unknown.body)).toEqual(['cycle']);
    await t.http().get('/api/me/credits?category=fun').set(as(elsewhere.username)).expect(400);
  });

  it('shows a person\'s credits only to them and to credit readers over them; others learn nothing', async () => {
    await t.http().get(`/api/people/${teacherId}/credits`).set(as('teacher')).expect(200);
    await t.http().get(`/api/people/${teacherId}/credits`).set(as('kg_admin')).expect(200);
    await t.http().get(`/api/people/${elsewhere.personId}/credits`).set(as('kg_admin')).expect(404);
    await t.http().get(`/api/people/${elsewhere.personId}/credits`).set(as('teacher')).expect(404);
    await t.http().get(`/api/people/${elsewhere.personId}/credits`).set(as('group_admin')).expect(404);
    await t.http().get(`/api/people/00000000-0000-0000-0000-000000000000/credits`).set(as('district_admin')).expect(404);
    await t.http().get('/api/me/credits').set(as('district_admin')).expect(404);

    const before = await entriesOf(teacherId);
    await post(teacherId, award(), 'kg_admin').expect(403);
    await post(teacherId, award(), 'teacher').expect(403);
    const { rows: [entry] } = await t.db.pool.query('SELECT id FROM credit_entry WHERE person_id = $1 LIMIT 1', [teacherId]);
    await t.http().post(`/api/credits/${entry.id}/reverse`).set(as('kg_admin')).send({ reason: 'x' }).expect(403);
    expect(await entriesOf(teacherId)).toBe(before);
  });

  it('lists the credit cycles to anyone signed in', async () => {
    const res = await t.http().get('/api/credit-cycles').set(as('teacher')).expect(200);
    expect(res.body.items.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(['2021-2025', '2026-2030']));
    await t.http().get('/api/credit-cycles').expect(401);
  });

  it('refuses updates and deletes in the database itself', async () => {
    const { rows: [entry] } = await t.db.pool.query('SELECT id FROM credit_entry LIMIT 1');
    await expect(t.db.pool.query('UPDATE credit_entry SET hours = 99 WHERE id = $1', [entry.id])).rejects.toThrow(/append-only/);
    await expect(t.db.pool.query('DELETE FROM credit_entry WHERE id = $1', [entry.id])).rejects.toThrow(/append-only/);
    await expect(t.db.pool.query('TRUNCATE credit_entry CASCADE')).rejects.toThrow(/append-only/);
    const { rows: [still] } = await t.db.pool.query('SELECT hours::float FROM credit_entry WHERE id = $1', [entry.id]);
    expect(still.hours).not.toBe(99);
  });

  describe('the ledger page', () => {
    const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)![1];
    const signIn = (username: string) => t.signInPages(username);

    it('lets district staff record and reverse credits on the page, with errors beside the fields', async () => {
      const browser = await signIn('district_admin');
      const url = `/people/${elsewhere.personId}/credits`;
      const page = await browser.get(url).expect(200);
      expect(page.text).toContain('data-testid="record-form"');
      const csrf = csrfOf(page.text);
      const before = await entriesOf(elsewhere.personId);

      const bad = await browser.post(url).type('form')
        .send({ _csrf: csrf, title: '区级公开课', source: 'manual_adjustment', hours: '600', category: 'practice', level: 'district', occurredOn: '2026-09-01' }).expect(400);
      expect(bad.text).toMatch(/data-field-error="hours">数值过大/);
      expect(bad.text).toMatch(/data-field-error="reason">此项必填/);
      expect(bad.text).toContain('value="区级公开课"');
      expect(await entriesOf(elsewhere.personId)).toBe(before);

      await browser.post(url).type('form')
        .send({ _csrf: csrf, title: '区级公开课', source: 'manual_adjustment', hours: '8', category: 'practice', level: 'district', occurredOn: '2026-09-01', reason: '补录' })
        .expect(303).expect('Location', url);
      const { rows: [entry] } = await t.db.pool.query(`SELECT id, credits::float FROM credit_entry WHERE person_id = $1 AND title = '区级公开课'`, [elsewhere.personId]);
      expect(entry.credits).toBe(0.8);
      const shown = await browser.get(url).expect(200);
      expect(shown.text).toContain('学分已登记');
      expect(shown.text).toContain('8 学时 · 0.8 学分');

      const noReason = await browser.post(`${url}/${entry.id}/reverse`).type('form').send({ _csrf: csrf, reason: '' }).expect(400);
      expect(noReason.text).toMatch(/data-testid="row-error">请填写原因/);
      await browser.post(`${url}/${entry.id}/reverse`).type('form').send({ _csrf: csrf, reason: '登记错误' }).expect(303);
      const twice = await browser.post(`${url}/${entry.id}/reverse`).type('form').send({ _csrf: csrf, reason: '登记错误' }).expect(409);
      expect(twice.text).toContain('该学分记录已被冲销');
      // An entry reached through another person's page is not found.
      await browser.post(`/people/${teacherId}/credits/${entry.id}/reverse`).type('form').send({ _csrf: csrf, reason: 'x' }).expect(404);
    });

    it('shows the kindergarten admin their staff\'s ledger without the recording form, and nobody else\'s', async () => {
      const browser = await signIn('kg_admin');
      const page = await browser.get(`/people/${teacherId}/credits`).expect(200);
      expect(page.text).toContain('data-testid="ledger-totals"');
      expect(page.text).not.toContain('data-testid="record-form"');
      expect(page.text).not.toContain('data-testid="reverse"');
      await browser.get(`/people/${elsewhere.personId}/credits`).expect(404);
      const teacher = await signIn('teacher');
      await teacher.get(`/people/${teacherId}/credits`).expect(403);
    });
  });
});
