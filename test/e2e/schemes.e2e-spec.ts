import { startTestApp, type TestApp } from '../support/test-app.js';
import { teachers } from '../support/offering-fixtures.js';

interface Rule { category?: string; level?: string; min?: number; max?: number }

describe('requirement schemes: read, adjust, add', () => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const shanghaiRules = async (): Promise<Rule[]> =>
    (await t.db.pool.query(`SELECT rules FROM requirement_scheme WHERE code = 'sh-teacher-36'`)).rows[0].rules;
  const versionOf = async (code: string) => (await t.db.pool.query(`SELECT version FROM requirement_scheme WHERE code = $1`, [code])).rows[0].version as number;
  const patch = (code: string, body: object, username = 'district_admin') => t.http().patch(`/api/schemes/${code}`).set(as(username)).send(body);
  const newScheme = (extra: object = {}) => ({
    code: 'sh-teacher-40', nameZh: '上海市教师五年培训学分（调整）', nameEn: 'Shanghai five-year teacher credits (revised)', regionCode: 'SH',
    posts: ['teacher'], unit: 'credits', cycleKind: 'region_cycle', total: 40, effectiveFrom: '2027-01-01',
    rules: [{ category: 'ethics', min: 10 }, { category: 'self_study', min: 4, max: 4 }, { level: 'city', min: 8 }, { level: 'city', category: 'ethics', min: 3 }],
    ...extra,
  });

  const signIn = (username: string) => t.signInPages(username);

  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ['district_admin', 'kg_admin', 'teacher']) tokens.set(name, await t.token(name));
  });
  afterAll(() => t.close());

  it('lists every scheme with its rules, in words, to anyone signed in', async () => {
    const res = await t.http().get('/api/schemes').set(as('teacher')).expect(200);
    expect(res.body.items.map((s: { code: string }) => s.code)).toEqual(expect.arrayContaining(['sh-teacher-36', 'national-staff-360h', 'principal-stage-expert']));
    const one = await t.http().get('/api/schemes/sh-teacher-36').set(as('teacher')).expect(200);
    expect(one.body).toMatchObject({ code: 'sh-teacher-36', unit: 'credits', total: 36, editable: true, version: 1, totalText: '合计 ≥ 36 学分' });
    expect(one.body.rules).toHaveLength(15);
    expect(one.body.rules.map((r: { text: string }) => r.text)).toEqual(expect.arrayContaining(['师德素养 ≥ 8 学分', '自主研修 = 4 学分', '市级·知识技能 ≥ 4 学分']));
    expect(one.body.rules[0]).toMatchObject({ category: 'ethics', level: null, min: 8, max: null, textEn: 'Professional ethics ≥ 8 credits' });
    expect((await t.http().get('/api/schemes/no-such').set(as('teacher')).expect(404)).body.error.code).toBe('NOT_FOUND');
    await t.http().get('/api/schemes').expect(401);
  });

  it('lets only district staff change a scheme, and never a national one', async () => {
    expect((await patch('sh-teacher-36', { version: 1, total: 37 }, 'teacher')).status).toBe(403);
    expect((await patch('sh-teacher-36', { version: 1, total: 37 }, 'kg_admin')).status).toBe(403);
    const fixed = await patch('national-staff-360h', { version: 1, total: 300 }).expect(409);
    expect(fixed.body.error.code).toBe('SCHEME_NOT_EDITABLE');
    expect((await t.db.pool.query(`SELECT total::float FROM requirement_scheme WHERE code = 'national-staff-360h'`)).rows[0].total).toBe(360);
  });

  it('refuses minima beyond the total, a maximum below its minimum and contradicting rules, naming the rule, and changes nothing', async () => {
    const rules = await shanghaiRules();
    const raisedSelfStudy = rules.map((r, i) => (i === 3 ? { category: 'self_study', min: 10, max: 10 } : r));
    const tooMuch = await patch('sh-teacher-36', { version: 1, rules: raisedSelfStudy }).expect(400);
    expect(tooMuch.body.error.code).toBe('SCHEME_MINIMA_EXCEED_TOTAL');
    expect(tooMuch.body.error.details.fields).toEqual([expect.objectContaining({ field: 'rules[3].min', code: 'SCHEME_MINIMA_EXCEED_TOTAL' })]);
    expect(tooMuch.body.error.message).toContain('rules[3]');

    const lowTotal = await patch('sh-teacher-36', { version: 1, total: 30 }).expect(400);
    // 师德 8 + 知识技能 10 + 实践 14 passes 30 at rules[2]; 市级 7 + 区级 10 + 园本 15 at rules[12].
    expect(lowTotal.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['rules[2].min', 'rules[12].min']);

    const districtCells = rules.map((r, i) => (i === 10 ? { ...r, min: 7 } : r));
    const cells = await patch('sh-teacher-36', { version: 1, rules: districtCells }).expect(400);
    expect(cells.body.error.details.fields).toEqual([expect.objectContaining({ field: 'rules[11].min', code: 'SCHEME_MINIMA_EXCEED_TOTAL' })]);

    const inverted = await patch('sh-teacher-36', { version: 1, rules: [...rules.slice(0, 3), { category: 'self_study', min: 4, max: 2 }, ...rules.slice(4)] }).expect(400);
    expect(inverted.body.error).toMatchObject({ code: 'SCHEME_MAX_BELOW_MIN', details: { fields: [expect.objectContaining({ field: 'rules[3].max' })] } });

    const shapes = await patch('sh-teacher-36', { version: 1, total: -1, rules: [{ category: 'ethics', min: 'eight' }, { level: 'moon', min: 1 }, { min: 1 }, { category: 'ethics', min: 1, colour: 'red' }] }).expect(400);
    expect(shapes.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['total']);
    const shapesOnly = await patch('sh-teacher-36', { version: 1, rules: [{ category: 'ethics', min: 'eight' }, { level: 'moon', min: 1 }, { min: 1 }, { category: 'ethics', min: 1, colour: 'red' }] }).expect(400);
    expect(shapesOnly.body.error.code).toBe('SCHEME_RULE_NEEDS_TARGET');
    expect(shapesOnly.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(
      ['rules[0].min', 'rules[1].level', 'rules[2].category', 'rules[3].colour', 'rules[3].category']);

    expect(await versionOf('sh-teacher-36')).toBe(1);
    expect(await shanghaiRules()).toEqual(rules);
  });

  it('saves a change with the version read, refuses a stale version, and audits the change', async () => {
    const saved = await patch('sh-teacher-36', { version: 1, total: 37, effectiveTo: '2030-12-31' }).expect(200);
    expect(saved.body).toMatchObject({ total: 37, version: 2, effectiveTo: '2030-12-31', totalText: '合计 ≥ 37 学分' });
    const stale = await patch('sh-teacher-36', { version: 1, nameZh: '改名' }).expect(409);
    expect(stale.body.error).toMatchObject({ code: 'CONFLICT', details: { currentVersion: 2 } });
    expect((await t.db.pool.query(`SELECT name_zh FROM requirement_scheme WHERE code = 'sh-teacher-36'`)).rows[0].name_zh).not.toBe('改名');
    const { rows } = await t.db.pool.query(
      `SELECT a.action, a.before, a.after FROM audit_log a JOIN requirement_scheme s ON s.id::text = a.entity_id WHERE s.code = 'sh-teacher-36'`);
    expect(rows).toEqual([expect.objectContaining({ action: 'update', before: expect.objectContaining({ total: 36 }), after: expect.objectContaining({ total: 37 }) })]);
  });

  it('adds a new effective-dated scheme that takes over from the one it follows, with the same checks', async () => {
    const bad = await t.http().post('/api/schemes').set(as('district_admin'))
      .send(newScheme({ code: 'contradiction', rules: [{ category: 'ethics', max: 2 }, { level: 'city', category: 'ethics', min: 3 }] })).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'SCHEME_RULES_CONTRADICT', details: { fields: [expect.objectContaining({ field: 'rules[1].min' })] } });
    expect((await t.http().post('/api/schemes').set(as('kg_admin')).send(newScheme())).status).toBe(403);

    await patch('sh-teacher-36', { version: await versionOf('sh-teacher-36'), effectiveTo: '2026-12-31' }).expect(200);
    const created = await t.http().post('/api/schemes').set(as('district_admin')).send(newScheme()).expect(201);
    expect(created.body).toMatchObject({ code: 'sh-teacher-40', version: 1, editable: true, effectiveFrom: '2027-01-01', effectiveTo: null });
    const again = await t.http().post('/api/schemes').set(as('district_admin')).send(newScheme({ regionCode: 'XX' })).expect(400);
    expect(again.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['code', 'regionCode']);

    // A teacher judged in 2027 meets the old scheme for 2026 and the new one from 2027, each pro-rated to its part of the cycle.
    const [teacher] = await teachers(t.db.pool, 1, `p.current_post = 'teacher' AND p.hire_date < '2019-01-01'`);
    const res = await t.http().get(`/api/people/${teacher.personId}/compliance`).query({ scheme: 'sh-teacher-40', asOf: '2027-03-01' }).set(as('district_admin')).expect(200);
    const periods = res.body.items[0].periods as Array<{ schemeCode: string; from: string; to: string; rules: Array<{ required: number }> }>;
    expect(periods.map((p) => [p.schemeCode, p.from, p.to])).toEqual([['sh-teacher-36', '2026-01-01', '2026-12-31'], ['sh-teacher-40', '2027-01-01', '2030-12-31']]);
    // 365 and 1461 of 1826 days: 37 × 0.1999 → 7.5, 40 × 0.8001 → 32.5.
    expect(periods.map((p) => p.rules[0].required)).toEqual([7.5, 32.5]);
    const audit = await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'requirement_scheme' AND action = 'create'`);
    expect(audit.rows[0].n).toBe(1);
  });

  it('shows the schemes page with the rules in words and an edit form that puts errors beside the fields', async () => {
    const reader = await signIn('teacher');
    const seen = await reader.get('/credits/schemes').expect(200);
    expect(seen.text).toContain('师德素养 ≥ 8 学分');
    expect(seen.text).toContain('市级·知识技能 ≥ 4 学分');
    expect(seen.text).not.toContain('data-testid="scheme-form-');

    const browser = await signIn('district_admin');
    const page = await browser.get('/credits/schemes').expect(200);
    expect(page.text).toContain('data-testid="scheme-form-sh-teacher-40"');
    expect(page.text).not.toContain('data-testid="scheme-form-national-staff-360h"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const form = (rules: Array<[string, string, string, string]>, extra: Record<string, string> = {}) => {
      const body = new URLSearchParams({ _csrf: csrf, nameZh: '上海市教师五年培训学分（调整）', nameEn: 'Revised', total: '40', effectiveTo: '', version: '1', ...extra });
      for (const [level, category, min, max] of [...rules, ['', '', '', ''] as [string, string, string, string]]) {
        body.append('rule_level', level); body.append('rule_category', category); body.append('rule_min', min); body.append('rule_max', max);
      }
      return body.toString();
    };
    const wrong = await browser.post('/credits/schemes/sh-teacher-40').type('form')
      .send(form([['', 'ethics', '30', ''], ['', 'practice', '20', ''], ['city', '', '5', '3']])).expect(400);
    expect(wrong.text).toMatch(/data-field-error="rule\.1\.min"[^>]*>各项最低要求之和超过了总量/);
    expect(wrong.text).toMatch(/data-field-error="rule\.2\.max"[^>]*>最高值不能低于最低值/);
    expect(wrong.text).toContain('value="20"');
    expect(await versionOf('sh-teacher-40')).toBe(1);

    const done = await browser.post('/credits/schemes/sh-teacher-40').type('form')
      .send(form([['', 'ethics', '10', ''], ['', 'self_study', '4', '4'], ['city', 'ethics', '3', '']])).expect(303);
    expect(done.headers.location).toBe('/credits/schemes#scheme-sh-teacher-40');
    const after = await browser.get('/credits/schemes').expect(200);
    expect(after.text).toContain('方案已保存');
    expect(after.text).toContain('市级·师德素养 ≥ 3 学分');
    expect((await t.db.pool.query(`SELECT rules FROM requirement_scheme WHERE code = 'sh-teacher-40'`)).rows[0].rules)
      .toEqual([{ category: 'ethics', min: 10 }, { category: 'self_study', min: 4, max: 4 }, { level: 'city', category: 'ethics', min: 3 }]);

    const stale = await browser.post('/credits/schemes/sh-teacher-40').type('form').send(form([['', 'ethics', '10', '']])).expect(409);
    expect(stale.text).toContain('方案已被他人修改');
  });
});
