import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures, type CatalogFixtures } from '../support/catalog-fixtures.js';
import { assessmentFixtures, type AssessmentFixtures } from '../support/assessment-fixtures.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const fields = (res: { body: { error: { details: { fields: Array<{ field: string }> } } } }) => res.body.error.details.fields.map((f) => f.field).sort();
const LEVELS = (picks: number[]) => picks.map((level, i) => ({ criterionId: `c${i + 1}`, levelId: `c${i + 1}l${level}` }));

describe('grading: each method, bad input, release and changes after release', () => {
  let t: TestApp;
  let fx: CatalogFixtures;
  let ax: AssessmentFixtures;
  let offeringId: string;
  const items: Record<'rubric' | 'guide' | 'points' | 'passFail' | 'survey', string> = {} as never;
  const learners: Record<string, { enrollmentId: string; personId: string }> = {};
  const tokens: Record<string, string> = {};
  const q = async (sql: string, params: unknown[] = []) => (await t.db.pool.query(sql, params)).rows;
  const gradeOf = async (itemId: string, enrollmentId: string) => (await q(
    `SELECT points::float8 AS points, raw_points::float8 AS "rawPoints", passed, criteria, feedback, submission_id AS "submissionId",
            released_at AS "releasedAt", version FROM grade WHERE item_id = $1 AND enrollment_id = $2`, [itemId, enrollmentId]))[0] ?? null;
  const count = async (table: string, itemId: string) => Number((await q(`SELECT count(*) FROM ${table} WHERE item_id = $1`, [itemId]))[0].count);
  const put = (itemId: string, enrollmentId: string, body: object, user = 'trainer') =>
    t.http().put(`/api/items/${itemId}/grades/${enrollmentId}`).set(auth(tokens[user])).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    fx = catalogFixtures(t.db.pool);
    ax = assessmentFixtures(t.db.pool);
    await fx.createTrainer('trainer2');
    offeringId = await fx.createOffering(await fx.createCourse({ title: '幼儿园游戏观察与评价' }), { trainers: ['trainer'] });
    const rubricId = await ax.createRubric();
    const guideId = await ax.createRubric({ method: 'guide', name: '反思评分指南', maxPoints: 20,
      criteria: [{ id: 'g1', title: '目标', maxPoints: 10 }, { id: 'g2', title: '反思', maxPoints: 10 }] });
    items.rubric = await ax.createItem(offeringId, { title: '示范课教案', rubricId, maxPoints: 20, passPoints: 12 });
    items.guide = await ax.createItem(offeringId, { title: '教学反思', gradingMethod: 'guide', rubricId: guideId, maxPoints: 20, passPoints: null });
    items.points = await ax.createItem(offeringId, { title: '观察记录', gradingMethod: 'points', maxPoints: 100, passPoints: 60, latePolicy: 'penalty', latePenaltyPercent: 20 });
    items.passFail = await ax.createItem(offeringId, { kind: 'offline', title: '现场展示', gradingMethod: 'pass_fail', submissionModes: [] });
    items.survey = await ax.createItem(offeringId, { kind: 'survey' });
    for (const username of ['teacher', 't00002', 't00003', 't00004']) learners[username] = await fx.enrolUser(offeringId, username);
    learners.t00005 = await fx.enrolUser(offeringId, 't00005', 'waitlisted');
    for (const username of ['trainer', 'trainer2', 'district_admin', 'kg_admin', 'teacher']) tokens[username] = await t.token(username);
  });
  afterAll(() => t?.close());

  describe('each grading method', () => {
    it('takes a rubric grade from the chosen levels, with comments, hidden until released', async () => {
      const submissionId = await ax.submit(items.rubric, learners.teacher.enrollmentId);
      const criteria = LEVELS([3, 2, 3, 1]).map((c, i) => (i === 0 ? { ...c, comment: '目标清晰，贴合幼儿经验' } : c));
      const res = await put(items.rubric, learners.teacher.enrollmentId, { criteria, feedback: '整体设计完整' }).expect(200);
      expect(res.body).toMatchObject({ changed: true, role: null, grade: { points: 14, passed: true, releasedAt: null, version: 1 } });
      expect(await gradeOf(items.rubric, learners.teacher.enrollmentId)).toMatchObject({
        points: 14, rawPoints: 14, passed: true, feedback: '整体设计完整', submissionId, releasedAt: null,
        criteria: [{ criterionId: 'c1', levelId: 'c1l3', points: 5, comment: '目标清晰，贴合幼儿经验' }, { criterionId: 'c2', levelId: 'c2l2', points: 3 },
          { criterionId: 'c3', levelId: 'c3l3', points: 5 }, { criterionId: 'c4', levelId: 'c4l1', points: 1 }],
      });
      const marks = await q(`SELECT role, marker_user_id = (SELECT id FROM app_user WHERE username = 'trainer') AS own FROM grade_mark WHERE item_id = $1`, [items.rubric]);
      expect(marks).toEqual([{ role: 'first', own: true }]);
      const view = await t.http().get(`/api/items/${items.rubric}/grades/${learners.teacher.enrollmentId}`).set(auth(tokens.trainer)).expect(200);
      expect(view.body.submissions.map((s: { attempt: number }) => s.attempt)).toEqual([1]);
      expect(view.body.learner).toMatchObject({ enrollmentId: learners.teacher.enrollmentId, status: 'enrolled' });
    });

    it('keeps a marking guide within each criterion\'s maximum and passes without a pass mark', async () => {
      await put(items.guide, learners.teacher.enrollmentId, { criteria: [{ criterionId: 'g1', points: 11 }, { criterionId: 'g2', points: 5 }] })
        .expect(400).expect((res) => expect(fields(res)).toEqual(['criteria[0].points']));
      await put(items.guide, learners.teacher.enrollmentId, { criteria: [{ criterionId: 'g1', points: 8.5, comment: '目标具体' }, { criterionId: 'g2', points: 6 }] }).expect(200);
      expect(await gradeOf(items.guide, learners.teacher.enrollmentId)).toMatchObject({ points: 14.5, passed: true });
    });

    it('applies the late penalty to late work under the penalty policy, keeping the raw points', async () => {
      await ax.submit(items.points, learners.teacher.enrollmentId, { late: true });
      await put(items.points, learners.teacher.enrollmentId, { points: 80 }).expect(200);
      expect(await gradeOf(items.points, learners.teacher.enrollmentId)).toMatchObject({ rawPoints: 80, points: 64, passed: true });
      await ax.submit(items.points, learners.t00002.enrollmentId);
      await put(items.points, learners.t00002.enrollmentId, { points: 59.5 }).expect(200);
      expect(await gradeOf(items.points, learners.t00002.enrollmentId)).toMatchObject({ rawPoints: 59.5, points: 59.5, passed: false });
      // Work never submitted can still be graded (0 for missing work); there is no submission to point at.
      await put(items.points, learners.t00004.enrollmentId, { points: 0, feedback: '未提交' }).expect(200);
      expect(await gradeOf(items.points, learners.t00004.enrollmentId)).toMatchObject({ points: 0, passed: false, submissionId: null });
    });

    it('grades an offline item pass/fail without a submission', async () => {
      await put(items.passFail, learners.teacher.enrollmentId, { passed: false, feedback: '需加强师幼互动' }).expect(200);
      expect(await gradeOf(items.passFail, learners.teacher.enrollmentId)).toMatchObject({ points: null, rawPoints: null, passed: false, submissionId: null });
      await put(items.passFail, learners.teacher.enrollmentId, { points: 5 }).expect(400).expect((res) => expect(fields(res)).toEqual(['passed', 'points']));
    });

    it('refuses to grade a survey, a waitlisted learner, or a learner of another offering', async () => {
      const survey = await put(items.survey, learners.teacher.enrollmentId, { points: 1 }).expect(422);
      expect(survey.body.error.code).toBe('GRADING_NOT_APPLICABLE');
      const waitlisted = await put(items.points, learners.t00005.enrollmentId, { points: 70 }).expect(422);
      expect(waitlisted.body.error.code).toBe('ENROLLMENT_NOT_GRADABLE');
      const other = await fx.createOffering(await fx.createCourse(), { trainers: ['trainer'] });
      const stranger = await fx.enrolUser(other, 't00010');
      await put(items.points, stranger.enrollmentId, { points: 70 }).expect(404);
      expect(await gradeOf(items.points, learners.t00005.enrollmentId)).toBeNull();
    });
  });

  describe('bad input from the issue writes nothing', () => {
    it('a grade above the maximum, a criterion not in the rubric, a level of another criterion', async () => {
      const [grades, marks] = [await count('grade', items.rubric), await count('grade_mark', items.rubric)];
      const above = await put(items.points, learners.t00003.enrollmentId, { points: 101 }).expect(400);
      expect(above.body.error.code).toBe('VALIDATION_FAILED');
      expect(fields(above)).toEqual(['points']);
      const notInRubric = await put(items.rubric, learners.t00003.enrollmentId, { criteria: [...LEVELS([1, 2, 3]), { criterionId: 'c9', levelId: 'c1l1' }] }).expect(400);
      expect(fields(notInRubric)).toEqual(['criteria', 'criteria[3].criterionId']);
      const otherLevel = await put(items.rubric, learners.t00003.enrollmentId, { criteria: [{ criterionId: 'c1', levelId: 'c2l3' }, ...LEVELS([1, 2, 3, 3]).slice(1)] }).expect(400);
      expect(fields(otherLevel)).toEqual(['criteria[0].levelId']);
      const unknownField = await put(items.points, learners.t00003.enrollmentId, { points: 50, bonus: 10 }).expect(400);
      expect(fields(unknownField)).toEqual(['bonus']);
      expect(await gradeOf(items.points, learners.t00003.enrollmentId)).toBeNull();
      expect([await count('grade', items.rubric), await count('grade_mark', items.rubric)]).toEqual([grades, marks]);
    });
  });

  describe('who may grade', () => {
    it('only trainers of the offering and the catalog managers over it; everyone else is refused or sees nothing', async () => {
      const path = `/api/items/${items.points}/grades/${learners.t00003.enrollmentId}`;
      await t.http().get(path).set(auth(tokens.teacher)).expect(403);
      await t.http().put(path).set(auth(tokens.teacher)).send({ points: 90 }).expect(403);
      for (const user of ['trainer2', 'kg_admin']) {
        await t.http().get(path).set(auth(tokens[user])).expect(404);
        await t.http().put(path).set(auth(tokens[user])).send({ points: 90 }).expect(404);
        await t.http().post(`/api/items/${items.points}/release`).set(auth(tokens[user])).send({}).expect(404);
        await t.http().get(`/api/items/${items.points}/grades`).set(auth(tokens[user])).expect(404);
      }
      await t.http().get(path).expect(401);
      expect(await gradeOf(items.points, learners.t00003.enrollmentId)).toBeNull();
      await t.http().put(path).set(auth(tokens.district_admin)).send({ points: 90 }).expect(200);
    });
  });

  describe('release and changes after release', () => {
    const notices = async (kind: string, personId: string) => Number((await q(
      `SELECT count(*) FROM notification n JOIN app_user u ON u.id = n.user_id WHERE n.kind = $1 AND u.person_id = $2`, [kind, personId]))[0].count);

    it('releases only the listed learners, then the rest; each learner is told once, and releasing again changes nothing', async () => {
      const one = await t.http().post(`/api/items/${items.points}/release`).set(auth(tokens.trainer)).send({ enrollmentIds: [learners.teacher.enrollmentId] }).expect(200);
      expect(one.body).toEqual({ released: 1, enrollmentIds: [learners.teacher.enrollmentId] });
      expect((await gradeOf(items.points, learners.t00002.enrollmentId)).releasedAt).toBeNull();
      const rest = await t.http().post(`/api/items/${items.points}/release`).set(auth(tokens.trainer)).send({}).expect(200);
      expect(rest.body.enrollmentIds.sort()).toEqual([learners.t00002.enrollmentId, learners.t00003.enrollmentId, learners.t00004.enrollmentId].sort());
      const released = await q(`SELECT g.released_at IS NOT NULL AS released, u.username FROM grade g JOIN app_user u ON u.id = g.released_by WHERE g.item_id = $1`, [items.points]);
      expect(released).toHaveLength(4);
      expect(released.every((r) => r.released && r.username === 'trainer')).toBe(true);
      for (const who of ['teacher', 't00002', 't00003', 't00004']) expect(await notices('grade.released', learners[who].personId)).toBe(1);
      const notice = (await q(`SELECT n.title, n.link FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'teacher' AND n.kind = 'grade.released'`))[0];
      expect(notice).toEqual({ title: '成绩已发布：观察记录', link: `/learning/items/${items.points}` });
      const again = await t.http().post(`/api/items/${items.points}/release`).set(auth(tokens.trainer)).send({}).expect(200);
      expect(again.body).toEqual({ released: 0, enrollmentIds: [] });
      expect(await notices('grade.released', learners.teacher.personId)).toBe(1);
    });

    it('a change to a released grade needs a reason, keeps who, when, why, before and after, and tells the learner', async () => {
      const enrollmentId = learners.t00002.enrollmentId;
      const before = await gradeOf(items.points, enrollmentId);
      const refused = await put(items.points, enrollmentId, { points: 75 }).expect(422);
      expect(refused.body.error.code).toBe('REASON_REQUIRED');
      expect(fields(refused)).toEqual(['reason']);
      expect(await gradeOf(items.points, enrollmentId)).toEqual(before);

      const res = await put(items.points, enrollmentId, { points: 75, reason: '复核后更正：漏计观察记录第三部分' }).expect(200);
      expect(res.body.grade).toMatchObject({ points: 75, passed: true, version: before.version + 1 });
      expect(res.body.history).toHaveLength(1);
      const history = await q(`SELECT h.reason, h.before, h.after, u.username, h.changed_at <= now() AS past FROM grade_history h JOIN app_user u ON u.id = h.changed_by
                                WHERE h.item_id = $1 AND h.enrollment_id = $2`, [items.points, enrollmentId]);
      expect(history).toEqual([{
        reason: '复核后更正：漏计观察记录第三部分', username: 'trainer', past: true,
        before: expect.objectContaining({ points: 59.5, passed: false }), after: expect.objectContaining({ points: 75, passed: true }),
      }]);
      expect(await notices('grade.changed', learners.t00002.personId)).toBe(1);
      const audit = await q(`SELECT action FROM audit_log WHERE entity_type = 'grade' AND entity_id = $1 ORDER BY occurred_at`, [`${items.points}:${enrollmentId}`]);
      expect(audit.map((a) => a.action)).toEqual(['create', 'update']);

      // The identical grade again changes nothing and writes no history.
      const same = await put(items.points, enrollmentId, { points: 75, reason: '再次保存' }).expect(200);
      expect(same.body.changed).toBe(false);
      expect((await gradeOf(items.points, enrollmentId)).version).toBe(before.version + 1);
      expect(await q(`SELECT id FROM grade_history WHERE enrollment_id = $1`, [enrollmentId])).toHaveLength(1);
    });

    it('a stale version is refused; two trainers saving at once are applied one after the other', async () => {
      const enrollmentId = learners.t00003.enrollmentId;
      const { version } = await gradeOf(items.points, enrollmentId);
      const stale = await put(items.points, enrollmentId, { points: 88, reason: '更正', version: version - 1 }).expect(409);
      expect(stale.body.error.code).toBe('STALE_GRADE');
      const [a, b] = await Promise.all([
        put(items.points, enrollmentId, { points: 91, reason: '甲复核' }),
        put(items.points, enrollmentId, { points: 92, reason: '乙复核' }, 'district_admin'),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const chain = await q(`SELECT before->>'points' AS before, after->>'points' AS after FROM grade_history WHERE enrollment_id = $1 ORDER BY id`, [enrollmentId]);
      expect(chain).toHaveLength(2);
      // Each change starts from what the other left: no update is lost.
      expect(chain[0].before).toBe('90');
      expect(chain[1].before).toBe(chain[0].after);
      expect((await gradeOf(items.points, enrollmentId))).toMatchObject({ points: Number(chain[1].after), version: version + 2 });
    });
  });

  describe('the grading pages (without scripts)', () => {
    it('lists the queue, saves a rubric grade from the form and goes on to the next learner', async () => {
      const browser = await t.signInPages('trainer');
      const queue = await browser.get(`/teaching/items/${items.rubric}/grade`).expect(200);
      expect(queue.text.match(/data-testid="queue-row"/g)).toHaveLength(4);
      expect(queue.text).not.toContain(learners.t00005.enrollmentId);
      const ids = [...queue.text.matchAll(/data-testid="queue-row" data-enrollment-id="([^"]+)"/g)].map((m) => m[1]);
      const page = await browser.get(`/teaching/items/${items.rubric}/grade/${ids[0]}`).expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const target = ids.find((id) => id !== learners.teacher.enrollmentId)!;
      const form = { _csrf: csrf, 'level[c1]': 'c1l2', 'level[c2]': 'c2l2', 'level[c3]': 'c3l2', 'comment[c2]': '活动设计合理', feedback: '良好', action: 'save-next' };
      const missing = await browser.post(`/teaching/items/${items.rubric}/grade/${target}`).type('form').send({ ...form, 'level[c4]': '' }).expect(400);
      expect(missing.text).toContain('data-testid="form-alert"');
      expect(missing.text).toContain('活动设计合理');
      expect(missing.text).toMatch(/id="lv-c1-c1l2" value="c1l2"[^>]*checked/);
      expect(await gradeOf(items.rubric, target)).toBeNull();
      const saved = await browser.post(`/teaching/items/${items.rubric}/grade/${target}`).type('form').send({ ...form, 'level[c4]': 'c4l3' }).expect(303);
      const next = ids[ids.indexOf(target) + 1];
      expect(saved.headers.location).toBe(next ? `/teaching/items/${items.rubric}/grade/${next}` : `/teaching/items/${items.rubric}/grade`);
      expect(await gradeOf(items.rubric, target)).toMatchObject({ points: 14, passed: true, feedback: '良好' });
      const shown = await browser.get(`/teaching/items/${items.rubric}/grade/${target}`).expect(200);
      expect(shown.text).toMatch(/id="lv-c4-c4l3" value="c4l3"[^>]*checked/);
    });

    it('releases all from the queue page, and a released grade asks for a reason on the form', async () => {
      const browser = await t.signInPages('trainer');
      const queue = await browser.get(`/teaching/items/${items.passFail}/grade`).expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(queue.text)![1];
      await browser.post(`/teaching/items/${items.passFail}/release`).type('form').send({ _csrf: csrf }).expect(303);
      expect((await gradeOf(items.passFail, learners.teacher.enrollmentId)).releasedAt).not.toBeNull();
      const path = `/teaching/items/${items.passFail}/grade/${learners.teacher.enrollmentId}`;
      const page = await browser.get(path).expect(200);
      expect(page.text).toContain('data-testid="reason"');
      const refused = await browser.post(path).type('form').send({ _csrf: csrf, passed: 'true', feedback: '复核通过', action: 'save' }).expect(422);
      expect(refused.text).toContain('data-testid="reason-error"');
      expect((await gradeOf(items.passFail, learners.teacher.enrollmentId)).passed).toBe(false);
      await browser.post(path).type('form').send({ _csrf: csrf, passed: 'true', feedback: '复核通过', reason: '补充观察后改判', action: 'save' }).expect(303);
      expect((await gradeOf(items.passFail, learners.teacher.enrollmentId)).passed).toBe(true);
      expect((await browser.get(path).expect(200)).text).toContain('补充观察后改判');
    });
  });
});
