import { startTestApp, type TestApp } from '../support/test-app.js';
import { completionFixtures, type CourseRun } from '../support/completion-fixtures.js';
import { CompletionService } from '../../src/modules/assessment/completion.service.js';

type Problem = { field: string; code: string };
const HOUR = 3_600_000;

describe('completion rules: effective-dated, checked, partial credit, the sweep', () => {
  let t: TestApp;
  let f: ReturnType<typeof completionFixtures>;
  const post = async (path: string, username: string, body: object) => t.http().post(path).set(f.auth(await t.token(username))).send(body);
  const get = async (path: string, username: string) => t.http().get(path).set(f.auth(await t.token(username)));
  const fields = (res: { body: { error: { details: { fields: Problem[] } } } }) => res.body.error.details.fields.map((p) => p.field);
  const completionOf = (enrollmentId: string) => f.one<{ rule_id: string; partial: boolean; hours: number; credits: number; conditions: unknown[] } | undefined>(
    `SELECT rule_id, partial, hours::float8 AS hours, credits::float8 AS credits, conditions FROM completion WHERE enrollment_id = $1 AND reopened_at IS NULL`, [enrollmentId]);

  beforeAll(async () => {
    t = await startTestApp();
    f = completionFixtures(t);
  });
  afterAll(() => t?.close());

  describe('an offering\'s rules over time', () => {
    let run: CourseRun;
    const learners: Record<string, { enrollmentId: string }> = {};
    beforeAll(async () => {
      run = await f.run({ minAttendanceShare: 0.5, meetings: 2, hoursEach: 4 });
      for (const username of ['t00011', 't00012', 't00013']) learners[username] = await f.fx.enrolUser(run.offeringId, username);
    });

    it('starts from a default rule (the offering\'s attendance minimum, from its creation), made when first needed', async () => {
      expect(await f.count(`SELECT count(*) FROM completion_rule WHERE offering_id = $1`, [run.offeringId])).toBe(0);
      const res = await get(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer');
      expect(res.status).toBe(200);
      const created = await f.one<{ created_at: Date }>(`SELECT created_at FROM offering WHERE id = $1`, [run.offeringId]);
      expect(res.body.rules).toHaveLength(1);
      expect(res.body.rules[0]).toMatchObject({ minAttendanceShare: 0.5, requiredItems: [], inForce: true, combine: 'all' });
      expect(new Date(res.body.rules[0].effectiveFrom).getTime()).toBe(created.created_at.getTime());
      expect(res.body.inForceId).toBe(res.body.rules[0].id);
    });

    it('keeps a completion under rule 1 when rule 2 comes, and judges learners not yet complete by rule 2', async () => {
      await f.mark(run.meetingIds[0], [{ enrollmentId: learners.t00011.enrollmentId, status: 'present' }]);
      const first = await completionOf(learners.t00011.enrollmentId);
      const rules1 = (await get(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer')).body;
      expect(first?.rule_id).toBe(rules1.inForceId);

      const stricter = await post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer', { minAttendanceShare: 0.9 });
      expect(stricter.status).toBe(201);
      expect(stricter.body.rule).toMatchObject({ minAttendanceShare: 0.9, inForce: true });
      expect(stricter.body.rules.map((r: { inForce: boolean }) => r.inForce)).toEqual([true, false]);
      expect((await f.one<{ m: number }>(`SELECT min_attendance_share::float8 AS m FROM offering WHERE id = $1`, [run.offeringId])).m).toBe(0.9);

      // The same half of the hours completed t00011 under rule 1; t00012 now needs 90%.
      await f.mark(run.meetingIds[0], [{ enrollmentId: learners.t00012.enrollmentId, status: 'present' }]);
      expect(await completionOf(learners.t00012.enrollmentId)).toBeUndefined();
      const status = await get(`/api/enrollments/${learners.t00012.enrollmentId}/completion`, 't00012');
      expect(status.body.conditions[0].text).toBe('已出勤 4 / 8 学时，需达到 7.2 学时（90%）');
      expect(await completionOf(learners.t00011.enrollmentId)).toEqual(first);
      const kept = await get(`/api/enrollments/${learners.t00011.enrollmentId}/completion`, 't00011');
      expect(kept.body).toMatchObject({ complete: true, judgedBy: { id: rules1.inForceId, minAttendanceShare: 0.5 }, ruleInForce: { minAttendanceShare: 0.9 } });

      await f.mark(run.meetingIds[1], [{ enrollmentId: learners.t00012.enrollmentId, status: 'present' }]);
      expect((await completionOf(learners.t00012.enrollmentId))?.rule_id).toBe(stricter.body.rule.id);
    });

    it('a rule effective later leaves the rule in force until then; a more lenient rule in force completes waiting learners at once', async () => {
      await f.mark(run.meetingIds[0], [{ enrollmentId: learners.t00013.enrollmentId, status: 'present' }]);
      const later = new Date(Date.now() + 48 * HOUR).toISOString();
      const upcoming = await post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer', { minAttendanceShare: 0.25, effectiveFrom: later });
      expect(upcoming.status).toBe(201);
      expect(upcoming.body.rule).toMatchObject({ inForce: false, upcoming: true });
      expect(await completionOf(learners.t00013.enrollmentId)).toBeUndefined();
      expect((await f.one<{ m: number }>(`SELECT min_attendance_share::float8 AS m FROM offering WHERE id = $1`, [run.offeringId])).m).toBe(0.9);

      const lenient = await post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer', { minAttendanceShare: 0.5 });
      expect(lenient.status).toBe(201);
      expect((await completionOf(learners.t00013.enrollmentId))?.rule_id).toBe(lenient.body.rule.id);
    });

    it('takes an attendance minimum edited on the offering form as a new rule from now, keeping the other terms', async () => {
      const { version } = await f.one<{ version: number }>(`SELECT version FROM offering WHERE id = $1`, [run.offeringId]);
      const before = (await get(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer')).body;
      const edited = await t.http().patch(`/api/offerings/${run.offeringId}`).set(f.auth(await t.token('district_admin'))).send({ minAttendanceShare: 0.7, version });
      expect(edited.status).toBeLessThan(300);
      const after = (await get(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer')).body;
      expect(after.rules).toHaveLength(before.rules.length + 1);
      expect(after.rules.find((r: { id: string }) => r.id === after.inForceId)).toMatchObject({ minAttendanceShare: 0.7, combine: 'all', inForce: true });
      expect(await f.count(`SELECT count(*) FROM audit_log WHERE entity_type = 'completion_rule' AND after->>'from' = 'offering'`)).toBe(1);
    });

    it('a double click saves the rule once', async () => {
      const before = await f.count(`SELECT count(*) FROM completion_rule WHERE offering_id = $1`, [run.offeringId]);
      const body = { minAttendanceShare: 0.6, combine: 'any' };
      const [a, b] = await Promise.all([post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer', body), post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer', body)]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(await f.count(`SELECT count(*) FROM completion_rule WHERE offering_id = $1`, [run.offeringId])).toBe(before + 1);
    });
  });

  describe('bad rules and who may set them', () => {
    let run: CourseRun;
    let assignmentId: string;
    let surveyId: string;
    let archivedId: string;
    beforeAll(async () => {
      run = await f.run();
      assignmentId = await f.ax.createItem(run.offeringId, { title: '作业一' });
      surveyId = await f.ax.createItem(run.offeringId, { kind: 'survey' });
      archivedId = await f.ax.createItem(run.offeringId, { title: '旧作业' });
      await t.db.pool.query(`UPDATE assessment_item SET archived_at = now() WHERE id = $1`, [archivedId]);
      await f.fx.createTrainer('trainer3');
    });

    it('names every bad field and writes nothing', async () => {
      const otherRun = await f.run();
      const foreign = await f.ax.createItem(otherRun.offeringId);
      await get(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer');
      const count = () => f.count(`SELECT count(*) FROM completion_rule WHERE offering_id = $1`, [run.offeringId]);
      const before = await count();
      const res = await post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer', {
        minAttendanceShare: 0.6, requiredItemIds: [assignmentId, surveyId, foreign, archivedId, 'nope'], partialCreditFloor: 0.7,
        effectiveFrom: '2020-01-01T00:00:00+08:00',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields.map((p: Problem) => [p.field, p.code])).toEqual([
        ['requiredItemIds[1]', 'ITEM_IS_SURVEY'], ['requiredItemIds[2]', 'ITEM_NOT_IN_OFFERING'], ['requiredItemIds[3]', 'ITEM_ARCHIVED'],
        ['requiredItemIds[4]', 'ITEM_NOT_IN_OFFERING'], ['partialCreditFloor', 'FLOOR_NOT_BELOW_MINIMUM'], ['effectiveFrom', 'BEFORE_RULE_IN_FORCE'],
      ]);
      const shape = await post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer', { minAttendanceShare: 1.5, combine: 'most', effectiveFrom: 'tomorrow', colour: 'red' });
      expect(shape.status).toBe(400);
      expect(fields(shape).sort()).toEqual(['colour', 'combine', 'effectiveFrom', 'minAttendanceShare']);
      expect(await count()).toBe(before);
    });

    it('refuses to require the course evaluation of an offering without a survey (422)', async () => {
      const bare = await f.run();
      const res = await post(`/api/offerings/${bare.offeringId}/completion-rules`, 'trainer', { minAttendanceShare: 0.8, requireEvaluation: true });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('EVALUATION_SURVEY_MISSING');
      const ok = await post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer', { minAttendanceShare: 0.8, requireEvaluation: true, requiredItemIds: [assignmentId] });
      expect(ok.status).toBe(201);
    });

    it('lets only the offering\'s trainers and catalog managers over it set rules', async () => {
      const body = { minAttendanceShare: 0.7 };
      expect((await post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer3', body)).status).toBe(404);
      expect((await get(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer3')).status).toBe(404);
      expect((await post(`/api/offerings/${run.offeringId}/completion-rules`, 'teacher', body)).status).toBe(403);
      expect((await post(`/api/offerings/${run.offeringId}/completion-rules`, 'kg_admin', body)).status).toBe(404);
      expect((await post(`/api/offerings/${run.offeringId}/completion-rules`, 'district_admin', body)).status).toBe(201);
    });

    it('the trainer\'s form shows problems in words and keeps what was typed', async () => {
      const trainer = await t.signInPages('trainer');
      const page = await trainer.get(`/teaching/offerings/${run.offeringId}/completion`).expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const bad = await trainer.post(`/teaching/offerings/${run.offeringId}/completion/rules`).type('form')
        .send({ _csrf: csrf, minPercent: '60', floorPercent: '70', requiredItemIds: assignmentId, combine: 'all' }).expect(400);
      expect(bad.text).toContain('部分学分起点: 须低于最低出勤比例');
      expect(bad.text).toContain('value="70"');
      await trainer.post(`/teaching/offerings/${run.offeringId}/completion/rules`).type('form')
        .send({ _csrf: csrf, minPercent: '60', floorPercent: '40', requiredItemIds: assignmentId, combine: 'all' }).expect(303);
      const saved = await get(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer');
      expect(saved.body.rules[0]).toMatchObject({ minAttendanceShare: 0.6, partialCreditFloor: 0.4, requiredItems: [{ id: assignmentId, title: '作业一' }], inForce: true });
    });
  });

  describe('partial credit and the sweep', () => {
    it('after the last meeting, a share at or above the floor completes with hours attended and credits in proportion', async () => {
      const run = await f.run({ credits: 2, meetings: 2, hoursEach: 4 });
      const above = await f.fx.enrolUser(run.offeringId, 't00021');
      const below = await f.fx.enrolUser(run.offeringId, 't00022');
      expect((await post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer', { minAttendanceShare: 0.75, partialCreditFloor: 0.5 })).status).toBe(201);
      await f.mark(run.meetingIds[1], [{ enrollmentId: above.enrollmentId, status: 'late', hours: 1 }, { enrollmentId: below.enrollmentId, status: 'absent' }]);
      expect(await completionOf(above.enrollmentId)).toBeUndefined();
      await f.mark(run.meetingIds[0], [{ enrollmentId: above.enrollmentId, status: 'present' }, { enrollmentId: below.enrollmentId, status: 'left_early', hours: 3 }]);
      expect(await completionOf(above.enrollmentId)).toMatchObject({ partial: true, hours: 5, credits: 1.3 });
      expect(await completionOf(below.enrollmentId)).toBeUndefined();
      const entry = await f.one<{ hours: number; credits: number }>(`SELECT hours::float8 AS hours, credits::float8 AS credits FROM credit_entry WHERE source_key = $1`, [`completion:${above.enrollmentId}:1`]);
      expect(entry).toEqual({ hours: 5, credits: 1.3 });
      const status = await get(`/api/enrollments/${above.enrollmentId}/completion`, 't00021');
      expect(status.body).toMatchObject({ outcome: 'partial', completion: { partial: true, hours: 5, credits: 1.3 } });
      const snapshot = await f.one<{ snapshot: { partial: boolean; hours: number } }>(
        `SELECT snapshot FROM certificate c JOIN completion co ON co.id = c.completion_id WHERE co.enrollment_id = $1`, [above.enrollmentId]);
      expect(snapshot.snapshot).toMatchObject({ partial: true, hours: 5, credits: 1.3 });
    });

    it('gives no partial credit before the offering has ended; the sweep gives it once the last meeting is over', async () => {
      const run = await f.run({ credits: 2, meetings: 2, hoursEach: 4, startsInHours: -20 });
      const learner = await f.fx.enrolUser(run.offeringId, 't00023');
      await post(`/api/offerings/${run.offeringId}/completion-rules`, 'trainer', { minAttendanceShare: 0.75, partialCreditFloor: 0.5 });
      await f.mark(run.meetingIds[0], [{ enrollmentId: learner.enrollmentId, status: 'present' }]);
      expect(await completionOf(learner.enrollmentId)).toBeUndefined();
      // The second meeting ends (moved into the past); nobody evaluates until the sweep.
      await t.db.pool.query(`UPDATE meeting SET starts_at = now() - interval '5 hours', ends_at = now() - interval '1 hour' WHERE id = $1`, [run.meetingIds[1]]);
      const result = await t.app.get(CompletionService).sweep();
      expect(result.evaluated).toBeGreaterThanOrEqual(1);
      expect(await completionOf(learner.enrollmentId)).toMatchObject({ partial: true, hours: 4, credits: 1 });
    });

    it('the sweep issues certificates left pending (a lost render job)', async () => {
      const run = await f.run({ meetings: 1, hoursEach: 2 });
      const learner = await f.fx.enrolUser(run.offeringId, 't00024');
      await f.mark(run.meetingIds[0], [{ enrollmentId: learner.enrollmentId, status: 'present' }]);
      const lost = `UPDATE certificate SET status = 'pending', file_id = NULL, issued_at = NULL
                     WHERE completion_id IN (SELECT id FROM completion WHERE enrollment_id = $1) RETURNING id`;
      const { rows: [certificate] } = await t.db.pool.query(lost, [learner.enrollmentId]);
      await t.app.get(CompletionService).sweep();
      const after = await f.one<{ status: string; file_id: string | null }>(`SELECT status, file_id FROM certificate WHERE id = $1`, [certificate.id]);
      expect(after.status).toBe('issued');
      expect(after.file_id).not.toBeNull();
    });
  });
});
