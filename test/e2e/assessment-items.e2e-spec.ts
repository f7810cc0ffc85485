import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures, type CatalogFixtures } from '../support/catalog-fixtures.js';
import { assessmentFixtures, type AssessmentFixtures } from '../support/assessment-fixtures.js';
import { otherDistrict } from '../support/submission-fixtures.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Res = { body: { error: { code: string; details: { fields: { field: string; code: string }[] } } } };
const fields = (res: Res) => res.body.error.details.fields.map((f) => f.field).sort();

describe('assessment items: trainers create, change and archive assignments, surveys and offline items', () => {
  let t: TestApp;
  let fx: CatalogFixtures;
  let ax: AssessmentFixtures;
  let offeringId: string;
  const tokens: Record<string, string> = {};
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.pool.query(sql, params)).rows[0].count);
  const items = () => count(`SELECT count(*) FROM assessment_item WHERE offering_id = $1`, [offeringId]);
  const post = (body: object, who = 'trainer') => t.http().post(`/api/offerings/${offeringId}/items`).set(auth(tokens[who])).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    fx = catalogFixtures(t.db.pool);
    ax = assessmentFixtures(t.db.pool);
    await fx.createTrainer('trainer2');
    offeringId = await fx.createOffering(await fx.createCourse({ title: '幼儿园示范课设计' }), { trainers: ['trainer'] });
    for (const username of ['trainer', 'trainer2', 'teacher', 'kg_admin', 'district_admin']) tokens[username] = await t.token(username);
  });
  afterAll(() => t?.close());

  it('creates an assignment with its submission settings and puts it last', async () => {
    const res = await post({
      kind: 'assignment', title: '观察记录', instructions: '提交一份区域活动观察记录', submissionModes: ['file', 'text'],
      dueAt: '2030-06-01T17:00:00+08:00', latePolicy: 'penalty', latePenaltyPercent: 10, allowedFileTypes: ['application/pdf'],
      maxFileBytes: 2_000_000, maxFiles: 2, gradingMethod: 'points', maxPoints: 100, passPoints: 60,
    }).expect(201);
    expect(res.body).toMatchObject({
      kind: 'assignment', title: '观察记录', submissionModes: ['text', 'file'], latePolicy: 'penalty', latePenaltyPercent: 10,
      allowedFileTypes: ['application/pdf'], maxFileBytes: 2_000_000, maxFiles: 2, gradingMethod: 'points', maxPoints: 100, passPoints: 60,
      secondMarking: false, questions: [], version: 1, position: 0,
    });
    expect(new Date(res.body.dueAt).toISOString()).toBe('2030-06-01T09:00:00.000Z');
    const second = await post({ kind: 'offline', title: '示范课展示', gradingMethod: 'pass_fail' }).expect(201);
    expect(second.body).toMatchObject({ kind: 'offline', submissionModes: [], gradingMethod: 'pass_fail', maxPoints: null, position: 1 });
    const list = await t.http().get(`/api/offerings/${offeringId}/items`).set(auth(tokens.trainer)).expect(200);
    expect(list.body.map((i: { title: string }) => i.title)).toEqual(['观察记录', '示范课展示']);
  });

  it('creates a survey whose questions get the ids q1..qn and which is never graded', async () => {
    const res = await post({
      kind: 'survey', title: '课程评价', questions: [
        { kind: 'rating', prompt: '总体满意度' },
        { kind: 'choice', prompt: '最有帮助的环节', options: ['讲座', '观摩', '研讨'] },
        { kind: 'text', prompt: '建议', required: false },
      ],
    }).expect(201);
    expect(res.body.gradingMethod).toBe('none');
    expect(res.body.questions).toEqual([
      { id: 'q1', kind: 'rating', prompt: '总体满意度', required: true },
      { id: 'q2', kind: 'choice', prompt: '最有帮助的环节', options: ['讲座', '观摩', '研讨'], required: true },
      { id: 'q3', kind: 'text', prompt: '建议', required: false },
    ]);
  });

  it('lists every bad field at once and writes nothing', async () => {
    const before = await items();
    const res = await post({
      kind: 'assignment', title: '', submissionModes: ['video'], latePolicy: 'penalty', gradingMethod: 'points', passPoints: 5, colour: 'red',
    }).expect(400);
    expect(fields(res)).toEqual(['colour', 'latePenaltyPercent', 'maxPoints', 'submissionModes', 'title']);
    const types = await post({
      kind: 'assignment', title: '作业', submissionModes: ['file'], allowedFileTypes: ['text/html'], maxFiles: 50,
      gradingMethod: 'points', maxPoints: 10, passPoints: 12, dueAt: '2030-06-01 17:00',
    }).expect(400);
    expect(fields(types)).toEqual(['allowedFileTypes', 'dueAt', 'maxFiles', 'passPoints']);
    const survey = await post({ kind: 'survey', title: '评价', gradingMethod: 'points', questions: [{ kind: 'choice', prompt: '选一个', options: ['唯一'] }, { kind: 'stars', prompt: '' }] }).expect(400);
    expect(fields(survey)).toEqual(['gradingMethod', 'questions[0].options', 'questions[1].kind', 'questions[1].prompt']);
    expect(await items()).toBe(before);
  });

  describe('rubric items', () => {
    let rubricId: string;
    beforeAll(async () => {
      rubricId = await ax.createRubric({ maxPoints: 20 });
    });

    it('copies the rubric\'s maximum into the item', async () => {
      const res = await post({ kind: 'offline', title: '示范课', gradingMethod: 'rubric', rubricId, passPoints: 12, secondMarking: true }).expect(201);
      expect(res.body).toMatchObject({ gradingMethod: 'rubric', rubricId, maxPoints: 20, passPoints: 12, secondMarking: true });
    });

    it('refuses a rubric of another district, an archived one, one of the other method, and a pass mark above its maximum', async () => {
      await otherDistrict(t.db.pool, 'SH-XH');
      const elsewhere = await ax.createRubric({ districtCode: 'SH-XH' });
      const archived = await ax.createRubric({ name: '旧量规' });
      await t.db.pool.query(`UPDATE rubric SET archived_at = now() WHERE id = $1`, [archived]);
      const guide = await ax.createRubric({ method: 'guide', criteria: [{ id: 'c1', title: '设计', maxPoints: 10 }], maxPoints: 10 });
      const before = await items();
      for (const id of [elsewhere, archived, guide]) {
        const res = await post({ kind: 'offline', title: '示范课', gradingMethod: 'rubric', rubricId: id }).expect(400);
        expect(res.body.error.details.fields).toEqual([expect.objectContaining({ field: 'rubricId', code: id === guide ? 'RUBRIC_METHOD_MISMATCH' : 'RUBRIC_NOT_FOUND' })]);
      }
      const over = await post({ kind: 'offline', title: '示范课', gradingMethod: 'rubric', rubricId, passPoints: 25 }).expect(400);
      expect(fields(over)).toEqual(['passPoints']);
      const missing = await post({ kind: 'offline', title: '示范课', gradingMethod: 'guide' }).expect(400);
      expect(fields(missing)).toEqual(['rubricId']);
      expect(await items()).toBe(before);
    });
  });

  describe('changes', () => {
    let itemId: string;
    beforeEach(async () => {
      itemId = (await post({ kind: 'assignment', title: '教案', submissionModes: ['text'], gradingMethod: 'points', maxPoints: 50 }).expect(201)).body.id;
    });
    const patch = (body: object, who = 'trainer') => t.http().patch(`/api/items/${itemId}`).set(auth(tokens[who])).send(body);

    it('changes with the version read, refuses a stale version, a change of kind, and a missing version', async () => {
      const res = await patch({ version: 1, title: '教案设计', dueAt: '2030-07-01T12:00:00+08:00', latePolicy: 'refuse' }).expect(200);
      expect(res.body).toMatchObject({ title: '教案设计', latePolicy: 'refuse', version: 2, maxPoints: 50 });
      const stale = await patch({ version: 1, title: '别的标题' }).expect(409);
      expect(stale.body.error.code).toBe('ITEM_VERSION_CONFLICT');
      expect(fields(await patch({ version: 2, kind: 'survey' }).expect(400))).toEqual(['kind']);
      expect(fields(await patch({ title: '无版本' }).expect(400))).toEqual(['version']);
      expect((await t.db.pool.query(`SELECT title, version FROM assessment_item WHERE id = $1`, [itemId])).rows[0]).toEqual({ title: '教案设计', version: 2 });
      expect(await count(`SELECT count(*) FROM audit_log WHERE entity_type = 'assessment_item' AND entity_id = $1 AND action = 'update'`, [itemId])).toBe(1);
    });

    it('freezes grading settings once a grade exists, and says which', async () => {
      const { enrollmentId } = await fx.enrolUser(offeringId, 't00001');
      await ax.grade(itemId, enrollmentId, { points: 40, passed: true, released: false });
      const res = await patch({ version: 1, maxPoints: 100, passPoints: 60 }).expect(409);
      expect(res.body.error.code).toBe('ITEM_GRADED');
      expect(res.body.error.details.fields.sort()).toEqual(['maxPoints', 'passPoints']);
      await patch({ version: 1, title: '教案（修订）', instructions: '可以补充反思' }).expect(200);
      expect((await t.db.pool.query(`SELECT max_points::float8 AS max FROM assessment_item WHERE id = $1`, [itemId])).rows[0].max).toBe(50);
    });

    it('archives once (again changes nothing) and then refuses changes', async () => {
      const first = await t.http().post(`/api/items/${itemId}/archive`).set(auth(tokens.trainer)).expect(200);
      expect(first.body.archivedAt).not.toBeNull();
      const again = await t.http().post(`/api/items/${itemId}/archive`).set(auth(tokens.trainer)).expect(200);
      expect(again.body.archivedAt).toBe(first.body.archivedAt);
      expect((await patch({ version: first.body.version, title: 'x' }).expect(409)).body.error.code).toBe('ITEM_ARCHIVED');
    });

    it('hides the items from trainers not on the offering (404) and refuses teachers (403)', async () => {
      for (const who of ['trainer2', 'kg_admin']) {
        await t.http().get(`/api/offerings/${offeringId}/items`).set(auth(tokens[who])).expect(404);
        await post({ kind: 'offline', title: 'x', gradingMethod: 'pass_fail' }, who).expect(404);
        await patch({ version: 1, title: 'x' }, who).expect(404);
        await t.http().post(`/api/items/${itemId}/archive`).set(auth(tokens[who])).expect(404);
      }
      await t.http().get(`/api/offerings/${offeringId}/items`).set(auth(tokens.teacher)).expect(403);
      await patch({ version: 1, title: 'x' }, 'teacher').expect(403);
      // The district that manages the catalog may act as a trainer anywhere in it.
      await t.http().get(`/api/offerings/${offeringId}/items`).set(auth(tokens.district_admin)).expect(200);
      expect((await t.db.pool.query(`SELECT title FROM assessment_item WHERE id = $1`, [itemId])).rows[0].title).toBe('教案');
    });
  });
});

