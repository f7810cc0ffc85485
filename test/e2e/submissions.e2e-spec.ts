import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures, type CatalogFixtures } from '../support/catalog-fixtures.js';
import { assessmentFixtures, type AssessmentFixtures, type ItemOptions } from '../support/assessment-fixtures.js';
import { csrfOf, HTML, PDF, PNG, pdfOfSize, submissionCounts } from '../support/submission-fixtures.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Res = { body: { error: { code: string; details: { fields: { field: string; code: string }[] } } } };
const problems = (res: Res) => res.body.error.details.fields.map((f) => `${f.field}:${f.code}`).sort();

describe('submissions: learners hand in work, trainers see who did', () => {
  let t: TestApp;
  let fx: CatalogFixtures;
  let ax: AssessmentFixtures;
  let offeringId: string;
  let counts: ReturnType<typeof submissionCounts>;
  const tokens: Record<string, string> = {};
  const learners: Record<string, { enrollmentId: string; personId: string }> = {};
  const item = (options: ItemOptions = {}) => ax.createItem(offeringId, options);
  const submit = (itemId: string, who: string) => t.http().post(`/api/items/${itemId}/submissions`).set(auth(tokens[who]));

  beforeAll(async () => {
    t = await startTestApp();
    fx = catalogFixtures(t.db.pool);
    ax = assessmentFixtures(t.db.pool);
    counts = submissionCounts(t.db.pool);
    await fx.createTrainer('trainer2');
    offeringId = await fx.createOffering(await fx.createCourse({ title: '区域游戏观察' }), { trainers: ['trainer'] });
    for (const username of ['teacher', 't00002', 't00003']) learners[username] = await fx.enrolUser(offeringId, username);
    learners.t00004 = await fx.enrolUser(offeringId, 't00004', 'waitlisted');
    for (const username of ['trainer', 'trainer2', 'teacher', 't00002', 't00003', 't00004', 't00005']) tokens[username] = await t.token(username);
  });
  afterAll(() => t?.close());

  it('keeps every attempt, and answers the same work again with the latest attempt instead of a new one', async () => {
    const itemId = await item({ dueIn: 48 });
    const first = await submit(itemId, 'teacher').send({ body: '第一稿' }).expect(201);
    expect(first.body).toMatchObject({ attempt: 1, body: '第一稿', late: false, files: [] });
    const again = await submit(itemId, 'teacher').send({ body: '第一稿' }).expect(200);
    expect(again.body.id).toBe(first.body.id);
    const second = await submit(itemId, 'teacher').send({ body: '第二稿' }).expect(201);
    expect(second.body.attempt).toBe(2);
    expect(await counts.submissions(itemId)).toBe(2);

    const history = await t.http().get(`/api/submissions/${second.body.id}`).set(auth(tokens.teacher)).expect(200);
    expect(history.body.attempts.map((a: { attempt: number; body: string }) => [a.attempt, a.body])).toEqual([[2, '第二稿'], [1, '第一稿']]);
    await t.http().get(`/api/submissions/${first.body.id}`).set(auth(tokens.trainer)).expect(200);
    for (const who of ['t00002', 'trainer2']) await t.http().get(`/api/submissions/${first.body.id}`).set(auth(tokens[who])).expect(404);
  });

  it('stores text and files together; the files download for the learner and the trainer only', async () => {
    const itemId = await item({ allowedFileTypes: ['application/pdf', 'image/png'] });
    const res = await submit(itemId, 't00002').field('body', '观察记录见附件').attach('files', PDF, '观察记录.pdf').attach('files', PNG, 'photo.png').expect(201);
    expect(res.body.files.map((f: { name: string; contentType: string }) => [f.name, f.contentType])).toEqual([['观察记录.pdf', 'application/pdf'], ['photo.png', 'image/png']]);
    const fileId = res.body.files[0].id;
    for (const who of ['t00002', 'trainer']) {
      const download = await t.http().get(`/api/files/${fileId}`).set(auth(tokens[who])).expect(200);
      expect(download.headers['content-disposition']).toContain('attachment');
    }
    for (const who of ['teacher', 'trainer2']) await t.http().get(`/api/files/${fileId}`).set(auth(tokens[who])).expect(404);

    const stored = await counts.storedFiles();
    const again = await submit(itemId, 't00002').field('body', '观察记录见附件').attach('files', PNG, 'photo.png').attach('files', PDF, 'renamed.pdf').expect(200);
    expect(again.body.id).toBe(res.body.id);
    expect(await counts.storedFiles()).toBe(stored);
  });

  it('refuses a forbidden file type and a file over the item\'s limit, naming the file, and writes nothing', async () => {
    const itemId = await item({ allowedFileTypes: ['application/pdf'], maxFileBytes: 1000 });
    const stored = await counts.storedFiles();
    const html = await submit(itemId, 't00003').attach('files', PDF, 'ok.pdf').attach('files', HTML, 'page.pdf').expect(400);
    expect(problems(html)).toEqual(['files[1]:FILE_TYPE_NOT_ALLOWED']);
    const png = await submit(itemId, 't00003').attach('files', PNG, 'photo.png').expect(400);
    expect(problems(png)).toEqual(['files[0]:FILE_TYPE_NOT_ALLOWED']);
    const big = await submit(itemId, 't00003').field('body', '附件').attach('files', pdfOfSize(2000), 'big.pdf').expect(400);
    expect(problems(big)).toEqual(['files[0]:FILE_TOO_LARGE']);
    expect(await counts.submissions(itemId)).toBe(0);
    expect(await counts.storedFiles()).toBe(stored);
  });

  it('names a mode the assignment does not take, too many files, an empty submission and an unknown field', async () => {
    const textOnly = await item({ submissionModes: ['text'] });
    expect(problems(await submit(textOnly, 't00003').field('body', '文字').attach('files', PDF, 'a.pdf').expect(400))).toEqual(['files:MODE_NOT_ALLOWED']);
    expect(problems(await submit(textOnly, 't00003').send({ body: '   ' }).expect(400))).toEqual(['body:SUBMISSION_EMPTY']);
    expect(problems(await submit(textOnly, 't00003').send({ body: 'x', grade: 100 }).expect(400))).toEqual(['grade:unknown_field']);
    const fileOnly = await item({ submissionModes: ['file'] });
    expect(problems(await submit(fileOnly, 't00003').send({ body: '文字' }).expect(400))).toEqual(['body:MODE_NOT_ALLOWED']);
    expect(problems(await submit(fileOnly, 't00003').send({}).expect(400))).toEqual(['files:SUBMISSION_EMPTY']);
    await t.db.pool.query(`UPDATE assessment_item SET max_files = 1 WHERE id = $1`, [fileOnly]);
    expect(problems(await submit(fileOnly, 't00003').attach('files', PDF, 'a.pdf').attach('files', PDF, 'b.pdf').expect(400))).toEqual(['files:TOO_MANY_FILES']);
    expect(await counts.submissions(textOnly) + await counts.submissions(fileOnly)).toBe(0);
  });

  it('refuses late work where the policy says so and marks it late where it is accepted', async () => {
    const refused = await item({ dueIn: -1, latePolicy: 'refuse' });
    const stored = await counts.storedFiles();
    const res = await submit(refused, 'teacher').field('body', '迟交').attach('files', PDF, 'late.pdf').expect(422);
    expect(res.body.error.code).toBe('SUBMISSION_LATE_REFUSED');
    expect(await counts.submissions(refused)).toBe(0);
    expect(await counts.storedFiles()).toBe(stored);
    for (const policy of ['accept', 'penalty'] as const) {
      const itemId = await item({ dueIn: -1, latePolicy: policy, latePenaltyPercent: policy === 'penalty' ? 10 : null });
      expect((await submit(itemId, 'teacher').send({ body: '迟交' }).expect(201)).body.late).toBe(true);
    }
  });

  it('refuses a new attempt once the work has a grade, even an unreleased one', async () => {
    const itemId = await item();
    await submit(itemId, 'teacher').send({ body: '作业' }).expect(201);
    await ax.grade(itemId, learners.teacher.enrollmentId, { points: 70, passed: true, released: false });
    const res = await submit(itemId, 'teacher').send({ body: '修改后的作业' }).expect(422);
    expect(res.body.error.code).toBe('SUBMISSION_ALREADY_GRADED');
    expect(await counts.submissions(itemId)).toBe(1);
  });

  it('takes work only for assignments, from learners of the offering, for items not archived', async () => {
    const survey = await item({ kind: 'survey', questions: [{ id: 'q1', kind: 'rating', prompt: '满意度', required: true }] });
    expect((await submit(survey, 'teacher').send({ body: 'x' }).expect(422)).body.error.code).toBe('ITEM_NOT_SUBMITTABLE');
    const offline = await item({ kind: 'offline', gradingMethod: 'pass_fail' });
    expect((await submit(offline, 'teacher').send({ body: 'x' }).expect(422)).body.error.code).toBe('ITEM_NOT_SUBMITTABLE');
    const itemId = await item();
    for (const who of ['t00004', 't00005', 'trainer']) await submit(itemId, who).send({ body: 'x' }).expect(404);
    await t.db.pool.query(`UPDATE assessment_item SET archived_at = now() WHERE id = $1`, [itemId]);
    await submit(itemId, 'teacher').send({ body: 'x' }).expect(404);
    expect(await counts.submissions(itemId)).toBe(0);
  });

  it('gives concurrent attempts distinct numbers (one learner, one item)', async () => {
    const itemId = await item();
    const results = await Promise.all([1, 2, 3, 4].map((n) => submit(itemId, 't00003').send({ body: `第 ${n} 稿` })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(results.map((r) => r.body.attempt).sort()).toEqual([1, 2, 3, 4]);
    const rows = (await t.db.pool.query(`SELECT attempt, body FROM submission WHERE item_id = $1 ORDER BY attempt`, [itemId])).rows;
    expect(rows.map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
    expect(new Set(rows.map((r) => r.body)).size).toBe(4);
  });

  it('lists every learner with their latest attempt or none, for the offering\'s trainers only', async () => {
    const itemId = await item({ dueIn: -2, latePolicy: 'accept' });
    await submit(itemId, 'teacher').send({ body: '第一稿' }).expect(201);
    await submit(itemId, 'teacher').attach('files', PDF, '终稿.pdf').expect(201);
    const res = await t.http().get(`/api/items/${itemId}/submissions`).set(auth(tokens.trainer)).expect(200);
    const rows = Object.fromEntries(res.body.learners.map((l: { enrollmentId: string }) => [l.enrollmentId, l]));
    expect(Object.keys(rows).sort()).toEqual([learners.teacher.enrollmentId, learners.t00002.enrollmentId, learners.t00003.enrollmentId].sort());
    expect(rows[learners.teacher.enrollmentId]).toMatchObject({ status: 'submitted', attempts: 2, latest: { attempt: 2, late: true, files: [{ name: '终稿.pdf' }] } });
    expect(rows[learners.t00002.enrollmentId]).toMatchObject({ status: 'missing', latest: null, attempts: 0 });
    await t.http().get(`/api/items/${itemId}/submissions`).set(auth(tokens.trainer2)).expect(404);
    await t.http().get(`/api/items/${itemId}/submissions`).set(auth(tokens.teacher)).expect(403);
  });

  it('shows the learner a grade and its feedback only once released, and nothing at all of an unreleased one', async () => {
    const released = await item({ title: '已发布', dueIn: 24 });
    const hidden = await item({ title: '未发布', dueIn: 24 });
    for (const itemId of [released, hidden]) await submit(itemId, 't00002').send({ body: '作业' }).expect(201);
    await ax.grade(released, learners.t00002.enrollmentId, { points: 86, passed: true, released: true });
    await ax.grade(hidden, learners.t00002.enrollmentId, { points: 41.5, passed: false, released: false });
    await t.db.pool.query(`UPDATE grade SET feedback = $3, criteria = $4 WHERE item_id = $1 AND enrollment_id = $2`,
      [released, learners.t00002.enrollmentId, '观察细致', JSON.stringify([{ criterionId: 'c1', points: 5, comment: '目标清晰' }])]);
    await t.db.pool.query(`UPDATE grade SET feedback = '需要补充反思' WHERE item_id = $1`, [hidden]);

    const res = await t.http().get(`/api/offerings/${offeringId}/my-items`).set(auth(tokens.t00002)).expect(200);
    const byTitle = Object.fromEntries(res.body.items.map((i: { title: string }) => [i.title, i]));
    expect(byTitle['已发布']).toMatchObject({
      status: 'graded', attempts: 1, canSubmit: false,
      grade: { points: 86, passed: true, feedback: '观察细致', criteria: [{ criterionId: 'c1', points: 5, comment: '目标清晰' }] },
    });
    expect(byTitle['未发布']).toMatchObject({ status: 'submitted', grade: null, canSubmit: true, blockedBy: null });
    const text = JSON.stringify(byTitle['未发布']);
    expect(text).not.toContain('41.5');
    expect(text).not.toContain('需要补充反思');
    await t.http().get(`/api/offerings/${offeringId}/my-items`).set(auth(tokens.t00004)).expect(404);
    await t.http().get(`/api/offerings/${offeringId}/my-items`).set(auth(tokens.t00005)).expect(404);
  });
});

describe('the learner\'s pages', () => {
  let t: TestApp;
  let ax: AssessmentFixtures;
  let offeringId: string;
  let enrollmentId: string;
  let page: Awaited<ReturnType<TestApp['signInPages']>>;

  beforeAll(async () => {
    t = await startTestApp();
    const fx = catalogFixtures(t.db.pool);
    ax = assessmentFixtures(t.db.pool);
    offeringId = await fx.createOffering(await fx.createCourse({ title: '区域游戏观察' }), { trainers: ['trainer'] });
    enrollmentId = (await fx.enrolUser(offeringId, 'teacher')).enrollmentId;
    page = await t.signInPages('teacher');
  });
  afterAll(() => t?.close());

  it('lists the items with their badges and due dates in Shanghai time, in Chinese or English', async () => {
    const open = await ax.createItem(offeringId, { title: '观察记录', position: 0 });
    await t.db.pool.query(`UPDATE assessment_item SET due_at = '2030-06-01T09:00:00Z' WHERE id = $1`, [open]);
    const late = await ax.createItem(offeringId, { title: '反思', dueIn: -1, position: 1 });
    const graded = await ax.createItem(offeringId, { title: '教案', position: 2 });
    await ax.createItem(offeringId, { title: '迟交不收', dueIn: -1, latePolicy: 'refuse', position: 3 });
    await ax.submit(late, enrollmentId, { late: true });
    await ax.submit(graded, enrollmentId);
    await ax.grade(graded, enrollmentId, { points: 90, passed: true });
    const res = await page.get(`/learning/offerings/${offeringId}/items`).expect(200);
    const badges = [...res.text.matchAll(/data-testid="my-item-status">([^<]+)</g)].map((m) => m[1]);
    expect(badges).toEqual(['未提交', '逾期提交', '已评分', '未提交']);
    expect(res.text).toContain('截止：2030-06-01 17:00（北京时间）');
    expect(res.text).toContain('90 / 100 分');
    expect(res.text).toContain('已过截止时间，不再接受提交');
    await page.get(`/learning/offerings/${offeringId}/items?lang=en`).expect(303);
    const en = await page.get(`/learning/offerings/${offeringId}/items`).expect(200);
    expect(en.text).toContain('Submitted late');
    expect(en.text).toContain('Due 2030-06-01 17:00 (Beijing time)');
    await page.get(`/learning/offerings/${offeringId}/items?lang=zh-CN`).expect(303);
  });

  it('submits from the item page, keeps what was typed when refused, and shows the history', async () => {
    const itemId = await ax.createItem(offeringId, { title: '活动设计', allowedFileTypes: ['application/pdf'] });
    const form = await page.get(`/learning/items/${itemId}`).expect(200);
    expect(form.text).toContain('data-testid="submission-form"');
    const csrf = csrfOf(form.text);
    const refused = await page.post(`/learning/items/${itemId}/submissions`).field('_csrf', csrf).field('body', '我的活动设计：搭建游戏')
      .attach('files', HTML, 'design.pdf').expect(400);
    expect(refused.text).toContain('我的活动设计：搭建游戏');
    expect(refused.text).toContain('不允许的文件类型');
    expect(await submissionCounts(t.db.pool).submissions(itemId)).toBe(0);
    const empty = await page.post(`/learning/items/${itemId}/submissions`).field('_csrf', csrf).field('body', '').expect(400);
    expect(empty.text).toContain('请填写内容或上传文件');

    await page.post(`/learning/items/${itemId}/submissions`).field('_csrf', csrf).field('body', '我的活动设计：搭建游戏')
      .attach('files', PDF, '活动设计.pdf').expect(303).expect('Location', `/learning/items/${itemId}`);
    const after = await page.get(`/learning/items/${itemId}`).expect(200);
    expect(after.text).toContain('已提交。');
    expect(after.text).toContain('第 1 次提交');
    expect(after.text).toContain('活动设计.pdf');
    expect(after.text).toContain('重新提交');
  });

  it('says plainly that late work is refused, and refuses a post without the CSRF token', async () => {
    const itemId = await ax.createItem(offeringId, { title: '补交', dueIn: -1, latePolicy: 'refuse' });
    const res = await page.get(`/learning/items/${itemId}`).expect(200);
    expect(res.text).toContain('data-testid="late-refused"');
    expect(res.text).not.toContain('data-testid="submission-form"');
    const posted = await page.post(`/learning/items/${itemId}/submissions`).field('_csrf', csrfOf(res.text)).field('body', '补交').expect(422);
    expect(posted.text).toContain('截止时间已过，本作业不接受逾期提交');
    await page.post(`/learning/items/${itemId}/submissions`).field('body', 'x').expect(403);
  });

  it('shows a released grade with criterion comments and feedback', async () => {
    const rubricId = await ax.createRubric();
    const itemId = await ax.createItem(offeringId, { title: '示范课', kind: 'offline', rubricId, maxPoints: 20, passPoints: 12 });
    await ax.grade(itemId, enrollmentId, { points: 17, passed: true });
    await t.db.pool.query(`UPDATE grade SET feedback = '师幼互动自然', criteria = $2 WHERE item_id = $1`,
      [itemId, JSON.stringify([{ criterionId: 'c3', levelId: 'c3l3', points: 5, comment: '回应及时' }])]);
    const res = await page.get(`/learning/items/${itemId}`).expect(200);
    expect(res.text).toContain('17 / 20 分');
    expect(res.text).toContain('师幼互动');
    expect(res.text).toContain('回应及时');
    expect(res.text).toContain('师幼互动自然');
  });
});
