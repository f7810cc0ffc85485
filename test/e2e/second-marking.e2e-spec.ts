import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures, type CatalogFixtures } from '../support/catalog-fixtures.js';
import { assessmentFixtures, type AssessmentFixtures } from '../support/assessment-fixtures.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const LEVELS = (picks: number[], comment?: string) =>
  picks.map((level, i) => ({ criterionId: `c${i + 1}`, levelId: `c${i + 1}l${level}`, ...(comment && i === 0 ? { comment } : {}) }));

describe('second marking: two trainers mark, a trainer reconciles', () => {
  let t: TestApp;
  let fx: CatalogFixtures;
  let ax: AssessmentFixtures;
  let itemId: string;
  let singleItemId: string;
  const learners: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const q = async (sql: string, params: unknown[] = []) => (await t.db.pool.query(sql, params)).rows;
  const grade = async (enrollmentId: string) => (await q(
    `SELECT g.points::float8 AS points, g.passed, g.criteria, g.feedback, u.username AS "gradedBy", g.released_at AS "releasedAt"
       FROM grade g JOIN app_user u ON u.id = g.graded_by WHERE g.item_id = $1 AND g.enrollment_id = $2`, [itemId, enrollmentId]))[0] ?? null;
  const marks = async (enrollmentId: string) => q(
    `SELECT m.role, u.username, m.points::float8 AS points FROM grade_mark m JOIN app_user u ON u.id = m.marker_user_id
      WHERE m.item_id = $1 AND m.enrollment_id = $2 ORDER BY m.role`, [itemId, enrollmentId]);
  const put = (user: string, enrollmentId: string, body: object) => t.http().put(`/api/items/${itemId}/grades/${enrollmentId}`).set(auth(tokens[user])).send(body);
  const reconcile = (user: string, enrollmentId: string, body: object) =>
    t.http().post(`/api/items/${itemId}/grades/${enrollmentId}/reconcile`).set(auth(tokens[user])).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    fx = catalogFixtures(t.db.pool);
    ax = assessmentFixtures(t.db.pool);
    await fx.createTrainer('trainer2', '第二评分人');
    await fx.createTrainer('trainer3', '教研员');
    await fx.createTrainer('outsider');
    const offeringId = await fx.createOffering(await fx.createCourse({ title: '区域活动观察' }), { trainers: ['trainer', 'trainer2', 'trainer3'] });
    const rubricId = await ax.createRubric();
    itemId = await ax.createItem(offeringId, { title: '集体教学活动设计', rubricId, maxPoints: 20, passPoints: 12, secondMarking: true });
    singleItemId = await ax.createItem(offeringId, { title: '观察记录', gradingMethod: 'points' });
    for (const username of ['t00021', 't00022', 't00023']) {
      learners[username] = (await fx.enrolUser(offeringId, username)).enrollmentId;
      await ax.submit(itemId, learners[username]);
    }
    for (const username of ['trainer', 'trainer2', 'trainer3', 'outsider']) tokens[username] = await t.token(username);
  });
  afterAll(() => t?.close());

  it('keeps the first and second marks apart, writes no grade, and refuses a third marker', async () => {
    const enrollmentId = learners.t00021;
    const first = await put('trainer', enrollmentId, { criteria: LEVELS([3, 3, 2, 2], '目标明确'), feedback: '设计清楚' }).expect(200);
    expect(first.body).toMatchObject({ changed: true, role: 'first', grade: null });
    const second = await put('trainer2', enrollmentId, { criteria: LEVELS([3, 2, 2, 1]), feedback: '互动不足' }).expect(200);
    expect(second.body).toMatchObject({ role: 'second', grade: null });
    expect(await grade(enrollmentId)).toBeNull();
    const third = await put('trainer3', enrollmentId, { criteria: LEVELS([1, 1, 1, 1]) }).expect(409);
    expect(third.body.error.code).toBe('SECOND_MARKING_FULL');
    // The same trainer again changes their own mark, keeping their role.
    await put('trainer', enrollmentId, { criteria: LEVELS([3, 3, 3, 2], '目标明确'), feedback: '设计清楚' }).expect(200);
    expect(await marks(enrollmentId)).toEqual([{ role: 'first', username: 'trainer', points: 18 }, { role: 'second', username: 'trainer2', points: 12 }]);
    await t.http().put(`/api/items/${itemId}/grades/${enrollmentId}`).set(auth(tokens.outsider)).send({ criteria: LEVELS([1, 1, 1, 1]) }).expect(404);
  });

  it('shows both marks with the criteria that differ; accept is refused while they differ', async () => {
    const enrollmentId = learners.t00021;
    const view = await t.http().get(`/api/items/${itemId}/grades/${enrollmentId}`).set(auth(tokens.trainer3)).expect(200);
    expect(view.body.marks.map((m: { role: string; points: number }) => [m.role, m.points])).toEqual([['first', 18], ['second', 12]]);
    expect(view.body.marks[1].markerName).toBe('第二评分人');
    expect(view.body.reconciliation.agree).toBe(false);
    expect(view.body.reconciliation.differences.map((d: { criterionId: string }) => d.criterionId)).toEqual(['c2', 'c3', 'c4']);
    const accepted = await reconcile('trainer3', enrollmentId, { accept: true }).expect(422);
    expect(accepted.body.error.code).toBe('MARKS_DIFFER');
    expect(await grade(enrollmentId)).toBeNull();
  });

  it('a trainer of the offering reconciles into the agreed grade; bad input is refused and writes nothing', async () => {
    const enrollmentId = learners.t00021;
    const bad = await reconcile('trainer3', enrollmentId, { criteria: [...LEVELS([3, 3, 3]), { criterionId: 'c5', levelId: 'c4l1' }] }).expect(400);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['criteria[3].criterionId', 'criteria']);
    expect(await grade(enrollmentId)).toBeNull();
    await reconcile('outsider', enrollmentId, { criteria: LEVELS([3, 3, 2, 2]) }).expect(404);
    const res = await reconcile('trainer3', enrollmentId, { criteria: LEVELS([3, 2, 3, 2]), feedback: '两位评分人讨论后确定' }).expect(200);
    expect(res.body).toMatchObject({ changed: true, grade: { points: 16, passed: true } });
    expect(await grade(enrollmentId)).toMatchObject({ points: 16, passed: true, gradedBy: 'trainer3', feedback: '两位评分人讨论后确定', releasedAt: null });
    // A marker changing their mark afterwards does not touch the agreed grade.
    await put('trainer2', enrollmentId, { criteria: LEVELS([1, 1, 1, 1]) }).expect(200);
    expect((await grade(enrollmentId)).points).toBe(16);
  });

  it('accepts two agreeing marks as they are, keeping both markers\' comments', async () => {
    const enrollmentId = learners.t00022;
    const early = await reconcile('trainer3', enrollmentId, { accept: true }).expect(422);
    expect(early.body.error.code).toBe('SECOND_MARK_MISSING');
    await put('trainer2', enrollmentId, { criteria: LEVELS([2, 2, 2, 2], '基本达成') }).expect(200);
    await put('trainer3', enrollmentId, { criteria: LEVELS([2, 2, 2, 2], '可再细化') }).expect(200);
    expect((await marks(enrollmentId)).map((m) => [m.role, m.username])).toEqual([['first', 'trainer2'], ['second', 'trainer3']]);
    const view = await t.http().get(`/api/items/${itemId}/grades/${enrollmentId}`).set(auth(tokens.trainer)).expect(200);
    expect(view.body.reconciliation).toEqual({ agree: true, differences: [] });
    await reconcile('trainer', enrollmentId, { accept: true, points: 8 }).expect(400);
    await reconcile('trainer', enrollmentId, { accept: true }).expect(200);
    expect(await grade(enrollmentId)).toMatchObject({ points: 12, passed: true, gradedBy: 'trainer' });
    expect((await grade(enrollmentId)).criteria[0]).toEqual({ criterionId: 'c1', levelId: 'c1l2', points: 3, comment: '基本达成\n\n可再细化' });
  });

  it('after release, a reconciled change needs a reason and is kept in the history', async () => {
    const enrollmentId = learners.t00021;
    await t.http().post(`/api/items/${itemId}/release`).set(auth(tokens.trainer)).send({}).expect(200);
    const refused = await reconcile('trainer3', enrollmentId, { criteria: LEVELS([3, 3, 3, 3]) }).expect(422);
    expect(refused.body.error.code).toBe('REASON_REQUIRED');
    await reconcile('trainer3', enrollmentId, { criteria: LEVELS([3, 3, 3, 3]), reason: '复议后调整' }).expect(200);
    const history = await q(`SELECT reason, before->>'points' AS before, after->>'points' AS after FROM grade_history WHERE item_id = $1`, [itemId]);
    expect(history).toEqual([{ reason: '复议后调整', before: '16', after: '20' }]);
  });

  it('reconciling an item graded by one trainer is refused', async () => {
    const res = await t.http().post(`/api/items/${singleItemId}/grades/${learners.t00023}/reconcile`).set(auth(tokens.trainer)).send({ points: 70 }).expect(422);
    expect(res.body.error.code).toBe('NOT_SECOND_MARKED');
  });

  it('the grading page shows both marks side by side and accepts agreeing marks without scripts', async () => {
    const enrollmentId = learners.t00023;
    await put('trainer', enrollmentId, { criteria: LEVELS([3, 3, 3, 1]) }).expect(200);
    await put('trainer2', enrollmentId, { criteria: LEVELS([3, 3, 3, 1]) }).expect(200);
    const browser = await t.signInPages('trainer3');
    const path = `/teaching/items/${itemId}/grade/${enrollmentId}`;
    const page = await browser.get(path).expect(200);
    expect(page.text).toContain('data-testid="second-marking"');
    expect(page.text.match(/data-testid="compare-row"/g)).toHaveLength(4);
    expect(page.text).toContain('data-testid="accept"');
    expect(page.text).toContain('data-testid="reconcile-next"');
    expect(page.text).not.toContain('data-testid="save-next"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await browser.post(path).type('form').send({ _csrf: csrf, action: 'accept', feedback: '' }).expect(303);
    expect(await grade(enrollmentId)).toMatchObject({ points: 16, gradedBy: 'trainer3' });
    const differing = await browser.get(`/teaching/items/${itemId}/grade/${learners.t00021}`).expect(200);
    expect(differing.text.match(/data-differs/g)?.length ?? 0).toBeGreaterThan(0);
  });
});
