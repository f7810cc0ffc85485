import { startTestApp, type TestApp } from '../support/test-app.js';
import { createOffering, sessionTokens, teachers } from '../support/offering-fixtures.js';

describe('enrolment: seats, waitlists, approvals and withdrawals', () => {
  let t: TestApp;
  let learners: Array<{ username: string; personId: string; kindergartenId: string }>;
  let tokens: Map<string, string>;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const as = (username: string) => auth(tokens.get(username)!);
  const enrol = (username: string, offeringId: string) => t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as(username)).send({});
  const statusOf = async (id: string) => (await t.db.pool.query('SELECT status FROM enrollment WHERE id = $1', [id])).rows[0].status as string;

  beforeAll(async () => {
    t = await startTestApp();
    // Teachers from distinct kindergartens first, so quotas do not get in the way unless a test wants them.
    learners = await teachers(t.db.pool, 260);
    tokens = await sessionTokens(t.db.pool, learners.map((l) => l.username));
    for (const name of ['district_admin', 'kg_admin', 'teacher', 'trainer']) tokens.set(name, await t.token(name));
  });
  afterAll(() => t.close());

  it('enrols a learner and answers the same enrolment when they ask again', async () => {
    const { offeringId } = await createOffering(t.db.pool);
    const first = await enrol(learners[0].username, offeringId).expect(201);
    expect(first.body).toMatchObject({ status: 'enrolled', waitlistPosition: null });
    const again = await enrol(learners[0].username, offeringId).expect(200);
    expect(again.body.id).toBe(first.body.id);
    const parallel = await Promise.all(Array.from({ length: 10 }, () => enrol(learners[1].username, offeringId)));
    expect(new Set(parallel.map((r) => r.body.id)).size).toBe(1);
    const { rows } = await t.db.pool.query('SELECT count(*)::int AS n FROM enrollment WHERE offering_id = $1', [offeringId]);
    expect(rows[0].n).toBe(2);
  });

  it('gives the last seat to exactly one of two hundred simultaneous requests', async () => {
    const { offeringId } = await createOffering(t.db.pool, { capacity: 1, waitlistMode: 'none' });
    const crowd = learners.slice(10, 210);
    const answers = await Promise.all(crowd.map((l) => enrol(l.username, offeringId)));
    const codes = answers.map((r) => r.status);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(199);
    expect(answers.find((r) => r.status === 409)!.body.error.code).toBe('ENROLLMENT_FULL');
    const { rows } = await t.db.pool.query(`SELECT status, count(*)::int AS n FROM enrollment WHERE offering_id = $1 GROUP BY status`, [offeringId]);
    expect(rows).toEqual([{ status: 'enrolled', n: 1 }]);
  });

  it('keeps capacity exact when many ask at once for a few seats with a waitlist', async () => {
    const { offeringId } = await createOffering(t.db.pool, { capacity: 5, waitlistMode: 'auto' });
    const answers = await Promise.all(learners.slice(210, 250).map((l) => enrol(l.username, offeringId)));
    expect(answers.every((r) => r.status === 201)).toBe(true);
    expect(answers.filter((r) => r.body.status === 'enrolled')).toHaveLength(5);
    const positions = answers.filter((r) => r.body.status === 'waitlisted').map((r) => r.body.waitlistPosition).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    const roster = await t.http().get(`/api/offerings/${offeringId}/roster?status=waitlisted`).set(as('district_admin')).expect(200);
    const byId = new Map(answers.map((r) => [r.body.id, r.body.waitlistPosition]));
    expect(roster.body.items.map((i: { waitlistPosition: number }) => i.waitlistPosition)).toEqual(positions);
    expect(roster.body.items.map((i: { id: string }) => byId.get(i.id))).toEqual(positions);
    expect(roster.body.seats).toMatchObject({ enrolled: 5, waitlisted: 35 });
  });

  it('places a burst in arrival order under tiers and quotas, answering each the place it got when placed', async () => {
    const crowd = learners.slice(151, 191);
    const tiers = [{ name: '指定幼儿园优先', audience: { kindergartenIds: [crowd[20].kindergartenId] } }];
    const { offeringId } = await createOffering(t.db.pool, { capacity: 5, kindergartenQuota: 2, priorityTiers: tiers });
    const answers = await Promise.all(crowd.map((l) => enrol(l.username, offeringId)));
    expect(answers.map((r) => r.status)).toEqual(crowd.map(() => 201));
    const { rows } = await t.db.pool.query(
      `SELECT e.id, e.status, e.kindergarten_id AS "kindergartenId", e.priority_tier AS tier,
              (SELECT count(*)::int FROM enrollment w WHERE w.offering_id = e.offering_id AND w.status = 'waitlisted' AND w.requested_at <= e.requested_at
                  AND (w.priority_tier, w.requested_at, w.id) <= (e.priority_tier, e.requested_at, e.id)) AS "placeWhenPlaced"
         FROM enrollment e WHERE e.offering_id = $1 ORDER BY e.requested_at`, [offeringId]);
    expect(rows).toHaveLength(crowd.length);
    const { rows: [times] } = await t.db.pool.query(`SELECT count(DISTINCT requested_at)::int AS n FROM enrollment WHERE offering_id = $1`, [offeringId]);
    expect(times.n).toBe(crowd.length);
    expect(new Set(rows.map((r) => r.tier))).toEqual(new Set([0, 1]));
    // As if one by one in request order: a seat while one is left and the kindergarten has fewer than two, else the waitlist.
    let seats = 0;
    const perKindergarten = new Map<string, number>();
    for (const row of rows) {
      const taken = perKindergarten.get(row.kindergartenId) ?? 0;
      const fits = seats < 5 && taken < 2;
      expect(row.status).toBe(fits ? 'enrolled' : 'waitlisted');
      if (fits) { seats += 1; perKindergarten.set(row.kindergartenId, taken + 1); }
    }
    const answered = new Map(answers.map((r) => [r.body.id, r.body.waitlistPosition]));
    expect(rows.map((r) => answered.get(r.id))).toEqual(rows.map((r) => (r.status === 'waitlisted' ? r.placeWhenPlaced : null)));
  });

  it('promotes the first in line at once when a seat is withdrawn, records who did what, and tells them', async () => {
    const { offeringId } = await createOffering(t.db.pool, { capacity: 2 });
    const [a, b, c, d] = learners.slice(20, 24);
    const ea = (await enrol(a.username, offeringId).expect(201)).body;
    await enrol(b.username, offeringId).expect(201);
    const ec = (await enrol(c.username, offeringId).expect(201)).body;
    const ed = (await enrol(d.username, offeringId).expect(201)).body;
    expect([ec.status, ec.waitlistPosition, ed.waitlistPosition]).toEqual(['waitlisted', 1, 2]);

    const withdrawn = await t.http().post(`/api/enrollments/${ea.id}/withdraw`).set(as(a.username)).send({ reason: '园内活动冲突' }).expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(await statusOf(ec.id)).toBe('enrolled');
    const mine = await t.http().get(`/api/enrollments/${ed.id}`).set(as(d.username)).expect(200);
    expect(mine.body.waitlistPosition).toBe(1);

    const history = await t.http().get(`/api/enrollments/${ec.id}`).set(as(c.username)).expect(200);
    expect(history.body.events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['waitlisted', 'enrolled']);
    expect(history.body.events[1].reason).toBe('PROMOTED_FROM_WAITLIST');
    const notes = await t.db.pool.query(
      `SELECT n.title FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = $1 AND n.kind = 'enrollment.promoted'`, [c.username]);
    expect(notes.rows).toHaveLength(1);
    expect(notes.rows[0].title).toContain('候补成功');

    // Withdrawing twice changes nothing more.
    await t.http().post(`/api/enrollments/${ea.id}/withdraw`).set(as(a.username)).send({}).expect(200);
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM enrollment_event WHERE enrollment_id = $1`, [ea.id])).rows[0].n).toBe(2);
  });

  it('offers a freed seat with an expiry, and passes it on when the offer lapses', async () => {
    const { offeringId } = await createOffering(t.db.pool, { capacity: 1, waitlistMode: 'offer', offerExpiryHours: 12 });
    const [a, b, c] = learners.slice(30, 33);
    const ea = (await enrol(a.username, offeringId)).body;
    const eb = (await enrol(b.username, offeringId)).body;
    const ec = (await enrol(c.username, offeringId)).body;
    await t.http().post(`/api/enrollments/${ea.id}/withdraw`).set(as(a.username)).send({}).expect(200);
    const offered = await t.http().get(`/api/enrollments/${eb.id}`).set(as(b.username)).expect(200);
    expect(offered.body.status).toBe('offered');
    const hoursLeft = (new Date(offered.body.offerExpiresAt).getTime() - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(11.9);
    expect(hoursLeft).toBeLessThanOrEqual(12);

    // C cannot take B's offer; B lets it lapse; the sweep passes it to C.
    await t.http().post(`/api/enrollments/${eb.id}/accept`).set(as(c.username)).expect(404);
    await t.db.pool.query(`UPDATE enrollment SET offer_expires_at = now() - interval '1 minute' WHERE id = $1`, [eb.id]);
    await t.http().post(`/api/enrollments/${eb.id}/accept`).set(as(b.username)).expect(409);
    expect(await statusOf(eb.id)).toBe('withdrawn');
    expect(await statusOf(ec.id)).toBe('offered');
    const accepted = await t.http().post(`/api/enrollments/${ec.id}/accept`).set(as(c.username)).expect(200);
    expect(accepted.body.status).toBe('enrolled');
  });

  it('orders the waitlist by priority tier, then by time, and respects the per-kindergarten quota', async () => {
    const early = learners[40];
    const late = learners.find((l) => l.kindergartenId !== early.kindergartenId && l.username > early.username)!;
    const tiers = [{ name: '指定幼儿园优先', audience: { kindergartenIds: [late.kindergartenId] } }];
    const { offeringId } = await createOffering(t.db.pool, { capacity: 1, priorityTiers: tiers });
    await enrol(learners[150].username, offeringId).expect(201);
    const e1 = (await enrol(early.username, offeringId)).body;
    const e2 = (await enrol(late.username, offeringId)).body;
    expect(e2.waitlistPosition).toBe(1);
    expect((await t.http().get(`/api/enrollments/${e1.id}`).set(as(early.username))).body.waitlistPosition).toBe(2);

    const sameKindergarten = await teachers(t.db.pool, 3, `p.current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K002')`);
    const more = await sessionTokens(t.db.pool, sameKindergarten.map((l) => l.username));
    for (const [k, v] of more) tokens.set(k, v);
    const quota = await createOffering(t.db.pool, { capacity: 5, kindergartenQuota: 2 });
    const answers = [];
    for (const l of sameKindergarten) answers.push((await enrol(l.username, quota.offeringId)).body.status);
    expect(answers).toEqual(['enrolled', 'enrolled', 'waitlisted']);
  });

  it('asks the kindergarten (then the district) to approve, without holding a seat meanwhile', async () => {
    const { offeringId } = await createOffering(t.db.pool, { capacity: 1, approvalMode: 'kindergarten_then_district' });
    const teacher = (await enrol('teacher', offeringId).expect(201)).body;
    expect(teacher).toMatchObject({ status: 'pending_approval', waitlistPosition: null });
    const other = learners.find((l) => l.kindergartenId !== learners[0].kindergartenId && l.username > 't00100')!;
    const stranger = (await enrol(other.username, offeringId).expect(201)).body;

    // The first kindergarten's admin sees their teacher's request, not the other kindergarten's.
    const inbox = await t.http().get('/api/approvals').set(as('kg_admin')).expect(200);
    const ids = inbox.body.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(teacher.id);
    expect(ids).not.toContain(stranger.id);
    await t.http().post(`/api/enrollments/${stranger.id}/approve`).set(as('kg_admin')).expect(404);
    await t.http().post(`/api/enrollments/${teacher.id}/approve`).set(as('teacher')).expect(403);

    const step1 = await t.http().post(`/api/enrollments/${teacher.id}/approve`).set(as('kg_admin')).expect(200);
    expect(step1.body.status).toBe('pending_approval');
    expect((await t.db.pool.query('SELECT approval_step FROM enrollment WHERE id = $1', [teacher.id])).rows[0].approval_step).toBe('district');
    const districtInbox = await t.http().get('/api/approvals').set(as('district_admin')).expect(200);
    expect(districtInbox.body.items.map((i: { id: string }) => i.id)).toContain(teacher.id);
    const step2 = await t.http().post(`/api/enrollments/${teacher.id}/approve`).set(as('district_admin')).expect(200);
    expect(step2.body.status).toBe('enrolled');

    const declined = await t.http().post(`/api/enrollments/${stranger.id}/decline`).set(as('district_admin')).send({ reason: '名额已满' }).expect(200);
    expect(declined.body.status).toBe('declined');
    const bad = await t.http().post(`/api/enrollments/${stranger.id}/decline`).set(as('district_admin')).send({}).expect(400);
    expect(new Set(bad.body.error.details.fields.map((f: { field: string }) => f.field))).toEqual(new Set(['reason']));
    expect(await statusOf(stranger.id)).toBe('declined');
  });

  it('places an approved request by its original request time', async () => {
    const { offeringId } = await createOffering(t.db.pool, { capacity: 1, approvalMode: 'kindergarten' });
    const [a, b, c] = learners.slice(50, 53);
    const ea = (await enrol(a.username, offeringId)).body;
    const eb = (await enrol(b.username, offeringId)).body;
    const ec = (await enrol(c.username, offeringId)).body;
    const admin = as('district_admin');
    expect((await t.http().post(`/api/enrollments/${eb.id}/approve`).set(admin)).body.status).toBe('enrolled');
    expect((await t.http().post(`/api/enrollments/${ec.id}/approve`).set(admin)).body).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await t.http().post(`/api/enrollments/${ea.id}/approve`).set(admin)).body).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await t.http().get(`/api/enrollments/${ec.id}`).set(as(c.username))).body.waitlistPosition).toBe(2);
  });

  it('lets only an admin withdraw after the deadline', async () => {
    const { offeringId } = await createOffering(t.db.pool, { withdrawIn: -1, trainerUsername: 'trainer' });
    const learner = learners[60];
    const e = (await enrol(learner.username, offeringId).expect(201)).body;
    const late = await t.http().post(`/api/enrollments/${e.id}/withdraw`).set(as(learner.username)).send({}).expect(422);
    expect(late.body.error.code).toBe('WITHDRAWAL_DEADLINE_PASSED');
    expect(await statusOf(e.id)).toBe('enrolled');
    expect((await t.http().post(`/api/enrollments/${e.id}/withdraw`).set(as('trainer')).send({}).expect(403)).body.error.code).toBe('WITHDRAW_NOT_ALLOWED');
    await t.http().post(`/api/enrollments/${e.id}/withdraw`).set(as('district_admin')).send({ reason: '调离本区' }).expect(200);
    expect(await statusOf(e.id)).toBe('withdrawn');
  });

  it('refuses ineligible requests with a stable code and the reason in the caller’s language', async () => {
    const learner = learners[70];
    const principals = await createOffering(t.db.pool, { audience: { posts: ['principal', 'vice_principal'] } });
    const zh = await enrol(learner.username, principals.offeringId).expect(422);
    expect(zh.body.error.code).toBe('NOT_IN_AUDIENCE');
    expect(zh.body.error.message).toContain('园长');
    const en = await t.http().post(`/api/offerings/${principals.offeringId}/enrollments?lang=en`).set(as(learner.username)).send({}).expect(422);
    expect(en.body.error.message).toContain('Principal');

    const closed = await createOffering(t.db.pool, { opensIn: -48, closesIn: -1 });
    expect((await enrol(learner.username, closed.offeringId).expect(422)).body.error.code).toBe('ENROLLMENT_CLOSED');
    const notYet = await createOffering(t.db.pool, { opensIn: 5 });
    expect((await enrol(learner.username, notYet.offeringId).expect(422)).body.error.code).toBe('ENROLLMENT_NOT_OPEN');

    const done = await createOffering(t.db.pool);
    const first = (await enrol(learner.username, done.offeringId)).body;
    await t.db.pool.query(`UPDATE enrollment SET status = 'completed' WHERE id = $1`, [first.id]);
    const { rows: [second] } = await t.db.pool.query(
      `INSERT INTO offering (course_id, district_id, code, capacity, enrol_opens_at, enrol_closes_at, withdraw_deadline, approval_mode, waitlist_mode, status)
       SELECT course_id, district_id, 'O2', 10, enrol_opens_at, enrol_closes_at, withdraw_deadline, 'none', 'auto', 'published' FROM offering WHERE id = $1 RETURNING id`,
      [done.offeringId]);
    expect((await enrol(learner.username, second.id).expect(422)).body.error.code).toBe('ALREADY_COMPLETED');

    const sanctioned = learners[71];
    await t.http().post(`/api/people/${sanctioned.personId}/ethics-sanctions`).set(as('district_admin'))
      .send({ kind: 'warning', decidedOn: new Date().toISOString().slice(0, 10), reason: '违反职业行为准则' }).expect(201);
    const blocked = await enrol(sanctioned.username, (await createOffering(t.db.pool)).offeringId).expect(422);
    expect(blocked.body.error.code).toBe('ETHICS_BLOCKED');
    expect(blocked.body.error.details.reasons.map((r: { code: string }) => r.code)).toEqual(['ETHICS_BLOCKED']);
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM enrollment WHERE person_id = $1`, [sanctioned.personId]);
    expect(rows[0].n).toBe(0);
  });

  it('blocks city-level enrolment for a year after a city-level no-show, and nothing else', async () => {
    const learner = learners[80];
    const city = await createOffering(t.db.pool, { level: 'city', meetings: [{ startsIn: -2, hours: 1 }], trainerUsername: 'trainer' });
    const e = (await enrol(learner.username, city.offeringId).expect(201)).body;
    await t.http().post(`/api/enrollments/${e.id}/no-show`).set(as('teacher')).expect(403);
    const marked = await t.http().post(`/api/enrollments/${e.id}/no-show`).set(as('trainer')).expect(200);
    expect(marked.body.status).toBe('no_show');

    const nextCity = await createOffering(t.db.pool, { level: 'city' });
    const refused = await enrol(learner.username, nextCity.offeringId).expect(422);
    expect(refused.body.error.code).toBe('NO_SHOW_BLOCKED');
    const expected = new Date(Date.now() + 365 * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
    expect(refused.body.error.details.reasons[0].params.until).toBe(expected);
    await enrol(learner.username, (await createOffering(t.db.pool, { level: 'district' })).offeringId).expect(201);
  });

  it('refuses a cancelled offering and a full one without a waitlist, and tells the enrolled when it is cancelled', async () => {
    const { offeringId } = await createOffering(t.db.pool, { capacity: 1, waitlistMode: 'none' });
    const [a, b] = learners.slice(90, 92);
    const ea = (await enrol(a.username, offeringId).expect(201)).body;
    expect((await enrol(b.username, offeringId).expect(409)).body.error.code).toBe('ENROLLMENT_FULL');
    await t.http().post(`/api/offerings/${offeringId}/cancel`).set(as('teacher')).send({ reason: 'x' }).expect(403);
    await t.http().post(`/api/offerings/${offeringId}/cancel`).set(as('district_admin')).send({ reason: '讲师临时有事' }).expect(200);
    expect(await statusOf(ea.id)).toBe('cancelled');
    expect((await enrol(b.username, offeringId).expect(409)).body.error.code).toBe('OFFERING_CANCELLED');
    const notes = await t.db.pool.query(`SELECT n.body FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = $1 AND n.kind = 'enrollment.cancelled'`, [a.username]);
    expect(notes.rows[0].body).toContain('讲师临时有事');
  });

  it('refuses a capacity below the seats taken unless asked to bump, and fills seats when it rises', async () => {
    const { offeringId } = await createOffering(t.db.pool, { capacity: 3 });
    const group = learners.slice(100, 105);
    const ids: string[] = [];
    for (const l of group) ids.push((await enrol(l.username, offeringId)).body.id);
    const refused = await t.http().post(`/api/offerings/${offeringId}/capacity`).set(as('district_admin')).send({ capacity: 2 }).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'CAPACITY_BELOW_ENROLLED', details: { field: 'capacity', held: 3 } });
    expect((await t.db.pool.query('SELECT capacity FROM offering WHERE id = $1', [offeringId])).rows[0].capacity).toBe(3);
    const bad = await t.http().post(`/api/offerings/${offeringId}/capacity`).set(as('district_admin')).send({ capacity: -1 }).expect(400);
    expect(bad.body.error.details.fields[0].field).toBe('capacity');

    await t.http().post(`/api/offerings/${offeringId}/capacity`).set(as('district_admin')).send({ capacity: 2, bumpToWaitlist: true }).expect(200);
    expect(await Promise.all(ids.map(statusOf))).toEqual(['enrolled', 'enrolled', 'waitlisted', 'waitlisted', 'waitlisted']);
    expect((await t.http().get(`/api/enrollments/${ids[2]}`).set(as(group[2].username))).body.waitlistPosition).toBe(1);

    await t.http().post(`/api/offerings/${offeringId}/capacity`).set(as('district_admin')).send({ capacity: 4 }).expect(200);
    expect(await Promise.all(ids.map(statusOf))).toEqual(['enrolled', 'enrolled', 'enrolled', 'enrolled', 'waitlisted']);
  });

  it('keeps a promotion when the notification fails, and sends it on the sweep', async () => {
    const { offeringId } = await createOffering(t.db.pool, { capacity: 1 });
    const [a, b] = learners.slice(110, 112);
    const ea = (await enrol(a.username, offeringId)).body;
    const eb = (await enrol(b.username, offeringId)).body;
    await t.db.pool.query(`ALTER TABLE notification ADD CONSTRAINT test_down CHECK (false) NOT VALID`);
    try {
      await t.http().post(`/api/enrollments/${ea.id}/withdraw`).set(as(a.username)).send({}).expect(200);
    } finally {
      await t.db.pool.query(`ALTER TABLE notification DROP CONSTRAINT test_down`);
    }
    expect(await statusOf(eb.id)).toBe('enrolled');
    const unsent = `SELECT count(*)::int AS n FROM enrollment_event WHERE enrollment_id = $1 AND notify AND notified_at IS NULL`;
    expect((await t.db.pool.query(unsent, [eb.id])).rows[0].n).toBe(1);

    const { OfferingSeatsService } = await import('../../src/modules/enrollment/offering-seats.service.js');
    const result = await t.app.get(OfferingSeatsService).sweep(new Date(), 0);
    expect(result.resent).toBeGreaterThanOrEqual(1);
    expect((await t.db.pool.query(unsent, [eb.id])).rows[0].n).toBe(0);
    const notes = await t.db.pool.query(`SELECT count(*)::int AS n FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = $1 AND n.kind = 'enrollment.promoted'`, [b.username]);
    expect(notes.rows[0].n).toBe(1);
    await t.app.get(OfferingSeatsService).sweep(new Date(), 0);
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = $1`, [b.username])).rows[0].n).toBe(1);
  });

  it('lets admins and trainers enrol people within their scope only, and hides other people’s enrolments', async () => {
    const { offeringId } = await createOffering(t.db.pool);
    const own = (await t.db.pool.query(`SELECT id FROM person WHERE current_org_unit_id = (SELECT id FROM org_unit WHERE code = 'SH-QP-K001') AND current_post = 'teacher' ORDER BY id LIMIT 1`)).rows[0].id;
    const outsider = learners.find((l) => l.kindergartenId !== learners[0].kindergartenId && l.username > 't00200')!;
    const byAdmin = await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as('kg_admin')).send({ personId: own }).expect(201);
    expect(byAdmin.body.status).toBe('enrolled');
    // Enrolled by someone else, the learner is told.
    const told = await t.db.pool.query(`SELECT n.kind FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.person_id = $1`, [own]);
    expect(told.rows.map((r) => r.kind)).toContain('enrollment.enrolled');
    const denied = await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as('kg_admin')).send({ personId: outsider.personId }).expect(400);
    expect(denied.body.error.details.fields[0].field).toBe('personId');
    await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as('teacher')).send({ personId: outsider.personId }).expect(400);
    await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as('trainer')).send({ personId: outsider.personId }).expect(201);
    await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as('teacher')).send({ personId: 'not-a-uuid' }).expect(400);

    await t.http().get(`/api/enrollments/${byAdmin.body.id}`).set(as(outsider.username)).expect(404);
    await t.http().post(`/api/enrollments/${byAdmin.body.id}/withdraw`).set(as(outsider.username)).send({}).expect(404);
    await t.http().get(`/api/offerings/${offeringId}/roster`).set(as('teacher')).expect(403);
    await t.http().get(`/api/offerings/${offeringId}/roster`).set(as('trainer')).expect(404);
    const roster = await t.http().get(`/api/offerings/${offeringId}/roster`).set(as('district_admin')).expect(200);
    expect(roster.body.items).toHaveLength(2);
    const mine = await t.http().get('/api/me/enrollments').set(as(outsider.username)).expect(200);
    expect(mine.body.items.map((i: { offeringId: string }) => i.offeringId)).toContain(offeringId);
  });
});
