import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures, type CatalogFixtures } from '../support/catalog-fixtures.js';
import { AttendanceService } from '../../src/modules/enrollment/attendance.service.js';
import { assessmentFixtures } from '../support/assessment-fixtures.js';

const MINUTE = 60_000;
const at = (minutesFromNow: number) => new Date(Date.now() + minutesFromNow * MINUTE);
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type Res = { body: { error: { code: string; details: { fields: { field: string }[] } } } };
const fields = (res: Res) => res.body.error.details.fields.map((f) => f.field).sort();

describe('attendance: bulk marking, self check-in, hours attended and material progress', () => {
  let t: TestApp;
  let fx: CatalogFixtures;
  let offeringId: string;
  /** Enrolled learners by sign-in, and one still on the waitlist. */
  const learners: Record<string, { enrollmentId: string; personId: string }> = {};
  const tokens: Record<string, string> = {};
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.pool.query(sql, params)).rows[0].count);
  const markOf = async (meetingId: string, enrollmentId: string) =>
    (await t.db.pool.query(`SELECT status, hours::float8 AS hours, source FROM attendance WHERE meeting_id = $1 AND enrollment_id = $2`, [meetingId, enrollmentId])).rows[0];

  beforeAll(async () => {
    t = await startTestApp();
    fx = catalogFixtures(t.db.pool);
    await fx.createTrainer('trainer2');
    const courseId = await fx.createCourse({ title: '幼儿行为观察与分析' });
    offeringId = await fx.createOffering(courseId, { trainers: ['trainer'], minAttendanceShare: 0.75 });
    // Nobody completes while these tests mark attendance: completion also needs an assignment no one hands in.
    const itemId = await assessmentFixtures(t.db.pool).createItem(offeringId);
    await t.db.pool.query(
      `INSERT INTO completion_rule (offering_id, district_id, effective_from, min_attendance_share, required_item_ids)
       SELECT id, district_id, now() - interval '1 minute', 0.75, ARRAY[$2::uuid] FROM offering WHERE id = $1`, [offeringId, itemId]);
    for (const username of ['teacher', 't00002', 't00003', 't00004']) learners[username] = await fx.enrolUser(offeringId, username);
    learners.t00005 = await fx.enrolUser(offeringId, 't00005', 'waitlisted');
    for (const username of ['trainer', 'trainer2', 'district_admin', 'kg_admin', 'teacher', 't00002', 't00003', 't00004', 't00005']) {
      tokens[username] = await t.token(username);
    }
  });
  afterAll(() => t?.close());

  describe('the trainer\'s sheet', () => {
    let meetingId: string;
    beforeAll(async () => {
      meetingId = await fx.addMeeting(offeringId, { startsAt: at(-3 * 24 * 60), hours: 3, endsAt: at(-3 * 24 * 60 + 180) });
    });

    it('lists every enrolled learner with name, kindergarten and no mark yet; the waitlisted one is not on it', async () => {
      const res = await t.http().get(`/api/meetings/${meetingId}/attendance`).set(auth(tokens.trainer)).expect(200);
      expect(res.body.meeting).toMatchObject({ id: meetingId, hours: 3 });
      expect(res.body.learners).toHaveLength(4);
      const teacher = res.body.learners.find((l: { personId: string }) => l.personId === learners.teacher.personId);
      const own = (await t.db.pool.query(
        `SELECT p.full_name, k.name FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id WHERE p.id = $1`, [learners.teacher.personId])).rows[0];
      expect(teacher).toMatchObject({ enrollmentId: learners.teacher.enrollmentId, fullName: own.full_name, kindergarten: own.name, status: null, hours: null });
      expect(res.body.learners.map((l: { enrollmentId: string }) => l.enrollmentId)).not.toContain(learners.t00005.enrollmentId);
    });

    it('marks in bulk with the hours each mark credits, is idempotent, and audits a changed mark', async () => {
      const records = [
        { enrollmentId: learners.teacher.enrollmentId, status: 'present' },
        { enrollmentId: learners.t00002.enrollmentId, status: 'late' },
        { enrollmentId: learners.t00003.enrollmentId, status: 'left_early', hours: 1 },
        { enrollmentId: learners.t00004.enrollmentId, status: 'absent' },
      ];
      const res = await t.http().put(`/api/meetings/${meetingId}/attendance`).set(auth(tokens.trainer)).send({ records }).expect(200);
      const hours = Object.fromEntries(res.body.learners.map((l: { enrollmentId: string; status: string; hours: number }) => [l.enrollmentId, [l.status, l.hours]]));
      expect(hours).toEqual({
        [learners.teacher.enrollmentId]: ['present', 3],
        [learners.t00002.enrollmentId]: ['late', 1.5],
        [learners.t00003.enrollmentId]: ['left_early', 1],
        [learners.t00004.enrollmentId]: ['absent', 0],
      });
      const audited = () => count(`SELECT count(*) FROM audit_log WHERE entity_type = 'attendance' AND entity_id LIKE $1`, [`${meetingId}:%`]);
      await t.http().put(`/api/meetings/${meetingId}/attendance`).set(auth(tokens.trainer)).send({ records }).expect(200);
      expect(await count(`SELECT count(*) FROM attendance WHERE meeting_id = $1`, [meetingId])).toBe(4);
      expect(await audited()).toBe(0);

      await t.http().put(`/api/meetings/${meetingId}/attendance`).set(auth(tokens.district_admin))
        .send({ records: [{ enrollmentId: learners.t00004.enrollmentId, status: 'excused' }] }).expect(200);
      expect(await markOf(meetingId, learners.t00004.enrollmentId)).toEqual({ status: 'excused', hours: 0, source: 'trainer' });
      const entry = (await t.db.pool.query(`SELECT before, after FROM audit_log WHERE entity_type = 'attendance' AND entity_id = $1`,
        [`${meetingId}:${learners.t00004.enrollmentId}`])).rows;
      expect(entry).toEqual([{ before: { status: 'absent' }, after: { status: 'excused' } }]);
    });

    it('refuses bad records naming records[i].field and writes nothing', async () => {
      const fresh = await fx.addMeeting(offeringId, { startsAt: at(-2 * 24 * 60), hours: 3, endsAt: at(-2 * 24 * 60 + 180) });
      const otherOffering = await fx.createOffering(await fx.createCourse(), { trainers: ['trainer'] });
      const stranger = await fx.enrolUser(otherOffering, 't00006');
      const res = await t.http().put(`/api/meetings/${fresh}/attendance`).set(auth(tokens.trainer)).send({
        records: [
          { enrollmentId: learners.teacher.enrollmentId, status: 'present' },
          { enrollmentId: learners.t00005.enrollmentId, status: 'present' },
          { enrollmentId: learners.t00002.enrollmentId, status: 'asleep' },
          { enrollmentId: learners.t00003.enrollmentId, status: 'late', hours: 3 },
          { enrollmentId: randomUUID(), status: 'present' },
          { enrollmentId: stranger.enrollmentId, status: 'absent' },
          { enrollmentId: learners.t00004.enrollmentId, status: 'present', hours: 2 },
          { enrollmentId: learners.teacher.enrollmentId, status: 'absent', note: 'x' },
        ],
      }).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(fields(res)).toEqual([
        'records[1].enrollmentId', 'records[2].status', 'records[3].hours', 'records[4].enrollmentId', 'records[5].enrollmentId',
        'records[6].hours', 'records[7].enrollmentId', 'records[7].note',
      ]);
      expect(await count(`SELECT count(*) FROM attendance WHERE meeting_id = $1`, [fresh])).toBe(0);
      const empty = await t.http().put(`/api/meetings/${fresh}/attendance`).set(auth(tokens.trainer)).send({ records: [] }).expect(400);
      expect(fields(empty)).toEqual(['records']);
    });

    it('answers 404 to a trainer not on the offering and to a manager elsewhere, 403 to a teacher', async () => {
      const records = [{ enrollmentId: learners.teacher.enrollmentId, status: 'absent' }];
      for (const who of ['trainer2', 'kg_admin']) {
        await t.http().get(`/api/meetings/${meetingId}/attendance`).set(auth(tokens[who])).expect(404);
        await t.http().put(`/api/meetings/${meetingId}/attendance`).set(auth(tokens[who])).send({ records }).expect(404);
      }
      const denied = await t.http().put(`/api/meetings/${meetingId}/attendance`).set(auth(tokens.teacher)).send({ records }).expect(403);
      expect(denied.body.error.code).toBe('FORBIDDEN');
      await t.http().get(`/api/meetings/${randomUUID()}/attendance`).set(auth(tokens.trainer)).expect(404);
      expect(await markOf(meetingId, learners.teacher.enrollmentId)).toMatchObject({ status: 'present' });
    });

    it('lets the manager of a kindergarten\'s own course mark its meetings', async () => {
      const own = await fx.createOffering(await fx.createCourse({ ownerCode: 'SH-QP-K001' }));
      const meeting = await fx.addMeeting(own, { startsAt: at(-60), hours: 2 });
      const learner = await fx.enrolUser(own, 'teacher');
      await t.http().put(`/api/meetings/${meeting}/attendance`).set(auth(tokens.kg_admin))
        .send({ records: [{ enrollmentId: learner.enrollmentId, status: 'present' }] }).expect(200);
      await t.http().get(`/api/meetings/${meeting}/attendance`).set(auth(tokens.trainer)).expect(404);
    });
  });

  describe('self check-in', () => {
    let now: string;
    const code = async (meetingId: string, token = tokens.trainer) =>
      (await t.http().post(`/api/meetings/${meetingId}/check-in-code`).set(auth(token)).expect(200)).body;
    const checkIn = (meetingId: string, username: string, value: string) =>
      t.http().post(`/api/meetings/${meetingId}/check-in`).set(auth(tokens[username])).send({ code: value });

    beforeAll(async () => {
      now = await fx.addMeeting(offeringId, { startsAt: at(-5), endsAt: at(115), hours: 2 });
    });

    it('shows a six-digit code with a QR of the check-in link, the same one until it is used', async () => {
      const first = await code(now);
      expect(first.code).toMatch(/^\d{6}$/);
      expect(first.checkInUrl).toMatch(new RegExp(`/check-in\\?meeting=${now}&code=${first.code}$`));
      expect(first.qrSvg).toMatch(/^<svg[^>]*viewBox/);
      expect(first).toMatchObject({ open: true, learners: 4 });
      expect((await code(now)).code).toBe(first.code);
      await t.http().post(`/api/meetings/${now}/check-in-code`).set(auth(tokens.trainer2)).expect(404);
      await t.http().post(`/api/meetings/${now}/check-in-code`).set(auth(tokens.teacher)).expect(403);
    });

    it('checks a learner in once per code: the same person again is fine, another person is refused, the screen moves on', async () => {
      const { code: value } = await code(now);
      const done = await checkIn(now, 'teacher', value).expect(200);
      expect(done.body).toMatchObject({ meetingId: now, enrollmentId: learners.teacher.enrollmentId, status: 'present', hours: 2, source: 'check_in' });
      const again = await checkIn(now, 'teacher', value).expect(200);
      expect(again.body).toEqual(done.body);
      const reused = await checkIn(now, 't00002', value).expect(409);
      expect(reused.body.error.code).toBe('CHECK_IN_CODE_USED');
      const next = await code(now);
      expect(next.code).not.toBe(value);
      expect(next.checkedIn).toBe(1);
      await checkIn(now, 't00002', next.code).expect(200);
    });

    it('gives one code to exactly one of two learners who use it at the same moment', async () => {
      const { code: value } = await code(now);
      const answers = await Promise.all([checkIn(now, 't00003', value), checkIn(now, 't00004', value)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(await count(`SELECT count(*) FROM check_in_code WHERE meeting_id = $1 AND code = $2 AND used_by_person_id IS NOT NULL`, [now, value])).toBe(1);
    });

    it('refuses a wrong code, an expired code, someone not enrolled, and a meeting outside its window', async () => {
      const used = (await t.db.pool.query(`SELECT code FROM check_in_code WHERE meeting_id = $1`, [now])).rows.map((r) => r.code as string);
      const wrong = ['000000', '111111', '222222', '333333'].find((c) => !used.includes(c))!;
      const later = await fx.addMeeting(offeringId, { startsAt: at(-1), endsAt: at(60), hours: 1 });
      expect((await checkIn(later, 't00004', wrong).expect(422)).body.error.code).toBe('CHECK_IN_CODE_INVALID');

      const { code: stale } = await code(later);
      await t.db.pool.query(`UPDATE check_in_code SET expires_at = now() - interval '1 second' WHERE meeting_id = $1 AND code = $2`, [later, stale]);
      expect((await checkIn(later, 't00004', stale).expect(422)).body.error.code).toBe('CHECK_IN_CODE_EXPIRED');
      const fresh = await code(later);
      expect(fresh.code).not.toBe(stale);

      for (const outsider of ['t00005', 'kg_admin']) {
        expect((await checkIn(later, outsider, fresh.code).expect(403)).body.error.code).toBe('NOT_ENROLLED_IN_OFFERING');
      }
      const soon = await fx.addMeeting(offeringId, { startsAt: at(45), hours: 2 });
      const over = await fx.addMeeting(offeringId, { startsAt: at(-180), endsAt: at(-1), hours: 3 });
      for (const meeting of [soon, over]) {
        const { code: value } = await code(meeting);
        const res = await checkIn(meeting, 't00004', value).expect(422);
        expect(res.body.error.code).toBe('CHECK_IN_CLOSED');
      }
      expect(await count(`SELECT count(*) FROM attendance WHERE meeting_id = ANY($1::uuid[])`, [[soon, over]])).toBe(0);
      const bad = await checkIn(later, 't00004', '12a456').expect(400);
      expect(fields(bad)).toEqual(['code']);

      await checkIn(later, 't00004', fresh.code).expect(200);
    });

    it('records a check-in more than ten minutes after the start as late, and never overrides the trainer\'s mark', async () => {
      const started = await fx.addMeeting(offeringId, { startsAt: at(-20), endsAt: at(100), hours: 2 });
      await t.http().put(`/api/meetings/${started}/attendance`).set(auth(tokens.trainer))
        .send({ records: [{ enrollmentId: learners.t00003.enrollmentId, status: 'absent' }] }).expect(200);
      const late = await checkIn(started, 'teacher', (await code(started)).code).expect(200);
      expect(late.body).toMatchObject({ status: 'late', hours: 1, source: 'check_in' });
      const first = await code(started);
      const kept = await checkIn(started, 't00003', first.code).expect(200);
      expect(kept.body).toMatchObject({ status: 'absent', hours: 0, source: 'trainer' });
      expect((await code(started)).code).toBe(first.code);
    });
  });

  describe('hours attended', () => {
    it('sums the credited hours against the schedule and compares the share with the offering\'s minimum', async () => {
      const courseId = await fx.createCourse();
      const offering = await fx.createOffering(courseId, { trainers: ['trainer'], minAttendanceShare: 0.5 });
      const a = await fx.enrolUser(offering, 't00010');
      const b = await fx.enrolUser(offering, 't00011');
      const m1 = await fx.addMeeting(offering, { startsAt: at(-3000), hours: 3, endsAt: at(-2820) });
      const m2 = await fx.addMeeting(offering, { startsAt: at(-2000), hours: 2 });
      await fx.addMeeting(offering, { startsAt: at(2000), hours: 1, endsAt: at(2060) });
      const trainer = auth(tokens.trainer);
      await t.http().put(`/api/meetings/${m1}/attendance`).set(trainer)
        .send({ records: [{ enrollmentId: a.enrollmentId, status: 'present' }, { enrollmentId: b.enrollmentId, status: 'late' }] }).expect(200);
      await t.http().put(`/api/meetings/${m2}/attendance`).set(trainer)
        .send({ records: [{ enrollmentId: a.enrollmentId, status: 'present' }, { enrollmentId: b.enrollmentId, status: 'excused' }] }).expect(200);

      const own = await t.http().get(`/api/enrollments/${a.enrollmentId}/attendance`).set(auth(await t.token('t00010'))).expect(200);
      expect(own.body).toMatchObject({ hoursAttended: 5, hoursScheduled: 6, share: 0.8333, meetsMinimum: true, minAttendanceShare: 0.5 });
      expect(own.body.meetings.map((m: { status: string | null }) => m.status)).toEqual(['present', 'present', null]);
      const seen = await t.http().get(`/api/enrollments/${b.enrollmentId}/attendance`).set(trainer).expect(200);
      expect(seen.body).toMatchObject({ hoursAttended: 1.5, hoursScheduled: 6, share: 0.25, meetsMinimum: false });
      await t.http().get(`/api/enrollments/${b.enrollmentId}/attendance`).set(auth(await t.token('t00010'))).expect(404);
      await t.http().get(`/api/enrollments/${b.enrollmentId}/attendance`).set(auth(tokens.trainer2)).expect(404);

      const summaries = await t.app.get(AttendanceService).summaries(offering);
      expect(summaries.map((s) => [s.enrollmentId, s.hoursAttended, s.meetsMinimum]).sort()).toEqual(
        [[a.enrollmentId, 5, true], [b.enrollmentId, 1.5, false]].sort());
      expect(await t.app.get(AttendanceService).summary(b.enrollmentId)).toEqual({ hoursAttended: 1.5, hoursScheduled: 6, share: 0.25, meetsMinimum: false });

      const roster = await t.http().get(`/api/offerings/${offering}/attendance`).set(trainer).expect(200);
      expect(roster.body.learners.map((l: { hoursAttended: number }) => l.hoursAttended).sort()).toEqual([1.5, 5]);
      await t.http().get(`/api/offerings/${offering}/attendance`).set(auth(tokens.trainer2)).expect(404);
    });
  });

  describe('material progress', () => {
    it('moves only forward, completes at 100 once, and shows per learner to the trainer', async () => {
      const material = await fx.addMaterial(offeringId, { title: '观察记录表使用说明' });
      const optional = await fx.addMaterial(offeringId, { title: '延伸阅读', required: false, sortOrder: 1 });
      const put = (username: string, percent: unknown) =>
        t.http().put(`/api/materials/${material}/progress`).set(auth(tokens[username])).send({ percent });
      expect((await put('teacher', 40).expect(200)).body).toEqual({ materialId: material, percent: 40, completedAt: null });
      expect((await put('teacher', 20).expect(200)).body).toMatchObject({ percent: 40, completedAt: null });
      const done = (await put('teacher', 100).expect(200)).body;
      expect(done.completedAt).not.toBeNull();
      expect((await put('teacher', 100).expect(200)).body.completedAt).toBe(done.completedAt);
      await put('t00002', 60).expect(200);

      expect((await put('t00005', 50).expect(403)).body.error.code).toBe('NOT_ENROLLED_IN_OFFERING');
      expect(fields(await put('teacher', 101).expect(400))).toEqual(['percent']);
      await t.http().put(`/api/materials/${randomUUID()}/progress`).set(auth(tokens.teacher)).send({ percent: 10 }).expect(404);

      const view = await t.http().get(`/api/offerings/${offeringId}/progress`).set(auth(tokens.trainer)).expect(200);
      expect(view.body.materials.map((m: { id: string }) => m.id)).toEqual([material, optional]);
      const byPerson = Object.fromEntries(view.body.learners.map((l: { personId: string; progress: { percent: number }[]; requiredCompleted: number }) =>
        [l.personId, [l.progress.map((p) => p.percent), l.requiredCompleted]]));
      expect(byPerson[learners.teacher.personId]).toEqual([[100, 0], 1]);
      expect(byPerson[learners.t00002.personId]).toEqual([[60, 0], 0]);
      await t.http().get(`/api/offerings/${offeringId}/progress`).set(auth(tokens.trainer2)).expect(404);
      await t.http().get(`/api/offerings/${offeringId}/progress`).set(auth(tokens.teacher)).expect(403);

      const mine = await t.http().get(`/api/me/offerings/${offeringId}/progress`).set(auth(tokens.teacher)).expect(200);
      expect(mine.body.materials.map((m: { title: string; percent: number }) => [m.title, m.percent])).toEqual([['观察记录表使用说明', 100], ['延伸阅读', 0]]);
      await t.http().get(`/api/me/offerings/${offeringId}/progress`).set(auth(tokens.t00005)).expect(404);
    });
  });
});