describe('the trainer\'s item pages', () => {
  let t: TestApp;
  let offeringId: string;
  let page: Awaited<ReturnType<TestApp['signInPages']>>;
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
  const itemsOf = async () => (await t.db.pool.query(`SELECT id, kind, title, questions, version FROM assessment_item WHERE offering_id = $1 ORDER BY position`, [offeringId])).rows;

  beforeAll(async () => {
    t = await startTestApp();
    const fx = catalogFixtures(t.db.pool);
    await fx.createTrainer('trainer2');
    offeringId = await fx.createOffering(await fx.createCourse({ title: '户外游戏' }), { trainers: ['trainer'] });
    await fx.enrolUser(offeringId, 'teacher');
    page = await t.signInPages('trainer');
  });
  afterAll(() => t?.close());

  it('creates a survey from question lines and an assignment from the form', async () => {
    const list = await page.get(`/teaching/offerings/${offeringId}/items`).expect(200);
    expect(list.text).toContain('还没有作业或评价');
    const csrf = csrfOf(list.text);
    await page.post(`/teaching/offerings/${offeringId}/items`).type('form').send({
      _csrf: csrf, kind: 'survey', title: '课程评价', latePolicy: 'accept', gradingMethod: 'points',
      questions: 'rating|总体满意度\nchoice|最有帮助的环节|讲座;观摩\ntext|建议|optional',
    }).expect(303).expect('Location', `/teaching/offerings/${offeringId}/items`);
    await page.post(`/teaching/offerings/${offeringId}/items`).type('form').send(
      `_csrf=${encodeURIComponent(csrf)}&kind=assignment&title=${encodeURIComponent('观察记录')}&dueAt=2030-06-01T17:00&latePolicy=refuse`
      + '&submissionModes=text&submissionModes=file&allowedFileTypes=application%2Fpdf&maxFileMb=2&maxFiles=3&gradingMethod=points&maxPoints=100&passPoints=60',
    ).expect(303);
    const [survey, assignment] = await itemsOf();
    expect(survey.questions.map((q: { id: string; kind: string; required: boolean }) => [q.id, q.kind, q.required])).toEqual([['q1', 'rating', true], ['q2', 'choice', true], ['q3', 'text', false]]);
    const row = (await t.db.pool.query(`SELECT due_at, submission_modes, allowed_file_types, max_file_bytes, max_files, late_policy FROM assessment_item WHERE id = $1`, [assignment.id])).rows[0];
    expect(row).toEqual({ due_at: new Date('2030-06-01T09:00:00Z'), submission_modes: ['text', 'file'], allowed_file_types: ['application/pdf'], max_file_bytes: 2 * 1024 * 1024, max_files: 3, late_policy: 'refuse' });
    const after = await page.get(`/teaching/offerings/${offeringId}/items`).expect(200);
    expect(after.text).toContain('已新建');
    expect(after.text).toContain(`/teaching/items/${survey.id}/survey-results`);
    expect(after.text).toContain(`/teaching/items/${assignment.id}/submissions`);
  });

  it('shows each problem beside its field and keeps everything typed', async () => {
    const before = (await itemsOf()).length;
    const list = await page.get(`/teaching/offerings/${offeringId}/items`).expect(200);
    const res = await page.post(`/teaching/offerings/${offeringId}/items`).type('form').send({
      _csrf: csrfOf(list.text), kind: 'survey', title: '', instructions: '请认真填写每一题', latePolicy: 'accept', questions: 'rating|满意度\nchoice|只有一个选项|唯一',
    }).expect(400);
    expect(res.text).toContain('请认真填写每一题');
    expect(res.text).toContain('choice|只有一个选项|唯一');
    expect(res.text).toMatch(/data-field-error="title">请填写/);
    expect(res.text).toContain('第 2 题');
    expect((await itemsOf()).length).toBe(before);
  });

  it('edits an item, and says so when someone else changed it first', async () => {
    const [, assignment] = await itemsOf();
    const form = await page.get(`/teaching/items/${assignment.id}`).expect(200);
    expect(form.text).toContain('value="2030-06-01T17:00"');
    const csrf = csrfOf(form.text);
    const fields = { _csrf: csrf, version: String(assignment.version), title: '观察记录（修订）', latePolicy: 'accept', submissionModes: 'text', gradingMethod: 'points', maxPoints: '100', passPoints: '60', maxFiles: '3' };
    await page.post(`/teaching/items/${assignment.id}`).type('form').send(fields).expect(303);
    const stale = await page.post(`/teaching/items/${assignment.id}`).type('form').send({ ...fields, title: '又一次修改' }).expect(409);
    expect(stale.text).toContain('该项目刚被其他人修改过');
    expect(stale.text).toContain('又一次修改');
    expect((await t.db.pool.query(`SELECT title FROM assessment_item WHERE id = $1`, [assignment.id])).rows[0].title).toBe('观察记录（修订）');
  });

  it('lists who handed in with links to the grading page, and hides the pages from other trainers', async () => {
    const [survey, assignment] = await itemsOf();
    const res = await page.get(`/teaching/items/${assignment.id}/submissions`).expect(200);
    expect(res.text).toContain('已提交 0 / 1 人');
    expect(res.text).toMatch(new RegExp(`/teaching/items/${assignment.id}/grade/[0-9a-f-]{36}`));
    const results = await page.get(`/teaching/items/${survey.id}/survey-results`).expect(200);
    expect(results.text).toContain('0 / 1 人已填写（0%）');
    const other = await t.signInPages('trainer2');
    for (const path of [`/teaching/offerings/${offeringId}/items`, `/teaching/items/${assignment.id}`, `/teaching/items/${assignment.id}/submissions`, `/teaching/items/${survey.id}/survey-results`]) {
      await other.get(path).expect(404);
    }
    await (await t.signInPages('teacher')).get(`/teaching/offerings/${offeringId}/items`).expect(403);
  });
});
