import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures, type CatalogFixtures } from '../support/catalog-fixtures.js';
import { submissionCounts } from '../support/submission-fixtures.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Res = { body: { error: { code: string; details: { fields: { field: string; code: string }[] } } } };
const problems = (res: Res) => res.body.error.details.fields.map((f) => `${f.field}:${f.code}`).sort();

const QUESTIONS = [
  { kind: 'rating', prompt: '总体满意度' },
  { kind: 'choice', prompt: '最有帮助的环节', options: ['讲座', '观摩', '研讨'] },
  { kind: 'multi', prompt: '希望增加', options: ['案例', '实操', '阅读'], required: false },
  { kind: 'text', prompt: '意见和建议', required: false },
];

describe('course evaluation surveys: one anonymous response per learner, results in aggregate', () => {
  let t: TestApp;
  let fx: CatalogFixtures;
  let offeringId: string;
  let surveyId: string;
  let counts: ReturnType<typeof submissionCounts>;
  const tokens: Record<string, string> = {};
  const respond = (who: string, answers: unknown) => t.http().post(`/api/items/${surveyId}/responses`).set(auth(tokens[who])).send({ answers });

  beforeAll(async () => {
    t = await startTestApp();
    fx = catalogFixtures(t.db.pool);
    counts = submissionCounts(t.db.pool);
    await fx.createTrainer('trainer2');
    offeringId = await fx.createOffering(await fx.createCourse({ title: '幼小衔接实践' }), { trainers: ['trainer'] });
    for (const username of ['teacher', 't00002', 't00003', 't00004']) await fx.enrolUser(offeringId, username);
    for (const username of ['trainer', 'trainer2', 'teacher', 't00002', 't00003', 't00004', 't00005']) tokens[username] = await t.token(username);
    surveyId = (await t.http().post(`/api/offerings/${offeringId}/items`).set(auth(tokens.trainer))
      .send({ kind: 'survey', title: '课程评价', questions: QUESTIONS }).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  it('names every bad answer and stores nothing', async () => {
    const res = await respond('teacher', { q1: 6, q3: ['案例', '其他'], q4: 'x'.repeat(2001), q7: 'x' }).expect(400);
    expect(problems(res)).toEqual(['answers.q1:RATING_RANGE', 'answers.q2:REQUIRED', 'answers.q3:NOT_AN_OPTION', 'answers.q4:maxLength', 'answers.q7:unknown_field']);
    expect(problems(await respond('teacher', { q1: 4, q2: '其他' }).expect(400))).toEqual(['answers.q2:NOT_AN_OPTION']);
    expect(problems(await respond('teacher', 'all good').expect(400))).toEqual(['answers:isObject']);
    expect(await counts.submissions(surveyId)).toBe(0);
  });

  it('takes one response per learner: the same again is answered as it is, a different one is refused', async () => {
    const first = await respond('teacher', { q1: 5, q2: '观摩', q3: ['实操', '案例'], q4: '希望多一些现场观摩' }).expect(201);
    expect(first.body).toMatchObject({ attempt: 1, answers: { q1: 5, q2: '观摩', q3: ['案例', '实操'], q4: '希望多一些现场观摩' }, body: null });
    const again = await respond('teacher', { q4: '希望多一些现场观摩', q3: ['案例', '实操'], q2: '观摩', q1: 5 }).expect(200);
    expect(again.body.id).toBe(first.body.id);
    expect((await respond('teacher', { q1: 3, q2: '观摩' }).expect(409)).body.error.code).toBe('SURVEY_ALREADY_SUBMITTED');
    expect(await counts.submissions(surveyId)).toBe(1);

    const mine = await t.http().get(`/api/offerings/${offeringId}/my-items`).set(auth(tokens.teacher)).expect(200);
    expect(mine.body.items[0]).toMatchObject({ kind: 'survey', status: 'submitted', canSubmit: false, blockedBy: 'answered' });
    // The response is the learner's own; to trainers it exists only in the results.
    await t.http().get(`/api/submissions/${first.body.id}`).set(auth(tokens.teacher)).expect(200);
    await t.http().get(`/api/submissions/${first.body.id}`).set(auth(tokens.trainer)).expect(404);
  });

  it('refuses learners not in the offering and anyone after a refused due date', async () => {
    for (const who of ['t00005', 'trainer']) await respond(who, { q1: 4, q2: '讲座' }).expect(404);
    const late = (await t.http().post(`/api/offerings/${offeringId}/items`).set(auth(tokens.trainer))
      .send({ kind: 'survey', title: '补充评价', dueAt: '2020-01-01T00:00:00+08:00', latePolicy: 'refuse', questions: [{ kind: 'rating', prompt: '满意度' }] }).expect(201)).body.id;
    const res = await t.http().post(`/api/items/${late}/responses`).set(auth(tokens.t00002)).send({ answers: { q1: 4 } }).expect(422);
    expect(res.body.error.code).toBe('SUBMISSION_LATE_REFUSED');
  });

  it('aggregates the responses without naming anyone, for the offering\'s trainers', async () => {
    await respond('t00002', { q1: 4, q2: '观摩', q3: ['案例'] }).expect(201);
    await respond('t00003', { q1: 2, q2: '讲座', q4: '时间安排再紧凑些' }).expect(201);
    const res = await t.http().get(`/api/items/${surveyId}/survey-results`).set(auth(tokens.trainer)).expect(200);
    expect(res.body).toMatchObject({ responses: 3, learners: 4, rate: 0.75 });
    const [rating, choice, multi, text] = res.body.questions;
    expect(rating).toMatchObject({ id: 'q1', average: 3.67, distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } });
    expect(choice.counts).toEqual([{ option: '讲座', count: 1 }, { option: '观摩', count: 2 }, { option: '研讨', count: 0 }]);
    expect(multi).toMatchObject({ answered: 2, counts: [{ option: '案例', count: 2 }, { option: '实操', count: 1 }, { option: '阅读', count: 0 }] });
    expect(text.answers.sort()).toEqual(['希望多一些现场观摩', '时间安排再紧凑些'].sort());
    const names = (await t.db.pool.query(
      `SELECT p.full_name FROM app_user u JOIN person p ON p.id = u.person_id WHERE u.username IN ('teacher', 't00002', 't00003')`)).rows;
    const body = JSON.stringify(res.body);
    for (const { full_name: name } of names) expect(body).not.toContain(name);

    await t.http().get(`/api/items/${surveyId}/survey-results`).set(auth(tokens.trainer2)).expect(404);
    await t.http().get(`/api/items/${surveyId}/survey-results`).set(auth(tokens.teacher)).expect(403);
  });

  it('freezes the questions once answered', async () => {
    const item = (await t.db.pool.query(`SELECT version FROM assessment_item WHERE id = $1`, [surveyId])).rows[0];
    const res = await t.http().patch(`/api/items/${surveyId}`).set(auth(tokens.trainer))
      .send({ version: item.version, questions: [{ kind: 'rating', prompt: '新的问题' }] }).expect(409);
    expect(res.body.error.code).toBe('SURVEY_HAS_RESPONSES');
    await t.http().patch(`/api/items/${surveyId}`).set(auth(tokens.trainer)).send({ version: item.version, title: '课程评价（第一期）' }).expect(200);
  });
});

describe('the survey pages', () => {
  let t: TestApp;
  let surveyId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const fx = catalogFixtures(t.db.pool);
    const offeringId = await fx.createOffering(await fx.createCourse({ title: '绘本教学' }), { trainers: ['trainer'] });
    await fx.enrolUser(offeringId, 'teacher');
    const token = await t.token('trainer');
    surveyId = (await t.http().post(`/api/offerings/${offeringId}/items`).set(auth(token))
      .send({ kind: 'survey', title: '课程评价', questions: QUESTIONS }).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  it('keeps the answers given when one is missing, then takes the response and shows it in the results', async () => {
    const learner = await t.signInPages('teacher');
    const form = await learner.get(`/learning/items/${surveyId}`).expect(200);
    expect(form.text).toContain('data-testid="survey-form"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const missing = await learner.post(`/learning/items/${surveyId}/responses`).type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&answers[q1]=4&answers[q3][]=${encodeURIComponent('案例')}&answers[q4]=${encodeURIComponent('讲得很好')}`).expect(400);
    expect(missing.text).toMatch(/data-field-error="q2">请填写/);
    expect(missing.text).toMatch(/name="answers\[q1\]" value="4" checked/);
    expect(missing.text).toContain('讲得很好');
    await learner.post(`/learning/items/${surveyId}/responses`).type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&answers[q1]=4&answers[q2]=${encodeURIComponent('观摩')}&answers[q4]=${encodeURIComponent('讲得很好')}`)
      .expect(303).expect('Location', `/learning/items/${surveyId}`);
    const done = await learner.get(`/learning/items/${surveyId}`).expect(200);
    expect(done.text).toContain('你已提交课程评价');
    expect(done.text).not.toContain('data-testid="survey-form"');

    const results = await (await t.signInPages('trainer')).get(`/teaching/items/${surveyId}/survey-results`).expect(200);
    expect(results.text).toContain('1 / 1 人已填写（100%）');
    expect(results.text).toContain('平均 4 分');
    expect(results.text).toContain('讲得很好');
  });
});
