import { shanghaiDate } from '../../src/common/dates.js';
import { TitleEligibilityService } from '../../src/modules/titles/title-eligibility.service.js';
import { addDaysTo, addMonths, addYears } from '../../src/modules/titles/title-rules.js';
import { sessionTokens, teachers } from '../support/offering-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { QP_RULE_FIRST, addSanction, setEducation, setQualification, setTitles } from '../support/title-fixtures.js';

type Condition = { code: string; met: boolean; metOn: string | null; reason: string | null };
type Eligibility = { nextTitle: string | null; eligibleOn: string | null; eligibleNow: boolean; ruleRegion: string | null; conditions: Condition[] };

describe('title eligibility', () => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const today = shanghaiDate();
  let k001: Array<{ username: string; personId: string }>;
  let elsewhere: { username: string; personId: string };
  const eligibility = async (personId: string, username = 'district_admin') =>
    (await t.http().get(`/api/people/${personId}/title-eligibility`).set(as(username)).expect(200)).body as Eligibility;
  const condition = (e: Eligibility, code: string) => e.conditions.find((c) => c.code === code)!;

  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ['district_admin', 'kg_admin', 'group_admin', 'teacher']) tokens.set(name, await t.token(name));
    k001 = await teachers(t.db.pool, 6, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K001') AND u.username <> 'kg_admin'`);
    [elsewhere] = await teachers(t.db.pool, 1, `p.current_org_unit_id <> (SELECT id FROM org_unit WHERE code = 'SH-QP-K001')`);
    for (const [name, token] of await sessionTokens(t.db.pool, [...k001.map((p) => p.username), elsewhere!.username])) tokens.set(name, token);
    for (const p of k001) await setQualification(t.db.pool, p.personId, true);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('under the national rule: years at the previous title by education, and the credit condition', async () => {
    const [a] = k001;
    const since = addMonths(today, -18);
    await setEducation(t.db.pool, a!.personId, 'bachelor');
    await setTitles(t.db.pool, a!.personId, [{ title: 'second', effectiveDate: since }]);
    const e = await eligibility(a!.personId);
    expect(e).toMatchObject({ nextTitle: 'first', ruleRegion: null, eligibleNow: false });
    expect(condition(e, 'years_at_previous')).toMatchObject({ met: false, metOn: addYears(since, 4) });
    // Credits are met now or at an unknown date: what ComplianceService says of the person today.
    const compliance = (await t.http().get(`/api/people/${a!.personId}/compliance`).set(as('district_admin')).expect(200)).body as Array<{ standing: string }>;
    const complete = (Array.isArray(compliance) ? compliance : (compliance as { items: Array<{ standing: string }> }).items)
      .every((r) => r.standing === 'met' || r.standing === 'not_applicable');
    expect(condition(e, 'credits_complete')).toMatchObject(complete ? { met: true, metOn: today } : { met: false, metOn: null });
    expect(e.eligibleOn).toBe(complete ? addYears(since, 4) : null);

    await setEducation(t.db.pool, a!.personId, 'master');
    expect(condition(await eligibility(a!.personId), 'years_at_previous').metOn).toBe(addYears(since, 2));
  });

  it('a district rule takes precedence; certificates and ethics blocks give their dates', async () => {
    await t.http().post('/api/title-rules').set(as('district_admin')).send(QP_RULE_FIRST).expect(201);
    const [, b] = k001;
    const since = addMonths(today, -30);
    await setEducation(t.db.pool, b!.personId, 'bachelor');
    await setTitles(t.db.pool, b!.personId, [{ title: 'third', effectiveDate: '2015-09-01' }, { title: 'second', effectiveDate: since }]);
    let e = await eligibility(b!.personId);
    expect(e).toMatchObject({ nextTitle: 'first', ruleRegion: 'SH-QP', eligibleOn: addYears(since, 4), eligibleNow: false });
    expect(e.conditions.map((c) => c.code)).toEqual(['education', 'years_at_previous', 'certificate:teacher_qualification', 'no_ethics_block']);

    const blockedUntil = addDaysTo(addYears(since, 4), 200);
    await addSanction(t.db.pool, b!.personId, addDaysTo(today, -30), blockedUntil);
    e = await eligibility(b!.personId);
    expect(condition(e, 'no_ethics_block')).toMatchObject({ met: false, metOn: addDaysTo(blockedUntil, 1) });
    expect(e.eligibleOn).toBe(addDaysTo(blockedUntil, 1));

    await setQualification(t.db.pool, b!.personId, false);
    e = await eligibility(b!.personId);
    expect(condition(e, 'certificate:teacher_qualification')).toMatchObject({ met: false, metOn: null, reason: 'certificate_missing' });
    expect(e.eligibleOn).toBeNull();
  });

  it('the first title counts from the hire date; education below the minimum is never met', async () => {
    const [, , c, d] = k001;
    const hired = addMonths(today, -3);
    await setEducation(t.db.pool, c!.personId, 'junior_college', hired);
    await setTitles(t.db.pool, c!.personId, []);
    const first = await eligibility(c!.personId);
    expect(first.nextTitle).toBe('third');
    expect(condition(first, 'years_at_previous')).toMatchObject({ met: false, metOn: addYears(hired, 1) });

    await setEducation(t.db.pool, d!.personId, 'junior_college');
    await setTitles(t.db.pool, d!.personId, [{ title: 'senior', effectiveDate: '2012-09-01' }]);
    const top = await eligibility(d!.personId);
    expect(top.nextTitle).toBe('professorial');
    expect(condition(top, 'education')).toMatchObject({ met: false, metOn: null, reason: 'education_below_minimum' });
    expect(top.eligibleOn).toBeNull();
  });

  it('answers the same in batch for other modules', async () => {
    const service = t.app.get(TitleEligibilityService);
    const ids = k001.map((p) => p.personId);
    const batch = await service.forPeople(ids);
    expect(batch.size).toBe(ids.length);
    for (const p of k001.slice(0, 4)) {
      const one = await eligibility(p.personId);
      expect(batch.get(p.personId)).toMatchObject({ nextTitle: one.nextTitle, eligibleOn: one.eligibleOn });
    }
  });

  it('is visible to the person and reviewers in scope; to anyone else the person does not exist', async () => {
    const [a, b] = k001;
    await eligibility(a!.personId, a!.username);
    await eligibility(a!.personId, 'kg_admin');
    await t.http().get(`/api/people/${a!.personId}/title-eligibility`).set(as(b!.username)).expect(404);
    await t.http().get(`/api/people/${elsewhere.personId}/title-eligibility`).set(as('kg_admin')).expect(404);
    await t.http().get(`/api/people/${a!.personId}/title-eligibility`).expect(401);
  });

  it("renders a person's title page for reviewers in scope, in Chinese with the dates", async () => {
    const [, b] = k001;
    const pages = await t.signInPages('kg_admin');
    const html = (await pages.get(`/people/${b!.personId}/title`).expect(200)).text;
    expect(html).toContain('data-code="no_ethics_block"');
    expect(html).toMatch(/\d{4}-\d{2}-\d{2} 起满足/);
    await pages.get(`/people/${elsewhere.personId}/title`).expect(404);
  });

  it('rules: a new effective-dated version by the district; bad conditions are named; others refused', async () => {
    const rule = { ...QP_RULE_FIRST, effectiveFrom: '2027-01-01' };
    const created = await t.http().post('/api/title-rules').set(as('district_admin')).send(rule).expect(201);
    const again = await t.http().post('/api/title-rules').set(as('district_admin')).send(rule).expect(200);
    expect(again.body.id).toBe(created.body.id);
    const bad = await t.http().post('/api/title-rules').set(as('district_admin'))
      .send({ ...rule, effectiveFrom: '2027-02-01', conditions: { ...rule.conditions, yearsAtPrevious: { bachelor: -1, phd: 2 }, certificates: ['passport'] } }).expect(400);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort())
      .toEqual(['conditions.certificates[0]', 'conditions.yearsAtPrevious.bachelor', 'conditions.yearsAtPrevious.phd']);
    await t.http().post('/api/title-rules').set(as('district_admin')).send({ ...rule, regionCode: 'BJ' }).expect(400);
    await t.http().post('/api/title-rules').set(as('kg_admin')).send(rule).expect(403);
    const list = await t.http().get('/api/title-rules?region=SH-QP-K001').set(as('teacher')).expect(200);
    // The 2027 version is not in force yet: the 2020 district rule is.
    const { rows: [current] } = await t.db.pool.query(`SELECT id FROM title_rule WHERE region_code = 'SH-QP' AND effective_from = '2020-01-01'`);
    expect(list.body.inForce.first).toBe(current.id);
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM title_rule WHERE region_code = 'SH-QP'`);
    expect(rows[0].n).toBe(2);
  });
});
