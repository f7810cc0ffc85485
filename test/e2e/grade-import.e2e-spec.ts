import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures, type CatalogFixtures } from '../support/catalog-fixtures.js';
import { assessmentFixtures, type AssessmentFixtures } from '../support/assessment-fixtures.js';
import { parseGradeSheet } from '../../src/modules/assessment/grade-sheet.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Problem = { row: number; column: string; code: string };

describe('grade sheet export and bulk import with a dry run', () => {
  let t: TestApp;
  let fx: CatalogFixtures;
  let ax: AssessmentFixtures;
  let offeringId: string;
  let foreignItemId: string;
  const items: Record<'points' | 'passFail' | 'rubric' | 'second' | 'survey', string> = {} as never;
  const titles: Record<string, string> = {};
  const learners: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const q = async (sql: string, params: unknown[] = []) => (await t.db.pool.query(sql, params)).rows;
  const grades = async () => q(
    `SELECT item_id AS "itemId", enrollment_id AS "enrollmentId", points::float8 AS points, passed, version, released_at IS NOT NULL AS released
       FROM grade WHERE item_id = ANY($1::uuid[]) ORDER BY item_id, enrollment_id`, [Object.values(items)]);
  const column = (key: keyof typeof items) => `${titles[key]} [${items[key]}]`;
  const csv = (header: string[], rows: string[][]) => Buffer.from(`\uFEFF${[header, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`, 'utf8');
  const post = (file: Buffer, fields: Record<string, string> = {}, user = 'trainer', name = 'grades.csv') => {
    const req = t.http().post(`/api/offerings/${offeringId}/grade-imports`).set(auth(tokens[user])).attach('file', file, name);
    for (const [k, v] of Object.entries(fields)) req.field(k, v);
    return req;
  };

  beforeAll(async () => {
    t = await startTestApp();
    fx = catalogFixtures(t.db.pool);
    ax = assessmentFixtures(t.db.pool);
    await fx.createTrainer('trainer2');
    offeringId = await fx.createOffering(await fx.createCourse({ title: '幼儿园课程游戏化' }), { trainers: ['trainer'] });
    const rubricId = await ax.createRubric();
    const spec = {
      points: { title: '观察记录', gradingMethod: 'points' as const, maxPoints: 100, passPoints: 60 },
      passFail: { kind: 'offline' as const, title: '现场展示', gradingMethod: 'pass_fail' as const, submissionModes: [] },
      rubric: { title: '示范课教案', rubricId, maxPoints: 20, passPoints: 12 },
      second: { title: '案例分析', gradingMethod: 'points' as const, maxPoints: 50, passPoints: 30, secondMarking: true },
      survey: { kind: 'survey' as const, title: '课程评价' },
    };
    for (const [key, options] of Object.entries(spec)) {
      items[key as keyof typeof items] = await ax.createItem(offeringId, options);
      titles[key] = options.title;
    }
    foreignItemId = await ax.createItem(await fx.createOffering(await fx.createCourse(), { trainers: ['trainer'] }), { title: '别的作业' });
    for (const username of ['t00031', 't00032', 't00033']) learners[username] = (await fx.enrolUser(offeringId, username)).enrollmentId;
    learners.t00034 = (await fx.enrolUser(offeringId, 't00034', 'withdrawn')).enrollmentId;
    for (const username of ['trainer', 'trainer2', 'teacher']) tokens[username] = await t.token(username);
    // Existing grades: one points grade (released), one rubric grade.
    await t.http().put(`/api/items/${items.points}/grades/${learners.t00031}`).set(auth(tokens.trainer)).send({ points: 70 }).expect(200);
    await t.http().post(`/api/items/${items.points}/release`).set(auth(tokens.trainer)).send({}).expect(200);
    const criteria = [1, 2, 3, 4].map((n) => ({ criterionId: `c${n}`, levelId: `c${n}l2` }));
    await t.http().put(`/api/items/${items.rubric}/grades/${learners.t00031}`).set(auth(tokens.trainer)).send({ criteria }).expect(200);
  });
  afterAll(() => t?.close());

  it('exports the current agreed grades as CSV and XLSX, one column per graded item', async () => {
    for (const format of ['csv', 'xlsx'] as const) {
      const res = await t.http().get(`/api/offerings/${offeringId}/grade-sheet?format=${format}`).set(auth(tokens.trainer))
        .buffer(true).parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); }).expect(200);
      expect(res.headers['content-disposition']).toContain(`.${format}`);
      const sheet = await parseGradeSheet(res.body as Buffer, format);
      expect(sheet.problems).toEqual([]);
      expect(sheet.columns.map((c) => c.itemId)).toEqual([items.points, items.passFail, items.rubric, items.second]);
      expect(sheet.rows.map((r) => r.enrollmentId).sort()).toEqual([learners.t00031, learners.t00032, learners.t00033].sort());
      const row = sheet.rows.find((r) => r.enrollmentId === learners.t00031)!;
      expect(row.cells.map((c) => [c.column.itemId, c.text])).toEqual([[items.points, '70'], [items.rubric, '12']]);
    }
    await t.http().get(`/api/offerings/${offeringId}/grade-sheet?format=pdf`).set(auth(tokens.trainer)).expect(400);
  });

  it('re-importing the exported sheet unchanged is a dry run with nothing to do', async () => {
    const exported = await t.http().get(`/api/offerings/${offeringId}/grade-sheet?format=csv`).set(auth(tokens.trainer)).expect(200);
    const res = await post(Buffer.from(exported.text, 'utf8')).expect(200);
    expect(res.body).toEqual({ dryRun: true, format: 'csv', changes: [], problems: [], applied: 0 });
  });

  it('the dry run lists every change and every problem, and writes nothing', async () => {
    const before = await grades();
    const header = ['报名编号', '姓名', '幼儿园', column('points'), column('passFail'), column('rubric'), column('second'), `别的作业 [${foreignItemId}]`, column('survey')];
    const file = csv(header, [
      [learners.t00031, '甲', '', '75', '通过', '', '', '', ''], // a released grade changed without a reason
      [learners.t00032, '乙', '', '101', '良好', '15', '40', '80', ''],
      [learners.t00033, '丙', '', '88', '不通过', '', '', '', ''],
      ['00000000-0000-4000-8000-000000000000', '丁', '', '60', '', '', '', '', ''],
      [learners.t00034, '戊', '', '60', '', '', '', '', ''],
      [learners.t00033, '丙', '', 'abc', '', '', '', '', ''],
    ]);
    const res = await post(file).expect(200);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.changes).toEqual([
      { row: 2, enrollmentId: learners.t00031, learner: expect.any(String), itemId: items.passFail, item: '现场展示', before: null, after: { points: null, passed: true }, released: false },
      { row: 4, enrollmentId: learners.t00033, learner: expect.any(String), itemId: items.points, item: '观察记录', before: null, after: { points: 88, passed: true }, released: false },
      { row: 4, enrollmentId: learners.t00033, learner: expect.any(String), itemId: items.passFail, item: '现场展示', before: null, after: { points: null, passed: false }, released: false },
    ]);
    expect(res.body.changes[0].learner).not.toBe('');
    expect(res.body.problems.map((p: Problem) => [p.row, p.column, p.code])).toEqual([
      [1, `别的作业 [${foreignItemId}]`, 'unknown_item'],
      [1, column('survey'), 'not_graded'],
      [2, column('points'), 'reason_required'],
      [3, column('points'), 'above_maximum'],
      [3, column('passFail'), 'not_pass_fail'],
      [3, column('rubric'), 'criteria_required'],
      [3, column('second'), 'second_marking'],
      [5, '报名编号', 'unknown_enrollment'],
      [6, '报名编号', 'not_gradable'],
      [7, '报名编号', 'duplicate_row'],
    ]);
    expect(await grades()).toEqual(before);
  });

  it('applying a sheet with any problem answers 400 with the problems and writes nothing', async () => {
    const before = await grades();
    const file = csv(['报名编号', column('points'), column('passFail')], [[learners.t00032, '90', '通过'], [learners.t00033, '九十', '']]);
    const res = await post(file, { dryRun: 'false' }).expect(400);
    expect(res.body.error.code).toBe('GRADE_IMPORT_PROBLEMS');
    expect(res.body.error.details.problems.map((p: Problem) => [p.row, p.code])).toEqual([[3, 'not_a_number']]);
    expect(await grades()).toEqual(before);
  });

  it('applies all changes at once, with history for released grades, and the same sheet again changes nothing', async () => {
    const file = csv(['报名编号', column('points'), column('passFail')], [
      [learners.t00031, '72.5', ''], [learners.t00032, '90', '通过'], [learners.t00033, '55', '不通过'],
    ]);
    const dry = await post(file, { reason: '期末统一录入' }).expect(200);
    expect(dry.body.changes).toHaveLength(5);
    expect(dry.body.changes[0]).toMatchObject({ before: { points: 70, passed: true }, after: { points: 72.5, passed: true }, released: true });
    const applied = await post(file, { dryRun: 'false', reason: '期末统一录入' }).expect(200);
    expect(applied.body).toMatchObject({ dryRun: false, applied: 5, problems: [] });
    const rows = (await grades()).filter((g) => g.itemId === items.points || g.itemId === items.passFail);
    const of = (itemId: string, enrollmentId: string) => rows.find((g) => g.itemId === itemId && g.enrollmentId === enrollmentId);
    expect(of(items.points, learners.t00031)).toMatchObject({ points: 72.5, passed: true, released: true, version: 2 });
    expect(of(items.points, learners.t00033)).toMatchObject({ points: 55, passed: false, released: false });
    expect(of(items.passFail, learners.t00032)).toMatchObject({ points: null, passed: true });
    const history = await q(`SELECT reason, before->>'points' AS before, after->>'points' AS after FROM grade_history WHERE item_id = $1`, [items.points]);
    expect(history).toEqual([{ reason: '期末统一录入', before: '70', after: '72.5' }]);
    const notice = await q(`SELECT count(*)::int AS n FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 't00031' AND n.kind = 'grade.changed'`);
    expect(notice[0].n).toBe(1);
    const marks = await q(`SELECT count(*)::int AS n FROM grade_mark WHERE item_id = ANY($1::uuid[])`, [[items.points, items.passFail]]);
    expect(marks[0].n).toBe(5);

    const again = await post(file, { dryRun: 'false', reason: '期末统一录入' }).expect(200);
    expect(again.body).toMatchObject({ applied: 0, changes: [] });
    expect(await q(`SELECT id FROM grade_history WHERE item_id = $1`, [items.points])).toHaveLength(1);
  });

  it('reads an XLSX upload told apart by its content, whatever its name', async () => {
    const exported = await t.http().get(`/api/offerings/${offeringId}/grade-sheet?format=xlsx`).set(auth(tokens.trainer))
      .buffer(true).parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); }).expect(200);
    const res = await post(exported.body as Buffer, {}, 'trainer', 'grades.bin').expect(200);
    expect(res.body).toMatchObject({ format: 'xlsx', changes: [], problems: [] });
  });

  it('refuses callers who do not teach the offering, and a request without a file', async () => {
    const file = csv(['报名编号', column('points')], [[learners.t00032, '10']]);
    await post(file, {}, 'teacher').expect(403);
    await post(file, { dryRun: 'false' }, 'trainer2').expect(404);
    await t.http().get(`/api/offerings/${offeringId}/grade-sheet`).set(auth(tokens.trainer2)).expect(404);
    const none = await t.http().post(`/api/offerings/${offeringId}/grade-imports`).set(auth(tokens.trainer)).field('dryRun', 'false').expect(400);
    expect(none.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['file']);
    const badFlag = await post(file, { dryRun: 'maybe' }).expect(400);
    expect(badFlag.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['dryRun']);
    expect((await grades()).find((g) => g.itemId === items.points && g.enrollmentId === learners.t00032)?.points).toBe(90);
  });

  it('the import page shows the dry run, then applies the kept sheet on confirmation', async () => {
    const browser = await t.signInPages('trainer');
    const page = await browser.get(`/teaching/offerings/${offeringId}/grades/import`).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const file = csv(['报名编号', column('points')], [[learners.t00032, '93']]);
    const dry = await browser.post(`/teaching/offerings/${offeringId}/grades/import`).field('_csrf', csrf).attach('file', file, '成绩.csv').expect(200);
    expect(dry.text.match(/data-testid="change-row"/g)).toHaveLength(1);
    expect(dry.text).toContain('data-testid="apply-form"');
    expect((await grades()).find((g) => g.itemId === items.points && g.enrollmentId === learners.t00032)?.points).toBe(90);
    const sheet = /name="sheet" value="([^"]+)"/.exec(dry.text)![1].replace(/&#x3D;/g, '=');
    const done = await browser.post(`/teaching/offerings/${offeringId}/grades/import`).type('form')
      .send({ _csrf: csrf, sheet, fileName: '成绩.csv', reason: '', apply: '1' }).expect(303);
    expect(done.headers.location).toBe(`/teaching/offerings/${offeringId}/grades/import`);
    expect((await grades()).find((g) => g.itemId === items.points && g.enrollmentId === learners.t00032)?.points).toBe(93);
    const bad = await browser.post(`/teaching/offerings/${offeringId}/grades/import`).field('_csrf', csrf)
      .attach('file', csv(['报名编号', column('points')], [[learners.t00032, '120']]), 'bad.csv').expect(200);
    expect(bad.text).toContain('data-code="above_maximum"');
    expect(bad.text).not.toContain('data-testid="apply-form"');
  });
});
