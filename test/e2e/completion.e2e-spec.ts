import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { completionFixtures, type CourseRun } from '../support/completion-fixtures.js';
import { JobHandlerRegistry } from '../../src/queue/job-queue.js';

type Condition = { kind: string; met: boolean; text: string; state: string | null };

describe('completion: evaluated at once, exactly one credit and one certificate, conditions view, reopen', () => {
  let t: TestApp;
  let f: ReturnType<typeof completionFixtures>;
  let run: CourseRun;
  let assignmentId: string;
  let surveyId: string;
  const learners: Record<string, { enrollmentId: string; personId: string }> = {};
  const get = async (path: string, username: string) => t.http().get(path).set(f.auth(await t.token(username)));
  const post = async (path: string, username: string, body: object = {}) => t.http().post(path).set(f.auth(await t.token(username))).send(body);
  const ledgerOf = (enrollmentId: string) => t.db.pool.query(
    `SELECT source_key, hours::float8 AS hours, credits::float8 AS credits, category, level, source, reverses_entry_id FROM credit_entry
      WHERE source_key LIKE $1 OR reverses_entry_id IN (SELECT id FROM credit_entry WHERE source_key LIKE $1) ORDER BY recorded_at`, [`completion:${enrollmentId}:%`]);
  const certificatesOf = (enrollmentId: string) => t.db.pool.query(
    `SELECT cert.id, cert.status, cert.code, cert.file_id, cert.revoke_reason, c.sequence FROM certificate cert JOIN completion c ON c.id = cert.completion_id
      WHERE c.enrollment_id = $1 ORDER BY cert.created_at`, [enrollmentId]);

  beforeAll(async () => {
    t = await startTestApp();
    f = completionFixtures(t);
    await f.fx.createTrainer('trainer2');
    run = await f.run({ title: '幼儿园游戏化教学实践', credits: 1.5, meetings: 2, hoursEach: 4 });
    for (const username of ['teacher', 't00002', 't00003', 't00004']) learners[username] = await f.fx.enrolUser(run.offeringId, username);
    assignmentId = await f.ax.createItem(run.offeringId, { title: '游戏观察记录', maxPoints: 100, passPoints: 60 });
    surveyId = await f.ax.createItem(run.offeringId, { kind: 'survey', title: '课程评价', questions: [{ id: 'q1', kind: 'rating', prompt: '总体评价', required: true }] });
    const rule = await post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer',
      { minAttendanceShare: 0.75, requiredItemIds: [assignmentId], requireEvaluation: true, combine: 'all' });
    expect(rule.status).toBe(201);
  });
  afterAll(() => t?.close());

  it('shows the learner which conditions are met and which are missing, in words', async () => {
    const { enrollmentId } = learners.teacher;
    await f.mark(run.meetingIds[0], [{ enrollmentId, status: 'present' }]);
    const res = await get(`/api/enrollments/${enrollmentId}/completion`, 'teacher');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ complete: false, outcome: 'incomplete', completion: null, courseTitle: '幼儿园游戏化教学实践' });
    expect(res.body.conditions.map((c: Condition) => [c.kind, c.met, c.text])).toEqual([
      ['attendance', false, '已出勤 4 / 8 学时，需达到 6 学时（75%）'],
      ['item', false, '「游戏观察记录」尚未提交'],
      ['evaluation', false, '尚未提交课程评价'],
    ]);
    expect(res.body.ruleInForce).toMatchObject({ minAttendanceShare: 0.75, requireEvaluation: true, combine: 'all', inForce: true });

    await f.ax.submit(assignmentId, enrollmentId);
    await f.ax.grade(assignmentId, enrollmentId, { points: 55, passed: false, released: false });
    const hidden = await t.http().get(`/api/enrollments/${enrollmentId}/completion?lang=en`).set(f.auth(await t.token('teacher')));
    expect(hidden.body.conditions[1]).toMatchObject({ state: 'not_released', text: '"游戏观察记录" graded, not yet released' });
    await t.db.pool.query(`UPDATE grade SET released_at = now() WHERE item_id = $1 AND enrollment_id = $2`, [assignmentId, enrollmentId]);
    const failed = await get(`/api/enrollments/${enrollmentId}/completion`, 'teacher');
    expect(failed.body.conditions[1]).toMatchObject({ met: false, state: 'failed', text: '「游戏观察记录」未通过：55 分 < 及格线 60 分' });
  });

  it('completes at once when the last condition (attendance, through the attendance API) is met: one ledger entry, one issued certificate', async () => {
    const { enrollmentId } = learners.teacher;
    await t.db.pool.query(`UPDATE grade SET points = 82, raw_points = 82, passed = true WHERE item_id = $1 AND enrollment_id = $2`, [assignmentId, enrollmentId]);
    await f.ax.submit(surveyId, enrollmentId, { answers: { q1: 5 } });
    await f.evaluate([enrollmentId]);
    expect((await get(`/api/enrollments/${enrollmentId}/completion`, 'teacher')).body.complete).toBe(false);

    await f.mark(run.meetingIds[1], [{ enrollmentId, status: 'present' }]);
    const res = await get(`/api/enrollments/${enrollmentId}/completion`, 'teacher');
    expect(res.body).toMatchObject({ complete: true, outcome: 'complete', enrollmentStatus: 'completed' });
    expect(res.body.conditions.every((c: Condition) => c.met)).toBe(true);
    expect(res.body.completion).toMatchObject({ sequence: 1, hours: 8, credits: 1.5, partial: false, certificate: { status: 'issued' } });
    expect(res.body.completion.certificate.code).toMatch(/^[A-HJ-NP-Z2-9]{16}$/);

    expect((await ledgerOf(enrollmentId)).rows).toEqual([
      { source_key: `completion:${enrollmentId}:1`, hours: 8, credits: 1.5, category: 'knowledge_skills', level: 'district', source: 'course_completion', reverses_entry_id: null },
    ]);
    const certificates = (await certificatesOf(enrollmentId)).rows;
    expect(certificates).toHaveLength(1);
    expect(certificates[0]).toMatchObject({ status: 'issued', sequence: 1 });
    expect(certificates[0].file_id).not.toBeNull();
    const notice = await f.one(`SELECT count(*) FROM enrollment_event WHERE enrollment_id = $1 AND to_status = 'completed'`, [enrollmentId]);
    expect(Number(notice.count)).toBe(1);
  });

  it('stays at exactly one completion, entry and certificate under 10 concurrent evaluations and concurrent attendance saves', async () => {
    const { enrollmentId } = learners.t00002;
    await f.ax.submit(assignmentId, enrollmentId);
    await f.ax.grade(assignmentId, enrollmentId, { points: 90, passed: true });
    await f.ax.submit(surveyId, enrollmentId, { answers: { q1: 4 } });
    // Attendance written straight in, so nothing has evaluated yet; then everything races.
    for (const meetingId of run.meetingIds) {
      await t.db.pool.query(
        `INSERT INTO attendance (meeting_id, enrollment_id, person_id, district_id, status, hours, source, marked_at)
         SELECT $1, e.id, e.person_id, e.district_id, 'present', 4, 'trainer', now() FROM enrollment e WHERE e.id = $2`, [meetingId, enrollmentId]);
    }
    const records = [{ enrollmentId, status: 'present' }];
    await Promise.all([
      ...Array.from({ length: 10 }, () => f.evaluate([enrollmentId])),
      f.mark(run.meetingIds[0], records), f.mark(run.meetingIds[1], records),
    ]);
    expect(await f.count(`SELECT count(*) FROM completion WHERE enrollment_id = $1`, [enrollmentId])).toBe(1);
    expect((await ledgerOf(enrollmentId)).rows).toHaveLength(1);
    expect((await certificatesOf(enrollmentId)).rows.map((c) => c.status)).toEqual(['issued']);
    expect(await f.count(`SELECT count(*) FROM stored_file f JOIN certificate c ON c.file_id = f.id JOIN completion co ON co.id = c.completion_id
                           WHERE co.enrollment_id = $1`, [enrollmentId])).toBe(1);
  });

  it('a retried render job and a second evaluation change nothing', async () => {
    const { enrollmentId } = learners.teacher;
    const [certificate] = (await certificatesOf(enrollmentId)).rows;
    const files = () => f.count(`SELECT count(*) FROM stored_file WHERE purpose = 'certificate'`);
    const before = await files();
    const registry = t.app.get(JobHandlerRegistry);
    await registry.run('certificate.render', { certificateId: certificate.id });
    await registry.run('certificate.render', { certificateId: certificate.id });
    await f.evaluate([enrollmentId, enrollmentId]);
    expect(await files()).toBe(before);
    expect((await certificatesOf(enrollmentId)).rows).toEqual([certificate]);
    expect((await ledgerOf(enrollmentId)).rows).toHaveLength(1);
  });

  it('shows the trainer every learner against the conditions; others are refused', async () => {
    const res = await get(`/api/offerings/${run.offeringId}/completions`, 'trainer');
    expect(res.status).toBe(200);
    expect(res.body.columns.map((c: { kind: string; title: string | null }) => [c.kind, c.title])).toEqual([['attendance', null], ['item', '游戏观察记录'], ['evaluation', null]]);
    const byId = new Map(res.body.learners.map((l: { enrollmentId: string }) => [l.enrollmentId, l]));
    expect(byId.get(learners.teacher.enrollmentId)).toMatchObject({ complete: true, outcome: 'complete', cells: [{ met: true, text: '8/8' }, { met: true }, { met: true }] });
    expect(byId.get(learners.t00003.enrollmentId)).toMatchObject({ complete: false, cells: [{ met: false, text: '0/8' }, { met: false, text: '未提交' }, { met: false, text: '未提交' }] });
    expect(res.body.totals).toEqual({ learners: 4, complete: 2 });

    expect((await get(`/api/offerings/${run.offeringId}/completions`, 'trainer2')).status).toBe(404);
    expect((await get(`/api/offerings/${run.offeringId}/completions`, 'teacher')).status).toBe(403);
    expect((await get(`/api/enrollments/${learners.t00003.enrollmentId}/completion`, 'trainer')).status).toBe(200);
    expect((await get(`/api/enrollments/${learners.t00003.enrollmentId}/completion`, 'district_admin')).status).toBe(200);
    for (const who of ['teacher', 'expert', 'group_admin']) expect((await get(`/api/enrollments/${learners.t00003.enrollmentId}/completion`, who)).status).toBe(404);
    expect((await get(`/api/enrollments/${randomUUID()}/completion`, 'district_admin')).status).toBe(404);
  });

  it('the pages show the learner their conditions and certificate link, and the trainer the table with the rule form', async () => {
    const learner = await t.signInPages('teacher');
    const page = await learner.get(`/learning/enrollments/${learners.teacher.enrollmentId}/completion`).expect(200);
    expect(page.text).toContain('已结业');
    expect(page.text).toContain('已出勤 8 / 8 学时');
    expect(page.text).toMatch(/href="\/certificates\/[0-9a-f-]{36}"/);
    await learner.get(`/learning/enrollments/${learners.t00003.enrollmentId}/completion`).expect(404);
    const trainer = await t.signInPages('trainer');
    const table = await trainer.get(`/teaching/offerings/${run.offeringId}/completion`).expect(200);
    expect(table.text).toContain('data-testid="completion-table"');
    expect(table.text).toContain('游戏观察记录');
    expect(table.text).toContain('data-testid="rule-history"');
  });

  it('reopens a completion (district scope): reversal entry, revoked certificate, enrolled again; twice is 409; then completes again with a second entry', async () => {
    const { enrollmentId } = learners.teacher;
    expect((await post(`/api/enrollments/${enrollmentId}/completion/reopen`, 'trainer', { reason: '成绩更正' })).status).toBe(403);
    expect((await post(`/api/enrollments/${enrollmentId}/completion/reopen`, 'teacher', { reason: '成绩更正' })).status).toBe(403);
    const blank = await post(`/api/enrollments/${enrollmentId}/completion/reopen`, 'district_admin', { reason: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.details.fields.map((p: { field: string }) => p.field)).toEqual(['reason']);

    const res = await post(`/api/enrollments/${enrollmentId}/completion/reopen`, 'district_admin', { reason: '作业成绩登记错误，需重新评定' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ complete: false, enrollmentStatus: 'enrolled', reopened: [{ sequence: 1, reason: '作业成绩登记错误，需重新评定' }] });
    const ledger = (await ledgerOf(enrollmentId)).rows;
    expect(ledger.map((e) => [e.hours, e.credits])).toEqual([[8, 1.5], [-8, -1.5]]);
    expect((await certificatesOf(enrollmentId)).rows).toMatchObject([{ status: 'revoked', revoke_reason: '作业成绩登记错误，需重新评定' }]);
    const completion = await f.one(`SELECT reopened_by, reversal_entry_id FROM completion WHERE enrollment_id = $1`, [enrollmentId]);
    expect(completion.reopened_by).toBe(await f.fx.userId('district_admin'));
    expect(completion.reversal_entry_id).not.toBeNull();
    expect(await f.count(`SELECT count(*) FROM audit_log WHERE entity_type = 'completion' AND action = 'reopen'`)).toBe(1);

    const again = await post(`/api/enrollments/${enrollmentId}/completion/reopen`, 'district_admin', { reason: '再次' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('COMPLETION_NOT_OPEN');

    await f.evaluate([enrollmentId]);
    const second = await get(`/api/enrollments/${enrollmentId}/completion`, 'teacher');
    expect(second.body.completion).toMatchObject({ sequence: 2, certificate: { status: 'issued' } });
    expect((await ledgerOf(enrollmentId)).rows.map((e) => e.source_key)).toEqual([`completion:${enrollmentId}:1`, null, `completion:${enrollmentId}:2`]);
    expect((await certificatesOf(enrollmentId)).rows.map((c) => [c.sequence, c.status])).toEqual([[1, 'revoked'], [2, 'issued']]);
  });
});
