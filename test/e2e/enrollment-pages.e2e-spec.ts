import { startTestApp, type TestApp } from '../support/test-app.js';
import { createOffering, sessionTokens, teachers } from '../support/offering-fixtures.js';

describe('enrolment pages: offering page, my learning, approvals and the roster', () => {
  let t: TestApp;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)![1];
  const statusOf = async (id: string) => (await t.db.pool.query('SELECT status FROM enrollment WHERE id = $1', [id])).rows[0].status as string;
  const statusesIn = async (offeringId: string) => Object.fromEntries((await t.db.pool.query(
    `SELECT u.username, e.status FROM enrollment e JOIN app_user u ON u.person_id = e.person_id WHERE e.offering_id = $1`, [offeringId])).rows
    .map((r) => [r.username, r.status]));

  const signIn = (username: string) => t.signInPages(username);
  const courseOf = async (courseId: string) =>
    (await t.db.pool.query('SELECT title, hours::float AS hours, credits::float AS credits FROM course WHERE id = $1', [courseId])).rows[0] as { title: string; hours: number; credits: number };
  /** A request through the API as a learner, for setting the scene. */
  async function enrolByApi(username: string, offeringId: string) {
    const [token] = (await sessionTokens(t.db.pool, [username])).values();
    return (await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(auth(token)).send({}).expect(201)).body as { id: string; status: string };
  }

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  describe('the learner', () => {
    it('sees the offering with its seats, meetings and window, enrols with the form and then sees 已录取 on the page and in my learning', async () => {
      const { offeringId, courseId } = await createOffering(t.db.pool, { capacity: 3, trainerUsername: 'trainer' });
      const course = await courseOf(courseId);
      const browser = await signIn('teacher');
      const page = await browser.get(`/offerings/${offeringId}`).expect(200);
      expect(page.text).toContain(course.title);
      expect(page.text).toContain('知识技能');
      expect(page.text).toContain('区级');
      expect(page.text).toContain(`${course.hours} 学时 / ${course.credits} 学分`);
      expect(page.text).toContain('青浦区教师进修学院');
      expect(page.text).toMatch(/data-testid="seats-capacity">3</);
      expect(page.text).toMatch(/data-testid="seats-waitlist">0</);
      expect(page.text).toContain(`href="/api/offerings/${offeringId}/calendar.ics"`);
      expect(page.text).toContain('data-testid="enrol"');
      expect(page.text).not.toContain('data-testid="withdraw"');

      const csrf = csrfOf(page.text);
      const done = await browser.post(`/offerings/${offeringId}/enrol`).type('form').send({ _csrf: csrf }).expect(303);
      expect(done.headers.location).toBe(`/offerings/${offeringId}`);
      const after = await browser.get(`/offerings/${offeringId}`).expect(200);
      expect(after.text).toContain('报名成功，您已被录取');
      expect(after.text).toMatch(/data-testid="my-status">已录取</);
      expect(after.text).toMatch(/data-testid="seats-taken">1</);
      expect(after.text).toContain('data-testid="withdraw"');
      expect(after.text).not.toContain('data-testid="enrol"');

      const again = await browser.post(`/offerings/${offeringId}/enrol`).type('form').send({ _csrf: csrf }).expect(303);
      expect((await browser.get(again.headers.location).expect(200)).text).toContain('您已报名过该班次');
      expect((await statusesIn(offeringId)).teacher).toBe('enrolled');

      const learning = await browser.get('/my-learning').expect(200);
      expect(learning.text).toContain(`href="/offerings/${offeringId}"`);
      expect(learning.text).toContain('href="/api/me/calendar.ics"');
      const current = learning.text.slice(learning.text.indexOf('data-testid="current"'), learning.text.indexOf('data-testid="past"'));
      expect(current).toContain('已录取');
    });

    it('shows a waitlist position, withdraws before the deadline, and lists the withdrawal under past', async () => {
      const { offeringId } = await createOffering(t.db.pool, { capacity: 1 });
      const [first, second] = await teachers(t.db.pool, 2, `u.username IN ('t00301', 't00302')`);
      await enrolByApi(first.username, offeringId);
      const browser = await signIn(second.username);
      const page = await browser.get(`/offerings/${offeringId}`).expect(200);
      expect(page.text).toContain('data-testid="join-waitlist"');
      expect(page.text).not.toContain('data-testid="enrol"');
      await browser.post(`/offerings/${offeringId}/enrol`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
      const waiting = await browser.get(`/offerings/${offeringId}`).expect(200);
      expect(waiting.text).toContain('名额已满，您已进入候补名单');
      expect(waiting.text).toContain('候补第 1 位');
      expect((await browser.get('/my-learning').expect(200)).text).toContain('候补第 1 位');

      await browser.post(`/offerings/${offeringId}/withdraw`).type('form').send({ _csrf: csrfOf(waiting.text), reason: '时间冲突' }).expect(303);
      expect((await statusesIn(offeringId))[second.username]).toBe('withdrawn');
      const learning = await browser.get('/my-learning').expect(200);
      const past = learning.text.slice(learning.text.indexOf('data-testid="past"'));
      expect(past).toContain(`href="/offerings/${offeringId}"`);
      expect(past).toContain('已退课');
    });

    it('gives the reasons in words and no enrol button when not eligible, and refuses the post with 422 naming them', async () => {
      const { offeringId } = await createOffering(t.db.pool, { audience: { posts: ['principal'] } });
      const browser = await signIn('teacher');
      const page = await browser.get(`/offerings/${offeringId}`).expect(200);
      expect(page.text).toContain('data-testid="ineligible-reasons"');
      expect(page.text).toContain('不在本课程的培训对象范围内');
      expect(page.text).not.toContain('data-testid="enrol"');
      const refused = await browser.post(`/offerings/${offeringId}/enrol`).type('form').send({ _csrf: csrfOf(page.text) }).expect(422);
      expect(refused.text).toContain('data-testid="action-error"');
      expect(refused.text).toContain('不在本课程的培训对象范围内');
      expect(await statusesIn(offeringId)).toEqual({});
    });

    it('tells a learner after the deadline to ask an administrator, and refuses their withdrawal', async () => {
      const { offeringId } = await createOffering(t.db.pool, { withdrawIn: -1 });
      const [learner] = await teachers(t.db.pool, 1, `u.username = 't00303'`);
      const { id } = await enrolByApi(learner.username, offeringId);
      const browser = await signIn(learner.username);
      const page = await browser.get(`/offerings/${offeringId}`).expect(200);
      expect(page.text).toContain('data-testid="withdraw-closed"');
      expect(page.text).not.toContain('data-testid="withdraw"');
      const refused = await browser.post(`/offerings/${offeringId}/withdraw`).type('form').send({ _csrf: csrfOf(page.text) }).expect(422);
      expect(refused.text).toContain('已过退课截止时间');
      expect(await statusOf(id)).toBe('enrolled');
    });

    it('requires the CSRF token on every form post and changes nothing without it', async () => {
      const { offeringId } = await createOffering(t.db.pool);
      const browser = await signIn('teacher');
      await browser.get(`/offerings/${offeringId}`).expect(200);
      await browser.post(`/offerings/${offeringId}/enrol`).type('form').send({}).expect(403);
      await browser.post(`/offerings/${offeringId}/enrol`).type('form').send({ _csrf: 'forged' }).expect(403);
      expect(await statusesIn(offeringId)).toEqual({});
      const admin = await signIn('district_admin');
      await admin.post(`/courses/offerings/${offeringId}/cancel`).type('form').send({ reason: '无令牌' }).expect(403);
      await admin.post(`/courses/offerings/${offeringId}/capacity`).type('form').send({ capacity: '1' }).expect(403);
      const { rows: [offering] } = await t.db.pool.query('SELECT status, capacity FROM offering WHERE id = $1', [offeringId]);
      expect(offering).toEqual({ status: 'published', capacity: 10 });
      const kgAdmin = await signIn('kg_admin');
      await kgAdmin.post('/approvals/00000000-0000-4000-8000-000000000000/decline').type('form').send({ reason: 'x' }).expect(403);
    });

    it('renders in English', async () => {
      const { offeringId, courseId } = await createOffering(t.db.pool, { capacity: 1 });
      const course = await courseOf(courseId);
      const browser = await signIn('teacher');
      await browser.get(`/offerings/${offeringId}?lang=en`).expect(303);
      const page = await browser.get(`/offerings/${offeringId}`).expect(200);
      expect(page.text).toContain('<html lang="en">');
      expect(page.text).toContain('Knowledge and skills');
      expect(page.text).toContain(`${course.hours} hours / ${course.credits} credits`);
      expect(page.text).toMatch(/data-testid="enrol">Enrol</);
      expect(page.text).toContain('Add to calendar (.ics)');
      await browser.post(`/offerings/${offeringId}/enrol`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
      const enrolled = await browser.get(`/offerings/${offeringId}`).expect(200);
      expect(enrolled.text).toContain('You are enrolled');
      expect(enrolled.text).toMatch(/data-testid="my-status">Enrolled</);
      expect((await browser.get('/my-learning').expect(200)).text).toMatch(/<h1[^>]*>My learning<\/h1>/);
      const kgAdmin = await signIn('kg_admin');
      await kgAdmin.get('/approvals?lang=en').expect(303);
      expect((await kgAdmin.get('/approvals').expect(200)).text).toMatch(/<h1[^>]*>Enrolment approvals<\/h1>/);
    });
  });

  describe('approvals', () => {
    it('is for approvers only: a teacher gets 403', async () => {
      const browser = await signIn('teacher');
      await browser.get('/approvals').expect(403);
      const { offeringId } = await createOffering(t.db.pool, { approvalMode: 'kindergarten' });
      const { id } = await enrolByApi('teacher', offeringId);
      const csrf = csrfOf((await browser.get('/my-learning').expect(200)).text);
      await browser.post(`/approvals/${id}/approve`).type('form').send({ _csrf: csrf }).expect(403);
      expect(await statusOf(id)).toBe('pending_approval');
    });

    it('lists the kindergarten\'s requests, refuses a decline without a reason (400, nothing changed), declines and approves', async () => {
      const { offeringId } = await createOffering(t.db.pool, { approvalMode: 'kindergarten' });
      const { id: teacherRequest } = await enrolByApi('teacher', offeringId);
      const [stranger] = await teachers(t.db.pool, 1, `p.current_org_unit_id <> (SELECT id FROM org_unit WHERE code = 'SH-QP-K001')`);
      const { id: strangerRequest } = await enrolByApi(stranger.username, offeringId);
      const [colleague] = await teachers(t.db.pool, 1, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K001')
        AND p.id NOT IN (SELECT person_id FROM app_user WHERE username IN ('teacher', 'kg_admin') AND person_id IS NOT NULL)`);
      const { id: colleagueRequest } = await enrolByApi(colleague.username, offeringId);

      const browser = await signIn('kg_admin');
      const inbox = await browser.get('/approvals').expect(200);
      expect(inbox.text).toContain(`id="approval-${teacherRequest}"`);
      expect(inbox.text).toContain(`id="approval-${colleagueRequest}"`);
      expect(inbox.text).not.toContain(`id="approval-${strangerRequest}"`);
      expect(inbox.text).toContain('园所审批');
      const csrf = csrfOf(inbox.text);

      const blank = await browser.post(`/approvals/${teacherRequest}/decline`).type('form').send({ _csrf: csrf, reason: '  ' }).expect(400);
      expect(blank.text).toContain('data-field-error="reason"');
      expect(blank.text).toContain('请填写不同意的理由');
      expect(await statusOf(teacherRequest)).toBe('pending_approval');

      await browser.post(`/approvals/${teacherRequest}/decline`).type('form').send({ _csrf: csrf, reason: '本学期教学任务冲突' }).expect(303);
      expect(await statusOf(teacherRequest)).toBe('declined');
      const learner = await signIn('teacher');
      expect((await learner.get(`/offerings/${offeringId}`).expect(200)).text).toContain('未通过原因：本学期教学任务冲突');

      // With htmx the answer is the row alone, showing the outcome.
      const row = await browser.post(`/approvals/${colleagueRequest}/approve`).set('HX-Request', 'true').set('X-CSRF-Token', csrf).type('form').send({}).expect(200);
      expect(row.text.trim()).toMatch(/^<tr id="approval-/);
      expect(row.text).not.toContain('<html');
      expect(row.text).toContain('已处理：已录取');
      expect(await statusOf(colleagueRequest)).toBe('enrolled');

      // Deciding again says why, in place, and changes nothing.
      const twice = await browser.post(`/approvals/${teacherRequest}/approve`).set('HX-Request', 'true').set('X-CSRF-Token', csrf).type('form').send({}).expect(409);
      expect(twice.text).toContain('data-testid="approval-error"');
      expect(await statusOf(teacherRequest)).toBe('declined');
      // Another kindergarten's request is not there to decide.
      await browser.post(`/approvals/${strangerRequest}/approve`).type('form').send({ _csrf: csrf }).expect(404);
      expect(await statusOf(strangerRequest)).toBe('pending_approval');
    });
  });

  describe('the roster', () => {
    it('shows every enrolment by status with the waitlist in order to the district, and 404 to other kindergartens\' managers', async () => {
      const { offeringId } = await createOffering(t.db.pool, { capacity: 1 });
      const crowd = await teachers(t.db.pool, 3, `u.username IN ('t00501', 't00502', 't00503')`);
      for (const l of crowd) await enrolByApi(l.username, offeringId);
      const admin = await signIn('district_admin');
      const page = await admin.get(`/courses/offerings/${offeringId}/roster`).expect(200);
      expect(page.text).toContain('名额 1 · 已占用 1 · 候补 2 · 待审批 0');
      const names: Record<string, string> = Object.fromEntries((await t.db.pool.query(
        `SELECT u.username, p.full_name FROM app_user u JOIN person p ON p.id = u.person_id WHERE u.username = ANY($1)`, [crowd.map((c) => c.username)])).rows
        .map((r) => [r.username, r.full_name]));
      const waitlist = page.text.slice(page.text.indexOf('data-status="waitlisted"'));
      expect(waitlist.indexOf('第 1 位')).toBeLessThan(waitlist.indexOf(names.t00503));
      expect(waitlist.indexOf(names.t00502)).toBeLessThan(waitlist.indexOf(names.t00503));
      expect((await admin.get(`/courses/offerings/${offeringId}`).expect(200)).text).toContain(`href="/courses/offerings/${offeringId}/roster"`);

      const kgAdmin = await signIn('kg_admin');
      await kgAdmin.get(`/courses/offerings/${offeringId}/roster`).expect(404);
      const other = await createOffering(t.db.pool, { level: 'kindergarten', ownerCode: 'SH-QP-K002' });
      await kgAdmin.get(`/courses/offerings/${other.offeringId}/roster`).expect(404);
      const own = await createOffering(t.db.pool, { level: 'kindergarten', ownerCode: 'SH-QP-K001' });
      await kgAdmin.get(`/courses/offerings/${own.offeringId}/roster`).expect(200);
      await (await signIn('teacher')).get(`/courses/offerings/${offeringId}/roster`).expect(403);
    });

    it('finds staff by name and enrols them, and withdraws a learner after the deadline', async () => {
      const { offeringId } = await createOffering(t.db.pool, { withdrawIn: -1 });
      const [learner] = await teachers(t.db.pool, 1, `u.username = 't00510'`);
      const { rows: [person] } = await t.db.pool.query('SELECT full_name FROM person WHERE id = $1', [learner.personId]);
      const admin = await signIn('district_admin');
      const search = await admin.get(`/courses/offerings/${offeringId}/roster?q=${encodeURIComponent(person.full_name)}`).expect(200);
      expect(search.text).toContain(`name="personId" value="${learner.personId}"`);
      const csrf = csrfOf(search.text);
      const bad = await admin.post(`/courses/offerings/${offeringId}/roster/enrol`).type('form').send({ _csrf: csrf, personId: 'nobody' }).expect(400);
      expect(bad.text).toMatch(/data-testid="action-error">请检查此项</);
      const nobody = await admin.post(`/courses/offerings/${offeringId}/roster/enrol`).type('form').send({ _csrf: csrf }).expect(400);
      expect(nobody.text).toMatch(/data-testid="action-error">此项必填</);
      expect(await statusesIn(offeringId)).toEqual({});
      await admin.post(`/courses/offerings/${offeringId}/roster/enrol`).type('form').send({ _csrf: csrf, personId: learner.personId }).expect(303);
      const [enrolment] = (await t.db.pool.query('SELECT id, status FROM enrollment WHERE offering_id = $1', [offeringId])).rows;
      expect(enrolment.status).toBe('enrolled');
      const roster = await admin.get(`/courses/offerings/${offeringId}/roster`).expect(200);
      expect(roster.text).toContain('已为该教职工报名');
      expect(roster.text).toContain(`/roster/${enrolment.id}/withdraw`);
      await admin.post(`/courses/offerings/${offeringId}/roster/${enrolment.id}/withdraw`).type('form').send({ _csrf: csrf, reason: '园所另有安排' }).expect(303);
      expect(await statusOf(enrolment.id)).toBe('withdrawn');
    });

    it('lets a kindergarten admin find and enrol only their own staff in their 园本 offering', async () => {
      const { offeringId } = await createOffering(t.db.pool, { level: 'kindergarten', ownerCode: 'SH-QP-K001' });
      const [own] = await teachers(t.db.pool, 1, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K001')`);
      const [outsider] = await teachers(t.db.pool, 1, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K002')`);
      const names = async (personId: string) => (await t.db.pool.query('SELECT full_name FROM person WHERE id = $1', [personId])).rows[0].full_name as string;
      const kgAdmin = await signIn('kg_admin');
      const found = await kgAdmin.get(`/courses/offerings/${offeringId}/roster?q=${encodeURIComponent(await names(own.personId))}`).expect(200);
      expect(found.text).toContain(`value="${own.personId}"`);
      const hidden = await kgAdmin.get(`/courses/offerings/${offeringId}/roster?q=${encodeURIComponent(await names(outsider.personId))}`).expect(200);
      expect(hidden.text).not.toContain(`value="${outsider.personId}"`);
      const csrf = csrfOf(found.text);
      const refused = await kgAdmin.post(`/courses/offerings/${offeringId}/roster/enrol`).type('form').send({ _csrf: csrf, personId: outsider.personId }).expect(400);
      expect(refused.text).toContain('在您的管理范围内找不到该教职工');
      await kgAdmin.post(`/courses/offerings/${offeringId}/roster/enrol`).type('form').send({ _csrf: csrf, personId: own.personId }).expect(303);
      expect(Object.values(await statusesIn(offeringId))).toEqual(['enrolled']);
    });

    it('refuses a capacity below the seats taken unless asked to bump, and a bad number, naming the field', async () => {
      const { offeringId } = await createOffering(t.db.pool, { capacity: 3 });
      const crowd = await teachers(t.db.pool, 3, `u.username IN ('t00601', 't00602', 't00603')`);
      for (const l of crowd) await enrolByApi(l.username, offeringId);
      const admin = await signIn('district_admin');
      const csrf = csrfOf((await admin.get(`/courses/offerings/${offeringId}/roster`).expect(200)).text);

      const junk = await admin.post(`/courses/offerings/${offeringId}/capacity`).type('form').send({ _csrf: csrf, capacity: 'abc' }).expect(400);
      expect(junk.text).toContain('data-field-error="capacity"');
      expect(junk.text).toContain('请输入整数');
      expect(junk.text).toContain('value="abc"');
      const below = await admin.post(`/courses/offerings/${offeringId}/capacity`).type('form').send({ _csrf: csrf, capacity: '2' }).expect(409);
      expect(below.text).toContain('data-field-error="capacity"');
      expect(below.text).toContain('已占用 3 个名额');
      expect((await t.db.pool.query('SELECT capacity FROM offering WHERE id = $1', [offeringId])).rows[0].capacity).toBe(3);
      expect(Object.values(await statusesIn(offeringId))).toEqual(['enrolled', 'enrolled', 'enrolled']);

      await admin.post(`/courses/offerings/${offeringId}/capacity`).type('form').send({ _csrf: csrf, capacity: '2', bumpToWaitlist: 'on' }).expect(303);
      expect(await statusesIn(offeringId)).toEqual({ t00601: 'enrolled', t00602: 'enrolled', t00603: 'waitlisted' });
      expect((await admin.get(`/courses/offerings/${offeringId}/roster`).expect(200)).text).toContain('名额已调整');
    });

    it('cancels the offering only with a reason, and every learner\'s enrolment with it', async () => {
      const { offeringId } = await createOffering(t.db.pool);
      const [learner] = await teachers(t.db.pool, 1, `u.username = 't00701'`);
      await enrolByApi(learner.username, offeringId);
      const admin = await signIn('district_admin');
      const csrf = csrfOf((await admin.get(`/courses/offerings/${offeringId}/roster`).expect(200)).text);
      const blank = await admin.post(`/courses/offerings/${offeringId}/cancel`).type('form').send({ _csrf: csrf, reason: '' }).expect(400);
      expect(blank.text).toContain('data-field-error="reason"');
      expect((await t.db.pool.query('SELECT status FROM offering WHERE id = $1', [offeringId])).rows[0].status).toBe('published');

      await admin.post(`/courses/offerings/${offeringId}/cancel`).type('form').send({ _csrf: csrf, reason: '讲师临时有事' }).expect(303);
      expect(await statusesIn(offeringId)).toEqual({ t00701: 'cancelled' });
      const roster = await admin.get(`/courses/offerings/${offeringId}/roster`).expect(200);
      expect(roster.text).toContain('该班次已取消：讲师临时有事');
      expect(roster.text).not.toContain('data-testid="cancel-form"');
      const learnerPage = await (await signIn(learner.username)).get(`/offerings/${offeringId}`).expect(200);
      expect(learnerPage.text).toContain('该班次已取消。');
      expect(learnerPage.text).not.toContain('data-testid="enrol"');
    });
  });
});
