import { startTestApp, type TestApp } from '../support/test-app.js';
import { nationalIdCheckChar } from '../../src/common/national-id.js';
import { CheckReminderService } from '../../src/modules/titles/check-reminder.service.js';
import { addMonths } from '../../src/modules/titles/ethics-rules.js';
import { shanghaiDate } from '../../src/common/dates.js';

/** A valid ID of someone born in Beijing (110105), outside the demo's Qingpu range. */
function nationalId(birth: string, serial: number): string {
  const first17 = `110105${birth.replaceAll('-', '')}${String(serial).padStart(2, '0')}2`;
  return first17 + nationalIdCheckChar(first17);
}

describe('background checks (入职查询): district HR only, required before a hire, re-checked yearly', () => {
  let t: TestApp;
  let admin: string;
  let k001: string;
  let staff: Array<{ personId: string; username: string | null }>;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const check = (kind: string, checkedOn: string, result = 'clear') => ({ kind, authorisedOn: checkedOn, authorisationRef: `SQ-${checkedOn}-${kind}`, checkedOn, result });
  const post = (personId: string, body: Record<string, unknown>, token = admin) => t.http().post(`/api/people/${personId}/background-checks`).set(auth(token)).send(body);
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.pool.query(sql, params)).rows[0].count);
  /** Ends the person's employment, as when someone left: their next employment is a hire. */
  const leave = async (personId: string) => {
    await t.db.pool.query(`UPDATE employment SET end_date = '2026-06-30' WHERE person_id = $1 AND end_date IS NULL`, [personId]);
    await t.db.pool.query(`UPDATE person SET current_org_unit_id = NULL, current_post = NULL WHERE id = $1`, [personId]);
  };
  const hire = (personId: string, startDate: string) =>
    t.http().post(`/api/people/${personId}/employments`).set(auth(admin)).send({ orgUnitId: k001, post: 'teacher', startDate });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('district_admin');
    k001 = (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = 'SH-QP-K001'`)).rows[0].id;
    staff = (await t.db.pool.query(
      `SELECT p.id AS "personId", u.username FROM person p LEFT JOIN app_user u ON u.person_id = p.id AND u.username ~ '^t[0-9]{5}$'
        WHERE p.current_org_unit_id = $1 AND p.current_post = 'teacher' ORDER BY u.username NULLS LAST, p.id LIMIT 8`, [k001])).rows;
  });
  afterAll(() => t.close());

  it('lets district HR record and read checks; everyone else, the person included, gets 404 and writes nothing', async () => {
    const person = staff[0];
    const created = await post(person.personId, { ...check('yearly', '2026-03-02'), note: '年度复查' }).expect(201);
    expect(created.body).toMatchObject({ kind: 'yearly', checkedOn: '2026-03-02', result: 'clear', note: '年度复查' });
    expect((await post(person.personId, check('yearly', '2026-03-02')).expect(201)).body.id).toBe(created.body.id);
    const list = await t.http().get(`/api/people/${person.personId}/background-checks`).set(auth(admin)).expect(200);
    expect(list.body.items).toHaveLength(1);

    const others = ['kg_admin', 'group_admin', 'teacher', person.username!];
    for (const username of others) {
      const token = await t.token(username);
      await t.http().get(`/api/people/${person.personId}/background-checks`).set(auth(token)).expect(404);
      await post(person.personId, check('yearly', '2026-04-01', 'hit'), token).expect(404);
      await t.http().get('/api/background-checks/due').set(auth(token)).expect(404);
      const page = await (await t.signInPages(username)).get(`/people/${person.personId}/background-checks`);
      expect(page.status).toBe(404);
    }
    expect(await count('SELECT count(*) FROM background_check WHERE person_id = $1', [person.personId])).toBe(1);
    const record = await t.http().get(`/api/people/${person.personId}`).set(auth(await t.token('kg_admin'))).expect(200);
    expect(JSON.stringify(record.body)).not.toMatch(/background|SQ-2026/);
  });

  it('refuses a check dated before its authorisation with 400 naming the field', async () => {
    const person = staff[1].personId;
    const res = await post(person, { ...check('yearly', '2026-03-02'), authorisedOn: '2026-03-05' }).expect(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['checkedOn']);
    expect(await count('SELECT count(*) FROM background_check WHERE person_id = $1', [person])).toBe(0);
  });

  it('blocks a hire without a clear pre-employment check (missing, or a hit), and lets it through with one', async () => {
    const [missing, hit] = [staff[2].personId, staff[3].personId];
    await leave(missing);
    await leave(hit);
    const employments = await count('SELECT count(*) FROM employment');
    expect((await hire(missing, '2026-12-01').expect(422)).body.error.code).toBe('BACKGROUND_CHECK_MISSING');
    // A check after the start, or a yearly one, does not clear a hire.
    await post(missing, check('pre_employment', '2026-12-05')).expect(201);
    await post(missing, check('yearly', '2026-11-01')).expect(201);
    expect((await hire(missing, '2026-12-01').expect(422)).body.error.code).toBe('BACKGROUND_CHECK_MISSING');

    await post(hit, check('pre_employment', '2026-11-20', 'hit')).expect(201);
    expect((await hire(hit, '2026-12-01').expect(422)).body.error.code).toBe('BACKGROUND_CHECK_HIT');
    expect(await count('SELECT count(*) FROM employment')).toBe(employments);

    await post(missing, check('pre_employment', '2026-11-20')).expect(201);
    const hired = await hire(missing, '2026-12-01').expect(201);
    expect(hired.body).toMatchObject({ orgUnitId: k001, startDate: '2026-12-01', endDate: null });
  });

  it('blocks a move of serving staff whose latest check is a hit; demo staff without checks still move', async () => {
    const other = (await t.db.pool.query(`SELECT id FROM org_unit WHERE kind = 'kindergarten' AND status = 'operating' AND code <> 'SH-QP-K001' ORDER BY code LIMIT 1`)).rows[0].id;
    const move = (personId: string) => t.http().post(`/api/people/${personId}/employments`).set(auth(admin)).send({ orgUnitId: other, post: 'teacher', startDate: '2027-02-01' });
    await post(staff[4].personId, check('yearly', '2026-10-10', 'hit')).expect(201);
    expect((await move(staff[4].personId).expect(422)).body.error.code).toBe('BACKGROUND_CHECK_HIT');
    await move(staff[5].personId).expect(201);
  });

  it('lists yearly re-checks due or overdue and hires starting without a clear check, and reminds district HR once per person and due date', async () => {
    const [overdue, soon, fresh] = [staff[6].personId, staff[7].personId, staff[1].personId];
    await post(overdue, check('yearly', '2030-02-01')).expect(201);
    await post(soon, check('pre_employment', '2030-03-20')).expect(201);
    await post(fresh, check('yearly', '2030-09-01')).expect(201);
    // Entered as serving staff (past start, so unguarded), then its start corrected to a later date: the due list still catches the hire.
    const newcomer = await t.http().post('/api/people').set(auth(admin)).send({
      fullName: '周新', nationalId: nationalId('1999-04-02', 41), educationLevel: 'bachelor', preschoolMajor: true,
      employment: { orgUnitId: k001, post: 'teacher', startDate: '2025-09-01' },
    }).expect(201);
    await t.http().patch(`/api/people/${newcomer.body.id}/employments/${newcomer.body.employments[0].id}`).set(auth(admin))
      .send({ startDate: '2031-03-15' }).expect(200);

    const due = await t.http().get('/api/background-checks/due?asOf=2031-03-01').set(auth(admin)).expect(200);
    const mine = new Set([overdue, soon, fresh, newcomer.body.id]);
    const rows = due.body.items.filter((i: { personId: string }) => mine.has(i.personId)).map((i: { personId: string; reason: string; dueOn: string; overdue: boolean }) => [i.personId, i.reason, i.dueOn, i.overdue]);
    expect(rows).toEqual([
      [overdue, 'yearly', '2031-02-01', true],
      [newcomer.body.id, 'pre_employment', '2031-03-15', false],
      [soon, 'yearly', '2031-03-20', false],
    ]);
    expect(due.body.neverChecked).toBeGreaterThan(0);
    await t.http().get('/api/background-checks/due?asOf=2031-02-30').set(auth(admin)).expect(400);

    const reminders = t.app.get(CheckReminderService);
    const notices = `SELECT count(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'district_admin' AND n.kind = 'background_check.due'`;
    expect(await count(notices)).toBe(0);
    await reminders.remind('2031-03-01');
    // Due today or overdue (the earlier tests' checks too), and the hire starting within 30 days; the re-check due later in March waits.
    const overdueBefore = due.body.items.filter((i: { overdue: boolean }) => i.overdue).length;
    expect(await count(notices)).toBe(overdueBefore + 1);
    const about = async (personId: string) => count(`${notices} AND n.link = $1`, [`/people/${personId}/background-checks`]);
    expect([await about(overdue), await about(newcomer.body.id), await about(soon)]).toEqual([1, 1, 0]);
    await reminders.remind('2031-03-01');
    expect(await count(notices)).toBe(overdueBefore + 1);
    const teachersNotified = await count(`SELECT count(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'kg_admin' AND n.kind = 'background_check.due'`);
    expect(teachersNotified).toBe(0);

    const page = await (await t.signInPages('district_admin')).get('/background-checks').expect(200);
    expect(page.text).toContain('data-testid="due-checks"');
  });

  describe('hires through POST /api/people: HR records the candidate\'s check by national ID first', () => {
    const today = shanghaiDate();
    const candidate = (id: string, result = 'clear', checkedOn = today) =>
      ({ nationalId: id, fullName: '林候选', ...check('pre_employment', checkedOn, result) });
    const newPerson = (id: string, startDate = today) => ({
      fullName: '林候选', nationalId: id, educationLevel: 'bachelor', preschoolMajor: true, employment: { orgUnitId: k001, post: 'teacher', startDate },
    });
    let kgAdmin: string;
    beforeAll(async () => {
      kgAdmin = await t.token('kg_admin');
    });
    const create = (body: Record<string, unknown>) => t.http().post('/api/people').set(auth(kgAdmin)).send(body);
    const written = async () => [await count('SELECT count(*) FROM person'), await count('SELECT count(*) FROM employment'), await count('SELECT count(*) FROM background_check')];

    it('refuses a hire starting today without a check, writing nothing; with a clear check first it creates the person and links the check', async () => {
      const id = nationalId('1998-05-06', 51);
      const before = await written();
      expect((await create(newPerson(id)).expect(422)).body.error.code).toBe('BACKGROUND_CHECK_MISSING');
      expect(await written()).toEqual(before);

      const recorded = await t.http().post('/api/background-checks').set(auth(admin)).send({ ...candidate(id), note: '候选人' }).expect(201);
      expect(recorded.body).toMatchObject({ personId: null, fullName: '林候选', kind: 'pre_employment', result: 'clear', checkedOn: today, note: '候选人' });
      expect(recorded.body.nationalId).not.toBe(id);
      const stored = (await t.db.pool.query('SELECT row_to_json(c)::text AS row FROM background_check c WHERE id = $1', [recorded.body.id])).rows[0].row;
      expect(stored).not.toContain(id);
      expect((await t.http().post('/api/background-checks').set(auth(admin)).send(candidate(id)).expect(201)).body.id).toBe(recorded.body.id);

      const created = await create(newPerson(id)).expect(201);
      const checks = await t.http().get(`/api/people/${created.body.id}/background-checks`).set(auth(admin)).expect(200);
      expect(checks.body.items.map((c: { id: string }) => c.id)).toEqual([recorded.body.id]);
    });

    it('does not count a check more than 12 months before the start, nor a yearly one; a hit refuses the hire and stays unlinked', async () => {
      const [old, hit] = [nationalId('1997-01-02', 52), nationalId('1997-01-03', 53)];
      await t.http().post('/api/background-checks').set(auth(admin)).send(candidate(old, 'clear', addMonths(today, -13))).expect(201);
      const yearly = await t.http().post('/api/background-checks').set(auth(admin)).send({ ...candidate(old), kind: 'yearly' }).expect(400);
      expect(yearly.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['kind']);
      const before = await written();
      expect((await create(newPerson(old)).expect(422)).body.error.code).toBe('BACKGROUND_CHECK_MISSING');

      const recorded = await t.http().post('/api/background-checks').set(auth(admin)).send(candidate(hit, 'hit')).expect(201);
      const refused = await create(newPerson(hit, addMonths(today, 1))).expect(422);
      expect(refused.body.error.code).toBe('BACKGROUND_CHECK_HIT');
      expect(await written()).toEqual([before[0], before[1], before[2] + 1]);
      expect((await t.db.pool.query('SELECT person_id FROM background_check WHERE id = $1', [recorded.body.id])).rows[0].person_id).toBeNull();

      // The page form refuses it too, with the reason.
      const browser = await t.signInPages('kg_admin');
      const csrf = /name="csrf-token" content="([^"]+)"/.exec((await browser.get('/people/new').expect(200)).text)![1];
      const page = await browser.post('/people').type('form').send({
        _csrf: csrf, fullName: '林候选', nationalId: hit, educationLevel: 'bachelor', orgUnitId: k001, post: 'teacher', startDate: today,
      }).expect(422);
      expect(page.text).toContain('不能建立任职记录');
      expect(await written()).toEqual([before[0], before[1], before[2] + 1]);
    });

    it('enters existing staff (a past start) without a check and lists them as no check on record until HR records one', async () => {
      const id = nationalId('1990-07-08', 54);
      const created = await create(newPerson(id, '2024-09-01')).expect(201);
      const due = async () => (await t.http().get(`/api/background-checks/due?asOf=${today}`).set(auth(admin)).expect(200)).body.items
        .filter((i: { personId: string }) => i.personId === created.body.id);
      expect(await due()).toEqual([expect.objectContaining({ reason: 'no_check', dueOn: today, overdue: false, lastCheckedOn: null })]);
      expect((await (await t.signInPages('district_admin')).get('/background-checks').expect(200)).text).toContain('无查询记录');
      await post(created.body.id, check('yearly', today)).expect(201);
      expect(await due()).toEqual([]);
    });

    it('lets only district HR record a candidate\'s check: 404 for everyone else, and bad input names the field', async () => {
      const id = nationalId('1996-03-04', 55);
      const before = await count('SELECT count(*) FROM background_check');
      for (const username of ['kg_admin', 'group_admin', 'teacher']) {
        await t.http().post('/api/background-checks').set(auth(await t.token(username))).send(candidate(id)).expect(404);
      }
      const bad = await t.http().post('/api/background-checks').set(auth(admin)).send({ ...candidate('110105199603040000'), fullName: '' }).expect(400);
      expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['fullName', 'nationalId']);
      const early = await t.http().post('/api/background-checks').set(auth(admin)).send({ ...candidate(id), authorisedOn: addMonths(today, 1) }).expect(400);
      expect(early.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['checkedOn']);
      expect(await count('SELECT count(*) FROM background_check')).toBe(before);
    });
  });
});
