import { startTestApp, type TestApp } from '../support/test-app.js';
import { addSecondDistrict, lectureApi, qingpuSpeakers, semesters, sessionOn, type SecondDistrict } from '../support/lecture-fixtures.js';
import { shanghaiDate } from '../../src/common/dates.js';

type Problem = { field: string; code: string };
const fieldsOf = (body: { error: { details: { fields: Problem[] } } }) => body.error.details.fields.map((p) => `${p.field}:${p.code}`).sort();

describe('lecture series (示范园园长大课堂): deadlines, schedules, filing, the city overview and credit through the normal path', () => {
  let t: TestApp;
  let api: ReturnType<typeof lectureApi>;
  let jd: SecondDistrict;
  let speakers: Awaited<ReturnType<typeof qingpuSpeakers>>;
  const today = shanghaiDate();
  const yesterday = shanghaiDate(new Date(Date.now() - 86_400_000));
  const s = semesters(today);
  const count = async (table: string) => Number((await t.db.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  const counts = async () => ({
    deadlines: await count('lecture_filing_deadline'), series: await count('lecture_series'), sessions: await count('lecture_session'),
    courses: await count('course'), offerings: await count('offering'), meetings: await count('meeting'),
  });
  let currentSeries: string;
  let nextSeries: string;

  beforeAll(async () => {
    t = await startTestApp();
    api = lectureApi(t);
    jd = await addSecondDistrict(t.db.pool);
    speakers = await qingpuSpeakers(t.db.pool);
  });
  afterAll(() => t?.close());

  it('lets city staff set a semester deadline; districts cannot; bad dates are named and nothing is written', async () => {
    const unset = await api.overview('city_admin', s.next);
    expect(unset.status).toBe(200);
    expect(unset.body.deadline).toMatchObject({ isDefault: true, dueOn: s.nextTerm.term === 'spring' ? `${s.nextTerm.year}-01-31` : `${s.nextTerm.year}-08-31` });

    const before = await counts();
    expect((await api.setDeadline('district_admin', s.current, { dueOn: yesterday })).status).toBe(404);
    expect((await api.setDeadline('jd_admin', s.current, { dueOn: yesterday })).status).toBe(404);
    expect((await api.setDeadline('teacher', s.current, { dueOn: yesterday })).status).toBe(403);
    const badDate = await api.setDeadline('city_admin', s.current, { dueOn: '2026-02-30' });
    expect(badDate.status).toBe(400);
    expect(fieldsOf(badDate.body)).toEqual(['dueOn:isCalendarDate']);
    const afterSemester = await api.setDeadline('city_admin', s.current, { dueOn: `${s.currentYear + 2}-01-01` });
    expect(afterSemester.status).toBe(400);
    expect(fieldsOf(afterSemester.body)).toEqual(['dueOn:DUE_AFTER_SEMESTER']);
    const badSemester = await api.setDeadline('city_admin', '2026-summer', { dueOn: yesterday });
    expect(badSemester.status).toBe(400);
    expect(fieldsOf(badSemester.body)).toEqual(['semester:SEMESTER_INVALID']);
    expect(await counts()).toEqual(before);

    const set = await api.setDeadline('city_admin', s.current, { dueOn: yesterday });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ semester: s.current, dueOn: yesterday, isDefault: false, cityName: '上海市' });
    expect((await api.setDeadline('city_admin', s.current, { dueOn: yesterday })).status).toBe(200);
    expect((await counts()).deadlines).toBe(before.deadlines + 1);
  });

  it('creates the district series once (the same request again answers it) with its course in the catalog', async () => {
    const before = await counts();
    const bad = await api.createSeries('district_admin', { semester: 'autumn-2026' });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['semester:matches']);
    expect((await api.createSeries('teacher', { semester: s.current })).status).toBe(403);
    expect(await counts()).toEqual(before);

    const first = await api.createSeries('district_admin', { semester: s.current });
    expect(first.status).toBe(201);
    const term = s.current.endsWith('autumn') ? '秋' : '春';
    expect(first.body).toMatchObject({
      semester: s.current, status: 'draft', title: `青浦区示范园园长大课堂（${s.currentYear}年${term}季学期）`, district: { name: '青浦区' },
      course: { hours: 3, category: 'knowledge_skills', level: 'district', creditsFromRule: true }, sessions: [], months: s.currentMonths,
      filing: { state: 'not_filed_late', dueOn: yesterday, filedAt: null },
    });
    const again = await api.createSeries('district_admin', { semester: s.current, title: '另一个名称' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    currentSeries = first.body.id;
    const { rows: [course] } = await t.db.pool.query(`SELECT status, audience, code FROM course WHERE id = $1`, [first.body.course.id]);
    expect(course).toEqual({ status: 'published', audience: { posts: ['principal', 'vice_principal', 'teacher'] }, code: `LECTURE-${s.current.toUpperCase()}` });
    expect(await counts()).toMatchObject({ series: before.series + 1, courses: before.courses + 1 });
  });

  it('refuses sessions outside the semester, a second one in a month and speakers who are not demonstration-kindergarten principals, naming each field', async () => {
    const first = await api.addSession('district_admin', currentSeries, sessionOn(s.currentMonths[1], speakers.principal));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ month: s.currentMonths[1], speaker: { personId: speakers.principal }, offeringStatus: 'draft', seatsTaken: 0 });
    expect(first.body.meetingId).toEqual(expect.any(String));
    const repeat = await api.addSession('district_admin', currentSeries, sessionOn(s.currentMonths[1], speakers.principal));
    expect(repeat.status).toBe(200);
    expect(repeat.body.id).toBe(first.body.id);

    const before = await counts();
    const outside = await api.addSession('district_admin', currentSeries, sessionOn(s.nextMonths[0], speakers.principal));
    expect(outside.status).toBe(400);
    expect(fieldsOf(outside.body)).toEqual(['month:MONTH_OUTSIDE_SEMESTER']);
    const taken = await api.addSession('district_admin', currentSeries, sessionOn(s.currentMonths[1], speakers.vicePrincipal, '另一个主题', '20'));
    expect(fieldsOf(taken.body)).toEqual(['month:MONTH_TAKEN']);
    for (const [personId, code] of [[speakers.teacher, 'SPEAKER_NOT_PRINCIPAL'], [speakers.ordinaryPrincipal, 'SPEAKER_NOT_DEMONSTRATION'],
      [jd.principalId, 'SPEAKER_NOT_IN_DISTRICT']]) {
      const refused = await api.addSession('district_admin', currentSeries, sessionOn(s.currentMonths[2], personId));
      expect(refused.status).toBe(400);
      expect(fieldsOf(refused.body)).toEqual([`speakerPersonId:${code}`]);
    }
    const all = await api.addSession('district_admin', currentSeries, {
      ...sessionOn(s.currentMonths[2], speakers.teacher), startsAt: `${s.currentMonths[3]}-05T14:00:00+08:00`, endsAt: `${s.currentMonths[3]}-05T13:00:00+08:00`,
    });
    expect(fieldsOf(all.body)).toEqual(['endsAt:ENDS_BEFORE_START', 'speakerPersonId:SPEAKER_NOT_PRINCIPAL', 'startsAt:NOT_IN_MONTH']);
    const shapes = await api.addSession('district_admin', currentSeries, { month: '2026-13', topic: '', speakerPersonId: 'x', startsAt: 'soon' });
    expect(fieldsOf(shapes.body)).toEqual(expect.arrayContaining(['month:matches', 'topic:isLength', 'speakerPersonId:isUuid', 'startsAt:matches', 'endsAt:matches']));
    expect(await counts()).toEqual(before);
  });

  it('keeps other districts out: their series does not exist for jd_admin or a teacher', async () => {
    expect((await api.getSeries('jd_admin', currentSeries)).status).toBe(404);
    expect((await api.getSeries('teacher', currentSeries)).status).toBe(404);
    expect((await api.addSession('jd_admin', currentSeries, sessionOn(s.currentMonths[0], jd.principalId))).status).toBe(404);
    expect((await api.file('jd_admin', currentSeries)).status).toBe(404);
    expect((await api.getSeries('city_admin', currentSeries)).status).toBe(200);
  });

  it('refuses to file an empty schedule, files once (late here), and answers the first filing when filed again', async () => {
    const jdSeries = await api.createSeries('jd_admin', { semester: s.current });
    expect(jdSeries.status).toBe(201);
    const empty = await api.file('jd_admin', jdSeries.body.id);
    expect(empty.status).toBe(409);
    expect(empty.body.error.code).toBe('LECTURE_SCHEDULE_EMPTY');
    expect((await t.db.pool.query(`SELECT status FROM lecture_series WHERE id = $1`, [jdSeries.body.id])).rows[0].status).toBe('draft');

    const filed = await api.file('district_admin', currentSeries);
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({ status: 'filed', filing: { state: 'filed_late', changedAfterFilingAt: null } });
    expect(filed.body.sessions.map((x: { offeringStatus: string }) => x.offeringStatus)).toEqual(['published']);
    const again = await api.file('district_admin', currentSeries);
    expect(again.status).toBe(200);
    expect(again.body.filing.filedAt).toBe(filed.body.filing.filedAt);
    expect(Number((await t.db.pool.query(`SELECT count(*) AS n FROM audit_log WHERE entity_id = $1 AND action = 'file'`, [currentSeries])).rows[0].n)).toBe(1);
  });

  it('shows the city every district: filed late, not filed though late, filed on time, not due yet; and changes after filing', async () => {
    nextSeries = (await api.createSeries('district_admin', { semester: s.next })).body.id;
    expect((await api.addSession('district_admin', nextSeries, sessionOn(s.nextMonths[0], speakers.vicePrincipal, '幼儿园保教质量评估'))).status).toBe(201);
    expect((await api.file('district_admin', nextSeries)).body.filing.state).toBe('filed_on_time');

    const current = await api.overview('city_admin', s.current);
    expect(current.status).toBe(200);
    const row = (body: { districts: Array<{ districtName: string }> }, name: string) => body.districts.find((d) => d.districtName === name);
    expect(current.body.deadline).toMatchObject({ dueOn: yesterday, isDefault: false, daysLeft: -1 });
    expect(row(current.body, '青浦区')).toMatchObject({ state: 'filed_late', sessionCount: 1, seriesId: currentSeries, changedAfterFilingAt: null });
    expect(row(current.body, '嘉定区')).toMatchObject({ state: 'not_filed_late', sessionCount: 0, filedAt: null });
    expect(current.body.totals).toEqual({ filed_on_time: 0, filed_late: 1, not_filed_late: 1, not_due: 0 });

    const next = await api.overview('city_admin', s.next);
    expect(row(next.body, '青浦区')).toMatchObject({ state: 'filed_on_time', sessionCount: 1 });
    expect(row(next.body, '嘉定区')).toMatchObject({ state: 'not_due', seriesId: null });
    expect(next.body.totals).toEqual({ filed_on_time: 1, filed_late: 0, not_filed_late: 0, not_due: 1 });

    // A district's staff hold lectures.oversee over their own district only, not over the city.
    expect((await api.overview('district_admin', s.current)).status).toBe(404);
    expect((await api.overview('teacher', s.current)).status).toBe(403);

    // A session added after filing opens at once, and the city sees the schedule changed after filing.
    const added = await api.addSession('district_admin', currentSeries, sessionOn(s.currentMonths[3], speakers.vicePrincipal, '园本教研的组织'));
    expect(added.status).toBe(201);
    expect(added.body.offeringStatus).toBe('published');
    const changed = await api.overview('city_admin', s.current);
    expect(row(changed.body, '青浦区')).toMatchObject({ state: 'filed_late', sessionCount: 2, changedAfterFilingAt: expect.any(String) });
  });

  it('makes each session an offering with a meeting, so a principal who attends earns ledger credit through the normal path', async () => {
    const series = (await api.getSeries('district_admin', nextSeries)).body;
    const [session] = series.sessions;
    const { rows: [meeting] } = await t.db.pool.query(`SELECT offering_id, hours::float AS hours, place FROM meeting WHERE id = $1`, [session.meetingId]);
    expect(meeting).toEqual({ offering_id: session.offeringId, hours: 3, place: expect.stringContaining('幼儿园') });

    const enrol = await t.http().post(`/api/offerings/${session.offeringId}/enrollments`).set(await api.as('kg_admin')).send({});
    expect(enrol.status).toBe(201);
    expect(enrol.body.status).toBe('enrolled');
    const marked = await t.http().put(`/api/meetings/${session.meetingId}/attendance`).set(await api.as('district_admin'))
      .send({ records: [{ enrollmentId: enrol.body.id, status: 'present' }] });
    expect(marked.status).toBe(200);
    const { rows } = await t.db.pool.query(
      `SELECT e.source, e.hours::float AS hours, e.credits::float AS credits, e.category, e.level, e.title FROM credit_entry e
        WHERE e.person_id = $1 AND e.source_key = $2`, [speakers.ordinaryPrincipal, `completion:${enrol.body.id}:1`]);
    expect(rows).toEqual([{ source: 'course_completion', hours: 3, credits: 0.3, category: 'knowledge_skills', level: 'district', title: series.title }]);
  });

  it('edits a session (the meeting follows) and removes only sessions nobody holds a seat in', async () => {
    const series = (await api.getSeries('district_admin', nextSeries)).body;
    const [session] = series.sessions;
    const before = await counts();
    const wrong = await t.http().patch(`/api/lectures/series/${nextSeries}/sessions/${session.id}`).set(await api.as('district_admin'))
      .send({ month: s.currentMonths[0] });
    expect(fieldsOf(wrong.body)).toEqual(['month:MONTH_OUTSIDE_SEMESTER', 'startsAt:NOT_IN_MONTH']);
    expect(await counts()).toEqual(before);

    const moved = await t.http().patch(`/api/lectures/series/${nextSeries}/sessions/${session.id}`).set(await api.as('district_admin'))
      .send({ topic: '幼儿园保教质量评估（二）', startsAt: `${s.nextMonths[0]}-12T09:00:00+08:00`, endsAt: `${s.nextMonths[0]}-12T12:00:00+08:00` });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ topic: '幼儿园保教质量评估（二）', startsAt: new Date(`${s.nextMonths[0]}-12T09:00:00+08:00`).toISOString() });
    const { rows: [meeting] } = await t.db.pool.query(`SELECT title, starts_at FROM meeting WHERE id = $1`, [session.meetingId]);
    expect(meeting).toEqual({ title: '幼儿园保教质量评估（二）', starts_at: new Date(`${s.nextMonths[0]}-12T09:00:00+08:00`) });

    const held = await t.http().delete(`/api/lectures/series/${nextSeries}/sessions/${session.id}`).set(await api.as('district_admin'));
    expect(held.status).toBe(409);
    expect(held.body.error.code).toBe('LECTURE_SESSION_HAS_ENROLMENTS');

    const spare = await api.addSession('district_admin', nextSeries, sessionOn(s.nextMonths[1], speakers.principal, '家园共育'));
    const removed = await t.http().delete(`/api/lectures/series/${nextSeries}/sessions/${spare.body.id}`).set(await api.as('district_admin'));
    expect(removed.status).toBe(204);
    expect((await t.db.pool.query(`SELECT status FROM offering WHERE id = $1`, [spare.body.offeringId])).rows[0].status).toBe('cancelled');
    expect((await api.getSeries('district_admin', nextSeries)).body.sessions.map((x: { id: string }) => x.id)).toEqual([session.id]);
  });

  it('makes one series and one session of a double click, and keeps the credit settings on the series course', async () => {
    const before = await counts();
    const created = await Promise.all([1, 2].map(() => api.createSeries('jd_admin', { semester: s.next })));
    expect(created.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(created[0].body.id).toBe(created[1].body.id);
    const body = sessionOn(s.nextMonths[2], jd.principalId, '幼儿园安全管理');
    const added = await Promise.all([1, 2].map(() => api.addSession('jd_admin', created[0].body.id, body)));
    expect(added.map((r) => r.status).sort()).toEqual([200, 201]);
    expect(added[0].body.id).toBe(added[1].body.id);
    expect(await counts()).toMatchObject({ series: before.series + 1, courses: before.courses + 1, sessions: before.sessions + 1, offerings: before.offerings + 1 });

    const patch = (send: object) => api.as('jd_admin').then((auth) => t.http().patch(`/api/lectures/series/${created[0].body.id}`).set(auth).send(send));
    const bad = await patch({ hours: 0, category: 'cooking' });
    expect(fieldsOf(bad.body)).toEqual(['category:isIn', 'hours:min']);
    const changed = await patch({ hours: 2, category: 'practice', title: '嘉定区示范园园长大课堂' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ title: '嘉定区示范园园长大课堂', course: { hours: 2, credits: 0.2, category: 'practice', creditsFromRule: true } });
    expect((await t.db.pool.query(`SELECT title FROM course WHERE id = $1`, [changed.body.course.id])).rows[0].title).toBe('嘉定区示范园园长大课堂');
  });

  it('renders the pages: the district semesters, the schedule with a form that keeps bad input, and the city overview', async () => {
    const district = await t.signInPages('district_admin');
    const index = await district.get('/lectures').expect(200);
    expect(index.text).toContain(`data-semester="${s.current}"`);
    expect(index.text).toContain('逾期报送');
    const page = await district.get(`/lectures/series/${currentSeries}`).expect(200);
    expect(page.text).toContain('园本教研的组织');
    expect(page.text).toContain(`${s.currentMonths[3]}-10 13:30–16:30`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const before = await counts();
    const bad = await district.post(`/lectures/series/${currentSeries}/sessions`).type('form')
      .send({ _csrf: csrf, month: s.currentMonths[4], topic: '保留我的输入', speakerPersonId: speakers.teacher, date: `${s.currentMonths[4]}-08`, startTime: '14:00', endTime: '16:00' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('保留我的输入');
    expect(bad.text).toContain('data-field-error="speakerPersonId"');
    expect(await counts()).toEqual(before);

    const city = await t.signInPages('city_admin');
    const overview = await city.get(`/lectures/city?semester=${s.current}`).expect(200);
    expect(overview.text).toMatch(/data-state="filed_late"/);
    expect(overview.text).toMatch(/data-state="not_filed_late"/);
    expect(overview.text).toContain('data-testid="changed-after-filing"');
    await district.get('/lectures/city').expect(404);
    const cityIndex = await city.get('/lectures?lang=en').redirects(1).expect(200);
    expect(cityIndex.text).toContain('data-testid="city-link"');
    expect(cityIndex.text).toContain('嘉定区');
    expect(cityIndex.text).toContain('Filed late');
  });
});
