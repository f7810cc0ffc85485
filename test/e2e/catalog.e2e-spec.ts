import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { CatalogService } from '../../src/modules/catalog/catalog.service.js';

const DAY = 24 * 3600_000;
/** An instant relative to now, with the Shanghai offset the API expects. */
const shanghai = (offsetMs: number) => new Date(Date.now() + offsetMs + 8 * 3600_000).toISOString().replace(/\.\d+Z$/, '+08:00');

describe('catalog: courses, offerings, meetings and the learner\'s catalog', () => {
  let t: TestApp;
  let admin: string;
  let kgAdmin: string;
  let teacher: string;
  let district: string;
  let k001: string;
  let other: string;
  let trainerId: string;
  let expertId: string;
  let teacherUserId: string;
  let serial = 0;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.pool.query(sql, params)).rows[0].count);
  const fields = (res: { body: { error: { details: { fields: { field: string }[] } } } }) => [...new Set(res.body.error.details.fields.map((f) => f.field))].sort();
  const code = (prefix = 'E2E') => `${prefix}-${String(++serial).padStart(3, '0')}`;
  const course = (extra: Record<string, unknown> = {}) => ({
    code: code(), title: '游戏化学习专题研修', description: '测试课程', provider: '青浦区教师进修学院', category: 'knowledge_skills',
    tags: ['安吉游戏', '户外游戏'], level: 'district', mode: 'offline', hours: 12, trainerUserIds: [trainerId], ...extra,
  });
  const offering = (extra: Record<string, unknown> = {}) => ({
    code: code('O'), label: '第一期', capacity: 30, enrolOpensAt: shanghai(-DAY), enrolClosesAt: shanghai(30 * DAY), withdrawDeadline: shanghai(31 * DAY), ...extra,
  });
  /** A published course with one published offering and a meeting, ready to browse. */
  const publishedOffering = async (courseExtra: Record<string, unknown> = {}, offeringExtra: Record<string, unknown> = {}, token = admin) => {
    const c = await t.http().post('/api/courses').set(auth(token)).send(course(courseExtra)).expect(201);
    await t.http().post(`/api/courses/${c.body.id}/publish`).set(auth(token)).expect(200);
    const o = await t.http().post(`/api/courses/${c.body.id}/offerings`).set(auth(token)).send(offering(offeringExtra)).expect(201);
    const day = 60 + serial;
    await t.http().post(`/api/offerings/${o.body.id}/meetings`).set(auth(token))
      .send({ title: '专题讲座', startsAt: shanghai(day * DAY), endsAt: shanghai(day * DAY + 3 * 3600_000), place: '青浦区教师进修学院' }).expect(201);
    await t.http().post(`/api/offerings/${o.body.id}/publish`).set(auth(token)).expect(200);
    return { courseId: c.body.id as string, offeringId: o.body.id as string };
  };

  beforeAll(async () => {
    t = await startTestApp();
    [admin, kgAdmin, teacher] = await Promise.all([t.token('district_admin'), t.token('kg_admin'), t.token('teacher')]);
    const unit = async (c: string) => (await t.db.pool.query(`SELECT id FROM org_unit WHERE code = $1`, [c])).rows[0].id as string;
    [district, k001, other] = await Promise.all([unit('SH-QP'), unit('SH-QP-K001'), unit('SH-QP-K002')]);
    const user = async (name: string) => (await t.db.pool.query(`SELECT id FROM app_user WHERE username = $1`, [name])).rows[0].id as string;
    [trainerId, expertId, teacherUserId] = await Promise.all([user('trainer'), user('expert'), user('teacher')]);
  });
  afterAll(() => t.close());

  it('creates a draft course with credits from the city rule, edits it with its version, publishes and archives it, auditing each change', async () => {
    const created = await t.http().post('/api/courses').set(auth(admin)).send(course({ audience: { posts: ['teacher'], titles: ['none', 'second'] } })).expect(201);
    expect(created.body).toMatchObject({
      status: 'draft', level: 'district', hours: 12, credits: 1.2, creditsFromRule: true, owner: { id: district, kind: 'district' },
      tags: ['安吉游戏', '户外游戏'], audience: { posts: ['teacher'], titles: ['none', 'second'] }, version: 1,
      trainers: [{ userId: trainerId, displayName: '青浦区教师进修学院培训师' }],
    });
    const online = await t.http().post('/api/courses').set(auth(admin)).send(course({ mode: 'online', hours: 15 })).expect(201);
    expect(online.body).toMatchObject({ credits: 1.5, creditsFromRule: true });

    const id = created.body.id;
    const edited = await t.http().patch(`/api/courses/${id}`).set(auth(admin)).send({ title: '安吉游戏专题研修', hours: 18, version: 1 }).expect(200);
    expect(edited.body).toMatchObject({ title: '安吉游戏专题研修', hours: 18, credits: 1.8, creditsFromRule: true, version: 2 });
    const stale = await t.http().patch(`/api/courses/${id}`).set(auth(admin)).send({ title: '旧页面上的修改', version: 1 }).expect(409);
    expect(stale.body.error.code).toBe('CONFLICT');
    const fixed = await t.http().patch(`/api/courses/${id}`).set(auth(admin)).send({ credits: 2, trainerUserIds: [trainerId, expertId] }).expect(200);
    expect(fixed.body).toMatchObject({ title: '安吉游戏专题研修', credits: 2, creditsFromRule: false });
    expect(fixed.body.trainers.map((tr: { userId: string }) => tr.userId).sort()).toEqual([trainerId, expertId].sort());
    expect((await t.http().patch(`/api/courses/${id}`).set(auth(admin)).send({ hours: 20 }).expect(200)).body.credits).toBe(2);
    expect((await t.http().patch(`/api/courses/${id}`).set(auth(admin)).send({ credits: null }).expect(200)).body).toMatchObject({ credits: 2, creditsFromRule: true });

    expect((await t.http().post(`/api/courses/${id}/publish`).set(auth(admin)).expect(200)).body.status).toBe('published');
    const listed = await t.http().get('/api/courses').query({ q: '安吉游戏专题', status: 'published', category: 'knowledge_skills', tag: '户外游戏' }).set(auth(admin)).expect(200);
    expect(listed.body).toMatchObject({ total: 1, page: 1, items: [{ id, title: '安吉游戏专题研修', status: 'published', ownerName: '青浦区' }] });
    expect((await t.http().post(`/api/courses/${id}/archive`).set(auth(admin)).expect(200)).body.status).toBe('archived');
    const audit = await t.db.pool.query(`SELECT action FROM audit_log WHERE entity_type = 'course' AND entity_id = $1 ORDER BY id`, [id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'update', 'update', 'update', 'update', 'publish', 'archive']);
    const offeringOfArchived = await t.http().post(`/api/courses/${id}/offerings`).set(auth(admin)).send(offering()).expect(409);
    expect(offeringOfArchived.body.error.code).toBe('COURSE_ARCHIVED');
  });

  it('asks for credits when no conversion rule applies, and writes nothing', async () => {
    await t.db.pool.query(`UPDATE credit_conversion_rule SET effective_from = '2099-01-01'`);
    try {
      const before = await count('SELECT count(*) FROM course');
      const res = await t.http().post('/api/courses').set(auth(admin)).send(course()).expect(400);
      expect(fields(res)).toEqual(['credits']);
      expect(res.body.error.details.fields[0].code).toBe('CREDITS_RULE_MISSING');
      expect(await count('SELECT count(*) FROM course')).toBe(before);
      expect((await t.http().post('/api/courses').set(auth(admin)).send(course({ credits: 1 })).expect(201)).body).toMatchObject({ credits: 1, creditsFromRule: false });
    } finally {
      await t.db.pool.query(`UPDATE credit_conversion_rule SET effective_from = '2021-01-01'`);
    }
  });

  it('names every bad field with 400 and writes nothing', async () => {
    const before = await count('SELECT count(*) FROM course');
    const shape = await t.http().post('/api/courses').set(auth(admin))
      .send(course({ code: 'x', title: '', category: 'sports', hours: -1, audience: { posts: ['astronaut'], titles: ['none', 'grandmaster'] }, salary: 1 })).expect(400);
    expect(fields(shape)).toEqual(['audience.posts', 'audience.titles', 'category', 'code', 'hours', 'salary', 'title']);
    const references = await t.http().post('/api/courses').set(auth(admin)).send(course({
      trainerUserIds: [teacherUserId],
      audience: { teacherStages: ['guru'], principalStages: ['expert'], kindergartenIds: [randomUUID()], groupIds: [randomUUID()], cohortIds: [randomUUID()] },
    })).expect(400);
    expect(fields(references)).toEqual(['audience.groupIds', 'audience.kindergartenIds', 'audience.teacherStages', 'trainerUserIds']);
    expect(await count('SELECT count(*) FROM course')).toBe(before);
    const good = await t.http().post('/api/courses').set(auth(admin)).send(course()).expect(201);
    const patch = await t.http().patch(`/api/courses/${good.body.id}`).set(auth(admin)).send({ level: 'kindergarten', hours: 0, audience: { ownerships: ['state'] } }).expect(400);
    expect(fields(patch)).toEqual(['audience.ownerships', 'hours']);
    expect(fields(await t.http().patch(`/api/courses/${good.body.id}`).set(auth(admin)).send({ title: null, tags: null, credits: null }).expect(400))).toEqual(['tags', 'title']);
    const level = await t.http().patch(`/api/courses/${good.body.id}`).set(auth(admin)).send({ level: 'kindergarten' }).expect(400);
    expect(fields(level)).toEqual(['level']);
    expect((await t.http().get(`/api/courses/${good.body.id}`).set(auth(admin)).expect(200)).body).toMatchObject({ level: 'district', hours: 12, version: 1 });
  });

  it('answers a repeated create with the same course, even at once, and a different course under a taken code with 409 naming code', async () => {
    const body = course();
    const first = await t.http().post('/api/courses').set(auth(admin)).send(body).expect(201);
    const again = await Promise.all([1, 2, 3].map(() => t.http().post('/api/courses').set(auth(admin)).send(body)));
    expect(again.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(again.map((r) => r.body.id))).toEqual(new Set([first.body.id]));
    expect(await count('SELECT count(*) FROM course WHERE code = $1', [body.code])).toBe(1);
    const taken = await t.http().post('/api/courses').set(auth(admin)).send({ ...body, title: '另一门课程' }).expect(409);
    expect(taken.body.error).toMatchObject({ code: 'COURSE_CODE_EXISTS', details: { field: 'code' } });

    const racing = course();
    const racers = await Promise.all([1, 2, 3, 4].map(() => t.http().post('/api/courses').set(auth(admin)).send(racing)));
    expect(racers.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(racers.map((r) => r.body.id)).size).toBe(1);
    expect(await count(`SELECT count(*) FROM audit_log WHERE entity_type = 'course' AND action = 'create' AND entity_id = $1`, [racers[0].body.id])).toBe(1);
  });

  it('lets a kindergarten admin manage only the 园本 courses of their kindergarten', async () => {
    const district = await t.http().post('/api/courses').set(auth(kgAdmin)).send(course()).expect(403);
    expect(district.body.error).toMatchObject({ code: 'COURSE_LEVEL_FORBIDDEN', details: { field: 'level' } });
    await t.http().post('/api/courses').set(auth(kgAdmin)).send(course({ level: 'city' })).expect(403);
    const own = await t.http().post('/api/courses').set(auth(kgAdmin)).send(course({ level: 'kindergarten', trainerUserIds: [] })).expect(201);
    expect(own.body).toMatchObject({ level: 'kindergarten', owner: { id: k001, kind: 'kindergarten' }, credits: 1.2 });
    const elsewhere = await t.http().post('/api/courses').set(auth(kgAdmin)).send(course({ level: 'kindergarten', ownerOrgUnitId: other })).expect(400);
    expect(fields(elsewhere)).toEqual(['ownerOrgUnitId']);

    const theirs = await t.http().post('/api/courses').set(auth(admin)).send(course({ level: 'kindergarten', ownerOrgUnitId: other })).expect(201);
    expect(theirs.body.owner).toMatchObject({ id: other, kind: 'kindergarten' });
    await t.http().get(`/api/courses/${theirs.body.id}`).set(auth(kgAdmin)).expect(404);
    await t.http().patch(`/api/courses/${theirs.body.id}`).set(auth(kgAdmin)).send({ title: '改名' }).expect(404);
    await t.http().post(`/api/courses/${theirs.body.id}/publish`).set(auth(kgAdmin)).expect(404);
    await t.http().post(`/api/courses/${theirs.body.id}/offerings`).set(auth(kgAdmin)).send(offering()).expect(404);
    const districtCourse = await t.http().post('/api/courses').set(auth(admin)).send(course()).expect(201);
    await t.http().get(`/api/courses/${districtCourse.body.id}`).set(auth(kgAdmin)).expect(404);
    const mine = await t.http().get('/api/courses?pageSize=200').set(auth(kgAdmin)).expect(200);
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(own.body.id);
    expect(new Set(mine.body.items.map((c: { ownerOrgUnitId: string }) => c.ownerOrgUnitId))).toEqual(new Set([k001]));
    expect((await t.http().get(`/api/courses/${theirs.body.id}`).set(auth(admin)).expect(200)).body.title).toBe(theirs.body.title);
  });

  it('keeps course management closed to teachers (403)', async () => {
    expect((await t.http().get('/api/courses').set(auth(teacher)).expect(403)).body.error.code).toBe('FORBIDDEN');
    await t.http().post('/api/courses').set(auth(teacher)).send(course()).expect(403);
    const { offeringId } = await publishedOffering();
    await t.http().patch(`/api/offerings/${offeringId}`).set(auth(teacher)).send({ label: '改名' }).expect(403);
    await t.http().post(`/api/offerings/${offeringId}/meetings`).set(auth(teacher)).send({ startsAt: shanghai(90 * DAY), endsAt: shanghai(90 * DAY + 3600_000), place: 'x' }).expect(403);
    await t.http().get('/api/courses').expect(401);
  });

  it('creates an offering once, checks its window and waitlist, and publishes it only with a meeting', async () => {
    const c = await t.http().post('/api/courses').set(auth(admin)).send(course()).expect(201);
    const body = offering({ kindergartenQuota: 3, approvalMode: 'kindergarten', waitlistMode: 'offer', offerExpiryHours: 48, minAttendanceShare: 0.8 });
    const created = await t.http().post(`/api/courses/${c.body.id}/offerings`).set(auth(admin)).send(body).expect(201);
    expect(created.body).toMatchObject({
      status: 'draft', capacity: 30, kindergartenQuota: 3, seatsTaken: 0, seatsLeft: 30, approvalMode: 'kindergarten', waitlistMode: 'offer',
      offerExpiryHours: 48, minAttendanceShare: 0.8, viewerCanManage: true, trainers: [{ userId: trainerId }], meetings: [], course: { id: c.body.id },
    });
    const again = await t.http().post(`/api/courses/${c.body.id}/offerings`).set(auth(admin)).send(body).expect(201);
    expect(again.body.id).toBe(created.body.id);
    expect((await t.http().post(`/api/courses/${c.body.id}/offerings`).set(auth(admin)).send({ ...body, capacity: 31 }).expect(409)).body.error.code).toBe('OFFERING_CODE_EXISTS');

    const bad = await t.http().post(`/api/courses/${c.body.id}/offerings`).set(auth(admin)).send(offering({
      enrolClosesAt: shanghai(-2 * DAY), waitlistMode: 'offer', kindergartenQuota: 40, minAttendanceShare: 1.5,
    })).expect(400);
    expect(fields(bad)).toEqual(['minAttendanceShare']);
    const rules = await t.http().post(`/api/courses/${c.body.id}/offerings`).set(auth(admin)).send(offering({
      enrolClosesAt: shanghai(-2 * DAY), withdrawDeadline: shanghai(-3 * DAY), waitlistMode: 'offer', kindergartenQuota: 40,
      priorityTiers: [{ name: '骨干优先', audience: { teacherStages: ['guru'] } }],
    })).expect(400);
    expect(fields(rules)).toEqual(['enrolClosesAt', 'kindergartenQuota', 'offerExpiryHours', 'priorityTiers.0.audience.teacherStages', 'withdrawDeadline']);
    expect(await count('SELECT count(*) FROM offering WHERE course_id = $1', [c.body.id])).toBe(1);

    const id = created.body.id;
    const capacity = await t.http().patch(`/api/offerings/${id}`).set(auth(admin)).send({ capacity: 99 }).expect(400);
    expect(fields(capacity)).toEqual(['capacity']);
    const edited = await t.http().patch(`/api/offerings/${id}`).set(auth(admin))
      .send({ label: '第一期（调整）', waitlistMode: 'auto', priorityTiers: [{ name: '骨干优先', audience: { teacherStages: ['backbone'] } }], version: created.body.version }).expect(200);
    expect(edited.body).toMatchObject({ label: '第一期（调整）', waitlistMode: 'auto', offerExpiryHours: null, capacity: 30, priorityTiers: [{ name: '骨干优先' }] });
    expect((await t.http().patch(`/api/offerings/${id}`).set(auth(admin)).send({ label: 'x', version: created.body.version }).expect(409)).body.error.code).toBe('CONFLICT');

    expect((await t.http().post(`/api/offerings/${id}/publish`).set(auth(admin)).expect(409)).body.error.code).toBe('COURSE_NOT_PUBLISHED');
    await t.http().post(`/api/courses/${c.body.id}/publish`).set(auth(admin)).expect(200);
    expect((await t.http().post(`/api/offerings/${id}/publish`).set(auth(admin)).expect(409)).body.error.code).toBe('OFFERING_INCOMPLETE');
    await t.http().post(`/api/offerings/${id}/meetings`).set(auth(admin)).send({ startsAt: shanghai(40 * DAY), endsAt: shanghai(40 * DAY + 3 * 3600_000), place: '报告厅' }).expect(201);
    expect((await t.http().post(`/api/offerings/${id}/publish`).set(auth(admin)).expect(200)).body.status).toBe('published');
    expect((await t.http().post(`/api/offerings/${id}/publish`).set(auth(admin)).expect(200)).body.status).toBe('published');
    const audit = await t.db.pool.query(`SELECT action FROM audit_log WHERE entity_type = 'offering' AND entity_id = $1 ORDER BY id`, [id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'update', 'publish']);
  });

  it('refuses meetings that end before they start, overlap another or count more hours than they last, even when added at once', async () => {
    const c = await t.http().post('/api/courses').set(auth(admin)).send(course()).expect(201);
    const o = await t.http().post(`/api/courses/${c.body.id}/offerings`).set(auth(admin)).send(offering()).expect(201);
    const at = (days: number, hours: number) => shanghai(days * DAY + hours * 3600_000);
    const add = (body: Record<string, unknown>) => t.http().post(`/api/offerings/${o.body.id}/meetings`).set(auth(admin)).send(body);

    const first = await add({ title: '开班讲座', startsAt: at(50, 0), endsAt: at(50, 2.75), place: '报告厅' }).expect(201);
    expect(first.body).toMatchObject({ title: '开班讲座', hours: 3, place: '报告厅', onlineUrl: null });
    expect((await add({ title: '开班讲座', startsAt: at(50, 0), endsAt: at(50, 2.75), place: '报告厅' }).expect(201)).body.id).toBe(first.body.id);

    const backwards = await add({ startsAt: at(51, 3), endsAt: at(51, 1), place: '报告厅' }).expect(400);
    expect(backwards.body.error.details.fields).toEqual([expect.objectContaining({ field: 'endsAt', code: 'ENDS_BEFORE_START' })]);
    const overlap = await add({ startsAt: at(50, 2), endsAt: at(50, 4), onlineUrl: 'https://meeting.example.cn/1' }).expect(400);
    expect(overlap.body.error.details.fields).toEqual([expect.objectContaining({ field: 'startsAt', code: 'MEETING_OVERLAP' })]);
    expect(fields(await add({ startsAt: at(52, 0), endsAt: at(52, 2), hours: 3, place: '报告厅' }).expect(400))).toEqual(['hours']);
    expect(fields(await add({ startsAt: at(52, 0), endsAt: at(52, 2) }).expect(400))).toEqual(['place']);
    expect(fields(await add({ startsAt: '2027-01-05 13:30', endsAt: at(52, 2), place: 'x' }).expect(400))).toEqual(['startsAt']);

    const racing = await Promise.all([add({ startsAt: at(53, 0), endsAt: at(53, 3), place: 'A' }), add({ startsAt: at(53, 1), endsAt: at(53, 4), place: 'B' })]);
    expect(racing.map((r) => r.status).sort()).toEqual([201, 400]);
    expect(await count('SELECT count(*) FROM meeting WHERE offering_id = $1', [o.body.id])).toBe(2);

    const moved = await t.http().patch(`/api/meetings/${first.body.id}`).set(auth(admin)).send({ endsAt: at(50, 1.5) }).expect(200);
    expect(moved.body.hours).toBe(1.5);
    expect(fields(await t.http().patch(`/api/meetings/${first.body.id}`).set(auth(admin)).send({ startsAt: at(53, 1), endsAt: at(53, 2) }).expect(400))).toEqual(['startsAt']);
    await t.http().delete(`/api/meetings/${first.body.id}`).set(auth(admin)).expect(204);
    await t.http().delete(`/api/meetings/${first.body.id}`).set(auth(admin)).expect(404);
    const actions = await t.db.pool.query(`SELECT action FROM audit_log WHERE entity_type = 'meeting' AND entity_id = $1 ORDER BY id`, [first.body.id]);
    expect(actions.rows.map((r) => r.action)).toEqual(['create', 'update', 'delete']);
  });

  it('keeps an online offering\'s materials, needs one to publish it, and answers a retried add with the same material', async () => {
    const c = await t.http().post('/api/courses').set(auth(admin)).send(course({ mode: 'online' })).expect(201);
    await t.http().post(`/api/courses/${c.body.id}/publish`).set(auth(admin)).expect(200);
    const o = await t.http().post(`/api/courses/${c.body.id}/offerings`).set(auth(admin)).send(offering()).expect(201);
    expect((await t.http().post(`/api/offerings/${o.body.id}/publish`).set(auth(admin)).expect(409)).body.error.code).toBe('OFFERING_INCOMPLETE');
    const add = (body: Record<string, unknown>) => t.http().post(`/api/offerings/${o.body.id}/materials`).set(auth(admin)).send(body);
    expect(fields(await add({ kind: 'video', title: '导学视频' }).expect(400))).toEqual(['url']);
    expect(fields(await add({ kind: 'podcast', title: '', url: 'ftp://x' }).expect(400))).toEqual(['kind', 'title', 'url']);
    const video = await add({ kind: 'video', title: '导学视频', url: 'https://video.example.cn/1' }).expect(201);
    expect(video.body).toMatchObject({ sortOrder: 1, required: true });
    expect((await add({ kind: 'video', title: '导学视频', url: 'https://video.example.cn/1' }).expect(201)).body.id).toBe(video.body.id);
    const page = await add({ kind: 'page', title: '学习要求', body: '完成全部视频并提交反思。', required: false }).expect(201);
    expect(page.body).toMatchObject({ sortOrder: 2, required: false, url: null });
    expect((await t.http().patch(`/api/materials/${page.body.id}`).set(auth(admin)).send({ sortOrder: 0 }).expect(200)).body.sortOrder).toBe(0);
    expect(fields(await t.http().patch(`/api/materials/${page.body.id}`).set(auth(admin)).send({ body: null }).expect(400))).toEqual(['url']);
    await t.http().post(`/api/offerings/${o.body.id}/publish`).set(auth(admin)).expect(200);
    const view = await t.http().get(`/api/offerings/${o.body.id}`).set(auth(teacher)).expect(200);
    expect(view.body.materials.map((m: { title: string }) => m.title)).toEqual(['学习要求', '导学视频']);
    await t.http().delete(`/api/materials/${video.body.id}`).set(auth(admin)).expect(204);
    expect(await count('SELECT count(*) FROM material WHERE offering_id = $1', [o.body.id])).toBe(1);
  });

  it('shows a teacher the published offerings that reach them, with seats, filters and their kindergarten\'s 园本 courses', async () => {
    const { offeringId } = await publishedOffering({ tags: ['信息化'], category: 'self_study', mode: 'hybrid', level: 'city' }, { capacity: 5 });
    const own = await publishedOffering({ level: 'kindergarten', trainerUserIds: [], category: 'ethics' }, {}, kgAdmin);
    const theirs = await publishedOffering({ level: 'kindergarten', ownerOrgUnitId: other, trainerUserIds: [] });
    const draft = await t.http().post('/api/courses').set(auth(admin)).send(course()).expect(201);
    const draftOffering = await t.http().post(`/api/courses/${draft.body.id}/offerings`).set(auth(admin)).send(offering()).expect(201);

    const { rows: [person] } = await t.db.pool.query(`SELECT p.id, p.district_id FROM app_user u JOIN person p ON p.id = u.person_id WHERE u.username = 't00040'`);
    await t.db.pool.query(
      `INSERT INTO enrollment (offering_id, course_id, person_id, district_id, level, status) SELECT o.id, o.course_id, $2, $3, 'city', 'enrolled' FROM offering o WHERE o.id = $1`,
      [offeringId, person.id, person.district_id]);

    const all = await t.http().get('/api/catalog?pageSize=200').set(auth(teacher)).expect(200);
    const ids = all.body.items.map((i: { id: string }) => i.id);
    expect(all.body.total).toBe(all.body.items.length);
    expect(ids).toEqual(expect.arrayContaining([offeringId, own.offeringId, demoOffering('QP26-KS-01', '2026-1')]));
    expect(ids).not.toContain(theirs.offeringId);
    expect(ids).not.toContain(draftOffering.body.id);
    expect(ids).not.toContain(demoOffering('QP26-KS-01', 'nope'));
    const item = all.body.items.find((i: { id: string }) => i.id === offeringId);
    expect(item).toMatchObject({ capacity: 5, seatsTaken: 1, seatsLeft: 4, meetingCount: 1, enrolmentOpen: true, course: { category: 'self_study', level: 'city', mode: 'hybrid', hours: 12, credits: 1.2 } });
    expect(item.firstMeetingAt).toBeTruthy();
    // Pages follow the same order, and every page (even one past the end) tells the exact total.
    const pageOf = async (page: number) => (await t.http().get(`/api/catalog?pageSize=3&page=${page}`).set(auth(teacher)).expect(200)).body;
    const [first, second, past] = await Promise.all([pageOf(1), pageOf(2), pageOf(Math.ceil(all.body.total / 3) + 1)]);
    expect([...first.items, ...second.items].map((i: { id: string }) => i.id)).toEqual(ids.slice(0, 6));
    expect([first.total, second.total, past.total]).toEqual([all.body.total, all.body.total, all.body.total]);
    expect(past.items).toEqual([]);

    const filtered = async (query: Record<string, string>) =>
      (await t.http().get('/api/catalog').query({ pageSize: '200', ...query }).set(auth(teacher)).expect(200)).body.items as Array<Record<string, any>>;
    expect((await filtered({ tag: '信息化' })).map((i) => i.id)).toContain(offeringId);
    expect((await filtered({ tag: '安吉游戏' })).every((i) => i.course.tags.includes('安吉游戏'))).toBe(true);
    expect((await filtered({ category: 'ethics' })).every((i) => i.course.category === 'ethics')).toBe(true);
    const kindergarten = await filtered({ level: 'kindergarten' });
    expect(kindergarten.length).toBeGreaterThan(0);
    expect(kindergarten.every((i) => i.owner.id === k001)).toBe(true);
    expect((await filtered({ mode: 'online' })).every((i) => i.course.mode === 'online')).toBe(true);
    expect((await filtered({ q: 'QP26-PR-04' })).map((i) => i.course.code)).toEqual(['QP26-PR-04']);
    const winter = await filtered({ from: '2027-01-01', to: '2027-01-10' });
    expect(winter.length).toBeGreaterThan(0);
    expect(winter.every((i) => i.lastMeetingAt >= '2026-12-31T16:00:00.000Z' && i.firstMeetingAt < '2027-01-10T16:00:00.000Z')).toBe(true);
    expect(winter.map((i) => i.id)).not.toContain(offeringId);

    const { rows: [stranger] } = await t.db.pool.query(
      `SELECT u.username FROM app_user u JOIN person p ON p.id = u.person_id WHERE p.current_org_unit_id = $1 ORDER BY u.username LIMIT 1`, [other]);
    const outsider = await t.token(stranger.username);
    await t.http().get(`/api/offerings/${own.offeringId}`).set(auth(outsider)).expect(404);
    await t.http().get(`/api/offerings/${draftOffering.body.id}`).set(auth(teacher)).expect(404);
    const visible = await t.http().get(`/api/offerings/${own.offeringId}`).set(auth(teacher)).expect(200);
    expect(visible.body).toMatchObject({ viewerCanManage: false, meetings: [expect.objectContaining({ place: '青浦区教师进修学院' })] });
    expect((await t.http().get(`/api/offerings/${draftOffering.body.id}`).set(auth(admin)).expect(200)).body.status).toBe('draft');
    const districtView = await t.http().get('/api/catalog?pageSize=200').set(auth(admin)).expect(200);
    expect(districtView.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([own.offeringId, theirs.offeringId]));
    expect(districtView.body.items[0]).not.toHaveProperty('eligibility');
  });

  it('tells a teacher why they may not enrol, in Chinese or English, and filters to what they may enrol in', async () => {
    const { rows: [me] } = await t.db.pool.query(`SELECT p.teacher_stage, p.current_post FROM app_user u JOIN person p ON p.id = u.person_id WHERE u.username = 'teacher'`);
    const stageNames: Record<string, [string, string]> = { novice: ['新手型', 'Novice'], competent: ['胜任型', 'Competent'], backbone: ['骨干型', 'Backbone'] };
    const otherStage = Object.keys(stageNames).find((s) => s !== me.teacher_stage)!;
    const stageOnly = await publishedOffering({ audience: { teacherStages: [otherStage] } });
    const principals = await publishedOffering({ audience: { posts: ['principal', 'vice_principal'], ownerships: ['private'] } });
    const open = await publishedOffering({ audience: { posts: [me.current_post], teacherStages: [me.teacher_stage] } });
    const later = await publishedOffering({}, { enrolOpensAt: shanghai(10 * DAY) });
    const closed = await publishedOffering({}, { enrolOpensAt: shanghai(-10 * DAY), enrolClosesAt: shanghai(-DAY), withdrawDeadline: shanghai(-DAY) });

    const zh = await t.http().get('/api/catalog?pageSize=200').set(auth(teacher)).expect(200);
    const reasons = (body: { items: Array<{ id: string; eligibility: { eligible: boolean; reasons: Array<{ code: string; message: string }> } }> }, id: string) =>
      body.items.find((i) => i.id === id)!.eligibility;
    expect(reasons(zh.body, stageOnly.offeringId)).toEqual({ eligible: false, reasons: [{ code: 'NOT_IN_AUDIENCE', message: `仅面向：${stageNames[otherStage][0]}教师` }] });
    expect(reasons(zh.body, principals.offeringId).reasons.map((r) => r.message)).toEqual(['仅面向：园长、副园长', '仅面向：民办幼儿园']);
    expect(reasons(zh.body, open.offeringId)).toEqual({ eligible: true, reasons: [] });
    expect(reasons(zh.body, later.offeringId).reasons).toEqual([expect.objectContaining({ code: 'ENROLLMENT_NOT_OPEN', message: expect.stringMatching(/^报名尚未开始（\d{4}-\d\d-\d\d \d\d:\d\d 开始）$/) })]);
    expect(reasons(zh.body, closed.offeringId).reasons).toEqual([expect.objectContaining({ code: 'ENROLLMENT_CLOSED' })]);

    const en = await t.http().get('/api/catalog?pageSize=200&lang=en').set(auth(teacher)).expect(200);
    expect(reasons(en.body, stageOnly.offeringId).reasons).toEqual([{ code: 'NOT_IN_AUDIENCE', message: `Only for teachers at the stage: ${stageNames[otherStage][1]}` }]);
    expect(reasons(en.body, principals.offeringId).reasons.map((r) => r.message)).toEqual(['Only for: Principal, Vice principal', 'Only for kindergartens of ownership: Private']);
    expect(reasons(en.body, later.offeringId).reasons[0].message).toMatch(/^Enrolment has not opened yet/);

    // Stage names are kept in memory; renaming a stage shows at once, and so does naming it back.
    const rename = (nameEn: string) => t.http().patch(`/api/stages/teacher/${otherStage}`).set(auth(admin)).send({ nameEn }).expect(200);
    await rename('Renamed stage');
    const renamed = await t.http().get('/api/catalog?pageSize=200&lang=en').set(auth(teacher)).expect(200);
    expect(reasons(renamed.body, stageOnly.offeringId).reasons[0].message).toBe('Only for teachers at the stage: Renamed stage');
    await rename(stageNames[otherStage][1]);
    const back = await t.http().get('/api/catalog?pageSize=200&lang=en').set(auth(teacher)).expect(200);
    expect(reasons(back.body, stageOnly.offeringId).reasons[0].message).toBe(`Only for teachers at the stage: ${stageNames[otherStage][1]}`);

    const eligible = await t.http().get('/api/catalog?pageSize=200&eligible=true').set(auth(teacher)).expect(200);
    const eligibleIds = eligible.body.items.map((i: { id: string }) => i.id);
    expect(eligibleIds).toContain(open.offeringId);
    for (const refused of [stageOnly, principals, later, closed]) expect(eligibleIds).not.toContain(refused.offeringId);
    expect(eligible.body.items.every((i: { eligibility: { eligible: boolean } }) => i.eligibility.eligible)).toBe(true);
    const everyEligible = zh.body.items.filter((i: { eligibility: { eligible: boolean } }) => i.eligibility.eligible).map((i: { id: string }) => i.id);
    expect(eligibleIds.sort()).toEqual(everyEligible.sort());
    expect((await t.http().get('/api/catalog?eligible=true').set(auth(admin)).expect(200)).body.total).toBe(0);

    const words = await t.app.get(CatalogService).describeAudienceMisses([{ dimension: 'teacherStages', allowed: ['backbone'] }, { dimension: 'titles', allowed: ['senior', 'none'] }], 'zh-CN');
    expect(words).toEqual([{ code: 'NOT_IN_AUDIENCE', message: '仅面向：骨干型教师' }, { code: 'NOT_IN_AUDIENCE', message: '仅面向职称：高级、无职称' }]);
  });

  describe('pages', () => {
    const signIn = (username: string) => t.signInPages(username);
    const csrfOf = (html: string) => /name="csrf-token" content="([^"]+)"/.exec(html)![1];

    it('renders the catalog with cards and reasons, in Chinese and English', async () => {
      const browser = await signIn('teacher');
      const page = await browser.get('/catalog?category=knowledge_skills&level=&mode=&tag=&q=&from=&to=').expect(200);
      expect(page.text).toMatch(/<h1[^>]*>课程目录<\/h1>/);
      expect(page.text).toContain('安吉游戏理念下的户外自主游戏观察与支持');
      expect(page.text).toContain('知识技能');
      expect(page.text).not.toContain('>师德素养</span>');
      expect(page.text).toContain('data-testid="ineligible-reasons"');
      await browser.get('/catalog?lang=en').expect(303);
      const english = await browser.get('/catalog?tag=安吉游戏').expect(200);
      expect(english.text).toContain('Course catalog');
      expect(english.text).toContain('Knowledge and skills');
      await browser.get('/courses').expect(403);
    });

    it('creates a course through the form, keeping what was typed and naming the bad fields, then an offering with a meeting', async () => {
      const browser = await signIn('district_admin');
      const list = await browser.get('/courses?status=published').expect(200);
      expect(list.text).toContain('QP26-KS-01');
      const form = await browser.get('/courses/new').expect(200);
      const csrf = csrfOf(form.text);
      const courses = await count('SELECT count(*) FROM course');
      const bad = await browser.post('/courses').type('form').send({
        _csrf: csrf, code: 'x', title: '页面创建的课程', category: 'practice', level: 'district', mode: 'offline', hours: 'abc', credits: '',
        tags: '保育，卫生保健', posts: ['caregiver', 'health'], ownerOrgUnitId: '',
      }).expect(400);
      expect(bad.text).toContain('data-field-error="code"');
      expect(bad.text).toContain('data-field-error="hours"');
      expect(bad.text).not.toContain('data-field-error="title"');
      expect(bad.text).toContain('value="页面创建的课程"');
      expect(bad.text).toContain('value="保育，卫生保健"');
      expect(bad.text).toMatch(/name="posts" value="caregiver" checked/);
      expect(await count('SELECT count(*) FROM course')).toBe(courses);
      const created = await browser.post('/courses').type('form').send({
        _csrf: csrf, code: 'PAGE-01', title: '页面创建的课程', category: 'practice', level: 'district', mode: 'offline', hours: '6', credits: '',
        tags: '保育，卫生保健', posts: ['caregiver', 'health'], trainerUserIds: trainerId, ownerOrgUnitId: '',
      }).expect(303);
      const coursePage = await browser.get(created.headers.location).expect(200);
      expect(coursePage.text).toContain('课程已创建');
      expect(coursePage.text).toContain('6 学时 / 0.6 学分');
      const id = created.headers.location.split('/').pop()!;
      const stored = (await t.http().get(`/api/courses/${id}`).set(auth(admin)).expect(200)).body;
      expect(stored).toMatchObject({ tags: ['保育', '卫生保健'], audience: { posts: ['caregiver', 'health'] }, trainers: [{ userId: trainerId }], creditsFromRule: true });

      const edit = await browser.post(`/courses/${id}`).type('form').send({
        _csrf: csrf, code: 'PAGE-01', title: '', category: 'practice', level: 'district', mode: 'offline', hours: '6', credits: '', tags: '', version: '1',
      }).expect(400);
      expect(edit.text).toContain('data-field-error="title"');
      await browser.post(`/courses/${id}/publish`).type('form').send({ _csrf: csrf }).expect(303);

      const badOffering = await browser.post(`/courses/${id}/offerings`).type('form').send({
        _csrf: csrf, code: '2027-1', label: '春季班', capacity: '40', enrolOpensAt: '2026-11-01T00:00', enrolClosesAt: '2026-10-01T00:00',
        withdrawDeadline: '2027-03-01T17:00', approvalMode: 'none', waitlistMode: 'auto', minAttendanceShare: '0.8',
      }).expect(400);
      expect(badOffering.text).toContain('data-field-error="enrolClosesAt"');
      expect(badOffering.text).toContain('value="春季班"');
      const offeringCreated = await browser.post(`/courses/${id}/offerings`).type('form').send({
        _csrf: csrf, code: '2027-1', label: '春季班', capacity: '40', enrolOpensAt: '2026-11-01T00:00', enrolClosesAt: '2027-02-28T17:00',
        withdrawDeadline: '2027-03-01T17:00', approvalMode: 'none', waitlistMode: 'auto', minAttendanceShare: '0.8', trainerUserIds: trainerId,
      }).expect(303);
      const offeringUrl = offeringCreated.headers.location;
      expect(offeringUrl).toMatch(/^\/courses\/offerings\//);
      const offeringPage = await browser.get(offeringUrl).expect(200);
      expect(offeringPage.text).toContain('value="2026-11-01T00:00"');
      await browser.post(`${offeringUrl}/publish`).type('form').send({ _csrf: csrf }).expect(303);
      expect((await browser.get(offeringUrl).expect(200)).text).toContain('班次至少需要一个课次');
      await browser.post(`${offeringUrl}/meetings`).type('form').send({ _csrf: csrf, title: '开班', startsAt: '2027-03-04T13:30', endsAt: '2027-03-04T16:30', place: '报告厅', onlineUrl: '', hours: '' }).expect(303);
      const overlap = await browser.post(`${offeringUrl}/meetings`).type('form')
        .send({ _csrf: csrf, title: '重叠', startsAt: '2027-03-04T15:00', endsAt: '2027-03-04T17:00', place: '报告厅', onlineUrl: '', hours: '' }).expect(400);
      expect(overlap.text).toContain('与本班次的其他课次时间重叠');
      expect(overlap.text).toContain('value="重叠"');
      const withMeeting = await browser.get(offeringUrl).expect(200);
      expect(withMeeting.text).toContain('2027-03-04 13:30–16:30');
      await browser.post(`${offeringUrl}/materials`).type('form').send({ _csrf: csrf, kind: 'document', title: '讲义', url: 'https://docs.example.cn/1', body: '', sortOrder: '', required: 'on' }).expect(303);
      await browser.post(`${offeringUrl}/publish`).type('form').send({ _csrf: csrf }).expect(303);
      const published = await browser.get(offeringUrl).expect(200);
      expect(published.text).toContain('班次已发布');
      expect(published.text).toContain('讲义');
    });
  });

  function demoOffering(courseCode: string, offeringCode: string): string {
    return demoIds.get(`${courseCode}:${offeringCode}`) ?? `missing ${courseCode}:${offeringCode}`;
  }
  const demoIds = new Map<string, string>();
  beforeAll(async () => {
    const { rows } = await t.db.pool.query(`SELECT c.code AS course, o.code AS offering, o.id FROM offering o JOIN course c ON c.id = o.course_id`);
    for (const row of rows) demoIds.set(`${row.course}:${row.offering}`, row.id);
  });
});
