import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { mentoringFixtures, type StaffPick } from '../support/mentoring-fixtures.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
type ErrorBody = { error: { code: string; details: { fields?: { field: string; code: string }[] } | null } };
const fields = (body: ErrorBody) => (body.error.details?.fields ?? []).map((f) => f.field).sort();

describe('mentor pairings 1+N: proposals, approvals per kindergarten, mutual requests, limits', () => {
  let t: TestApp;
  let fx: ReturnType<typeof mentoringFixtures>;
  const tokens: Record<string, string> = {};
  let k1: string;
  let k2: string;
  let mentorsK1: StaffPick[];
  let menteesK1: StaffPick[];
  let mentorsK2: StaffPick[];
  let mentorsK3: StaffPick[];
  let menteesK3: StaffPick[];
  let k2admin: StaffPick;
  const propose = (token: string, body: Record<string, unknown>) =>
    t.http().post('/api/mentoring/pairings').set(auth(token)).send({ goals: '站稳讲台，一年内独立组织集体教学活动', ...body });
  const decide = (token: string, id: string, body: Record<string, unknown>) =>
    t.http().post(`/api/mentoring/pairings/${id}/decision`).set(auth(token)).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    fx = mentoringFixtures(t.db.pool);
    [k1, k2] = [await fx.kindergartenId('K001'), await fx.kindergartenId('K002')];
    [mentorsK1, menteesK1, mentorsK2, mentorsK3, menteesK3] = await Promise.all([
      fx.staff('K001', 'mentors'), fx.staff('K001', 'mentees'), fx.staff('K002', 'mentors'), fx.staff('K003', 'mentors'), fx.staff('K003', 'mentees'),
    ]);
    k2admin = (await fx.staff('K002', 'mentees')).at(-1)!;
    await fx.grantKindergartenAdmin(k2admin.username, 'K002');
    for (const u of ['kg_admin', 'district_admin', 'teacher', k2admin.username, menteesK1[0].username, menteesK1[3].username, mentorsK1[1].username]) {
      tokens[u] = await t.token(u);
    }
  });
  afterAll(() => t.close());

  let sameKindergarten: { id: string; version: number };

  it('an admin proposal within one kindergarten is active at once, audited, and shows on the people\'s dashboards', async () => {
    const [mentee, mentor] = [menteesK1[0], mentorsK1[0]];
    const res = await propose(tokens.kg_admin, {
      menteePersonId: mentee.personId, mentors: [{ personId: mentor.personId, role: 'lead' }],
      startsOn: '2026-11-23', termPlans: [{ term: '2026-2027-1', plan: '每周听课一次' }],
    }).expect(201);
    expect(res.body).toMatchObject({ status: 'active', kind: 'standard', source: 'admin', startsOn: '2026-11-23', endsOn: '2027-11-23' });
    expect(res.body.approvals).toEqual([expect.objectContaining({ kindergartenId: k1, decision: 'approved' })]);
    expect(res.body.mentors).toEqual([expect.objectContaining({ personId: mentor.personId, role: 'lead' })]);
    sameKindergarten = { id: res.body.id, version: res.body.version };
    expect(await fx.count(`SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = 'mentoring.pairing.propose'`, [res.body.id])).toBe(1);
    const mine = await t.http().get('/api/me/mentoring').set(auth(tokens[mentee.username])).expect(200);
    expect(mine.body.asMentee.map((p: { id: string }) => p.id)).toEqual([res.body.id]);
    expect(mine.body.asMentor).toEqual([]);
    const seen = await t.http().get(`/api/mentoring/pairings/${res.body.id}`).set(auth(tokens[mentee.username])).expect(200);
    expect(seen.body.viewer.as).toBe('mentee');
  });

  it('crossing kindergartens waits for both; each decides once, and the same decision again writes nothing', async () => {
    const res = await propose(tokens.kg_admin, { menteePersonId: menteesK1[1].personId, mentors: [{ personId: mentorsK2[0].personId, role: 'lead' }] }).expect(201);
    expect(res.body.status).toBe('proposed');
    expect(res.body.approvals.map((a: { kindergartenId: string; decision: null }) => [a.kindergartenId, a.decision])).toEqual([[k1, null], [k2, null]]);
    const first = await decide(tokens.kg_admin, res.body.id, { decision: 'approved' }).expect(200);
    expect(first.body).toMatchObject({ changed: true, status: 'proposed' });
    const before = await fx.writes();
    const again = await decide(tokens.kg_admin, res.body.id, { decision: 'approved' }).expect(200);
    expect(again.body.changed).toBe(false);
    expect(await fx.writes()).toBe(before);
    const second = await decide(tokens[k2admin.username], res.body.id, { decision: 'approved' }).expect(200);
    expect(second.body).toMatchObject({ changed: true, status: 'active' });
    expect(second.body.pairing.approvals.every((a: { decision: string }) => a.decision === 'approved')).toBe(true);
  });

  it('a rejection needs a reason and ends the proposal; the other kindergarten can no longer decide', async () => {
    const res = await propose(tokens.kg_admin, { menteePersonId: menteesK1[2].personId, mentors: [{ personId: mentorsK2[1].personId, role: 'lead' }] }).expect(201);
    const noReason = await decide(tokens[k2admin.username], res.body.id, { decision: 'rejected' }).expect(400);
    expect(fields(noReason.body)).toEqual(['reason']);
    const rejected = await decide(tokens[k2admin.username], res.body.id, { decision: 'rejected', reason: '该教师本学期承担区级公开课任务' }).expect(200);
    expect(rejected.body.status).toBe('rejected');
    expect(rejected.body.pairing.approvals.find((a: { kindergartenId: string }) => a.kindergartenId === k2))
      .toMatchObject({ decision: 'rejected', reason: '该教师本学期承担区级公开课任务' });
    const late = await decide(tokens.kg_admin, res.body.id, { decision: 'approved' }).expect(409);
    expect(late.body.error.code).toBe('PAIRING_WRONG_STATUS');
    const changedMind = await decide(tokens[k2admin.username], res.body.id, { decision: 'approved' }).expect(409);
    expect(changedMind.body.error.code).toBe('PAIRING_ALREADY_DECIDED');
  });

  it('a mutual request waits for every consent, then for the kindergarten', async () => {
    const [mentee, mentor] = [menteesK1[3], mentorsK1[1]];
    const body = { goals: '互相听课，共同备课', menteePersonId: mentee.personId, mentors: [{ personId: mentor.personId, role: 'lead' }] };
    await t.http().post('/api/mentoring/pairing-requests').set(auth(tokens.teacher)).send(body).expect(403);
    const res = await t.http().post('/api/mentoring/pairing-requests').set(auth(tokens[mentee.username])).send(body).expect(201);
    expect(res.body).toMatchObject({ status: 'proposed', source: 'mutual', waitingForConsent: [mentor.personId] });
    const early = await decide(tokens.kg_admin, res.body.id, { decision: 'approved' }).expect(409);
    expect(early.body.error.code).toBe('PAIRING_AWAITING_CONSENT');
    await t.http().post(`/api/mentoring/pairings/${res.body.id}/consent`).set(auth(tokens.kg_admin)).expect(403);
    const consent = await t.http().post(`/api/mentoring/pairings/${res.body.id}/consent`).set(auth(tokens[mentor.username])).expect(200);
    expect(consent.body).toMatchObject({ changed: true, pairing: { waitingForConsent: [], status: 'proposed' } });
    expect((await t.http().post(`/api/mentoring/pairings/${res.body.id}/consent`).set(auth(tokens[mentor.username])).expect(200)).body.changed).toBe(false);
    const approved = await decide(tokens.kg_admin, res.body.id, { decision: 'approved' }).expect(200);
    expect(approved.body.status).toBe('active');
  });

  it('refuses bad proposals with the field or reason named, writing nothing', async () => {
    const mentee = menteesK1[4];
    const before = await fx.writes();
    const lead = { personId: mentorsK1[2].personId, role: 'lead' };
    const cases: [Record<string, unknown>, number, string[] | string][] = [
      [{ menteePersonId: mentee.personId, mentors: [{ ...lead, role: 'subject' }] }, 400, ['mentors']],
      [{ menteePersonId: mentee.personId, mentors: [lead, { personId: mentorsK1[1].personId, role: 'lead' }] }, 400, ['mentors']],
      [{ menteePersonId: mentee.personId, mentors: [lead], startsOn: '2026-12-01', endsOn: '2026-12-01' }, 400, ['endsOn']],
      [{ kind: 'probation', menteePersonId: mentee.personId, mentors: [lead] }, 400, ['baseKindergartenId']],
      [{ menteePersonId: mentee.personId, mentors: [{ personId: randomUUID(), role: 'lead' }] }, 400, ['mentors[0].personId']],
      [{ menteePersonId: mentee.personId, mentors: [{ personId: (await fx.staff('K001', 'caregivers'))[0].personId, role: 'lead' }] }, 400, ['mentors[0].personId']],
      [{ menteePersonId: mentee.personId, mentors: [{ personId: mentee.personId, role: 'lead' }] }, 422, 'PAIRING_WITH_SELF'],
      [{ menteePersonId: mentee.personId, mentors: [lead, { ...lead, role: 'subject' }] }, 422, 'PAIRING_WITH_SELF'],
      // The first mentee already has one mentor; two more would make three.
      [{ menteePersonId: menteesK1[0].personId, mentors: [lead, { personId: mentorsK1[1].personId, role: 'subject' }] }, 422, 'MENTEE_MENTOR_LIMIT'],
    ];
    for (const [body, status, expected] of cases) {
      const res = await propose(tokens.kg_admin, body);
      expect([res.status, typeof expected === 'string' ? res.body.error.code : fields(res.body)]).toEqual([status, expected]);
    }
    expect(await fx.writes()).toBe(before);
  });

  it('a mentor at capacity (three mentees by default) takes no fourth', async () => {
    const mentor = mentorsK1[2];
    for (const mentee of menteesK1.slice(5, 8)) {
      await propose(tokens.kg_admin, { menteePersonId: mentee.personId, mentors: [{ personId: mentor.personId, role: 'lead' }] }).expect(201);
    }
    const before = await fx.writes();
    const res = await propose(tokens.kg_admin, { menteePersonId: menteesK1[4].personId, mentors: [{ personId: mentor.personId, role: 'lead' }] }).expect(422);
    expect(res.body.error).toMatchObject({ code: 'MENTOR_CAPACITY_FULL', details: { personId: mentor.personId, max: 3 } });
    expect(res.body.error.message).toContain(mentor.fullName);
    expect(await fx.writes()).toBe(before);
  });

  it('two proposals racing for a mentor\'s last place: exactly one wins', async () => {
    const rule = await t.http().get('/api/mentoring/rules').set(auth(tokens.district_admin)).expect(200);
    expect(rule.body).toMatchObject({ isDefault: true, maxMentorsPerMentee: 2, maxMenteesPerMentor: 3 });
    await t.http().put('/api/mentoring/rules').set(auth(tokens.kg_admin)).send({ ...rule.body, maxMenteesPerMentor: 1 }).expect(403);
    const { maxMentorsPerMentee, termTargets, menteeCredits, mentorCredits } = rule.body;
    await t.http().put('/api/mentoring/rules').set(auth(tokens.district_admin))
      .send({ maxMentorsPerMentee, maxMenteesPerMentor: 1, termTargets, menteeCredits, mentorCredits }).expect(200);
    const mentor = mentorsK3[0];
    const results = await Promise.all(menteesK3.slice(0, 2).map((mentee) =>
      propose(tokens.district_admin, { menteePersonId: mentee.personId, mentors: [{ personId: mentor.personId, role: 'lead' }] })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(results.find((r) => r.status === 422)!.body.error.code).toBe('MENTOR_CAPACITY_FULL');
    expect(await fx.count(`SELECT count(*) FROM mentor_link WHERE mentor_person_id = $1`, [mentor.personId])).toBe(1);
    await t.http().put('/api/mentoring/rules').set(auth(tokens.district_admin))
      .send({ maxMentorsPerMentee, maxMenteesPerMentor: 3, termTargets, menteeCredits, mentorCredits }).expect(200);
  });

  it('the probation year names one mentor and a base kindergarten, and that kindergarten approves too', async () => {
    const mentee = menteesK1[8];
    const two = await propose(tokens.kg_admin, {
      kind: 'probation', baseKindergartenId: k2, menteePersonId: mentee.personId,
      mentors: [{ personId: mentorsK2[2].personId, role: 'lead' }, { personId: mentorsK1[1].personId, role: 'subject' }],
    }).expect(400);
    expect(fields(two.body)).toEqual(['mentors']);
    const res = await propose(tokens.kg_admin, {
      kind: 'probation', baseKindergartenId: k2, menteePersonId: mentee.personId, startsOn: '2026-09-01', mentors: [{ personId: mentorsK2[2].personId, role: 'lead' }],
    }).expect(201);
    expect(res.body).toMatchObject({ kind: 'probation', status: 'proposed', baseKindergarten: { id: k2 }, endsOn: '2027-09-01' });
    await decide(tokens.kg_admin, res.body.id, { decision: 'approved' }).expect(200);
    const done = await decide(tokens[k2admin.username], res.body.id, { decision: 'approved' }).expect(200);
    expect(done.body.status).toBe('active');
  });

  it('denies other kindergartens, teachers not in the pairing, and unknown ids', async () => {
    const id = sameKindergarten.id;
    await t.http().get(`/api/mentoring/pairings/${id}`).set(auth(tokens[k2admin.username])).expect(404);
    await t.http().get(`/api/mentoring/pairings/${id}`).set(auth(tokens.teacher)).expect(404);
    await t.http().get(`/api/mentoring/pairings/${randomUUID()}`).set(auth(tokens.kg_admin)).expect(404);
    await decide(tokens[k2admin.username], id, { decision: 'rejected', reason: 'x' }).expect(404);
    await decide(tokens.teacher, id, { decision: 'approved' }).expect(403);
    await t.http().get('/api/mentoring/pairings').set(auth(tokens.teacher)).expect(403);
    const k2list = await t.http().get('/api/mentoring/pairings').set(auth(tokens[k2admin.username])).expect(200);
    expect(k2list.body.items.map((p: { id: string }) => p.id)).not.toContain(id);
    const k3mentee = menteesK3[2];
    await propose(tokens.kg_admin, { menteePersonId: k3mentee.personId, mentors: [{ personId: mentorsK1[1].personId, role: 'lead' }] }).expect(404);
    await propose(tokens.teacher, { menteePersonId: menteesK1[4].personId, mentors: [{ personId: mentorsK1[1].personId, role: 'lead' }] }).expect(403);
    await t.http().patch(`/api/mentoring/pairings/${id}`).set(auth(tokens[k2admin.username])).send({ version: 1, goals: 'x' }).expect(404);
  });

  it('edits the agreement with the version read, then ends it; an ended pairing frees the places', async () => {
    const { id, version } = sameKindergarten;
    const stale = await t.http().patch(`/api/mentoring/pairings/${id}`).set(auth(tokens.kg_admin)).send({ version: version + 5, goals: '新目标' }).expect(409);
    expect(stale.body.error.code).toBe('PAIRING_VERSION_CONFLICT');
    const bad = await t.http().patch(`/api/mentoring/pairings/${id}`).set(auth(tokens.kg_admin)).send({ version, termPlans: [{ term: '2026-1', plan: 'x' }] }).expect(400);
    expect(fields(bad.body)).toEqual(['termPlans[0].term']);
    const ok = await t.http().patch(`/api/mentoring/pairings/${id}`).set(auth(tokens.kg_admin)).send({ version, goals: '新目标', endsOn: '2027-07-31' }).expect(200);
    expect(ok.body).toMatchObject({ goals: '新目标', endsOn: '2027-07-31', version: version + 1 });
    await t.http().post(`/api/mentoring/pairings/${id}/end`).set(auth(tokens.kg_admin)).send({}).expect(400);
    const ended = await t.http().post(`/api/mentoring/pairings/${id}/end`).set(auth(tokens.kg_admin)).send({ reason: '徒弟调往他园' }).expect(200);
    expect(ended.body.pairing).toMatchObject({ status: 'ended', endedReason: '徒弟调往他园' });
    await t.http().post(`/api/mentoring/pairings/${id}/cancel`).set(auth(tokens.kg_admin)).send({}).expect(409);
    // Two new mentors fit now that the first pairing has ended.
    await propose(tokens.kg_admin, {
      menteePersonId: menteesK1[0].personId, mentors: [{ personId: mentorsK1[0].personId, role: 'lead' }, { personId: mentorsK1[1].personId, role: 'subject' }],
    }).expect(201);
  });

  it('lists pairings in scope with filters, flagging a finished term without an accepted review', async () => {
    const mentee = menteesK3[3];
    const res = await propose(tokens.district_admin, {
      menteePersonId: mentee.personId, startsOn: '2026-03-01', mentors: [{ personId: mentorsK3[1].personId, role: 'lead' }],
    }).expect(201);
    const overdue = await t.http().get('/api/mentoring/pairings?overdue=true&pageSize=200').set(auth(tokens.district_admin)).expect(200);
    expect(overdue.body.items.map((p: { id: string }) => p.id)).toContain(res.body.id);
    expect(overdue.body.items.every((p: { overdueReview: boolean }) => p.overdueReview)).toBe(true);
    await t.db.pool.query(
      `INSERT INTO mentoring_term_review (pairing_id, district_id, term, status, targets, progress, mentor_comment)
       SELECT id, district_id, '2025-2026-2', 'accepted', '{}', '{}', '良好' FROM mentor_pairing WHERE id = $1`, [res.body.id]);
    const after = await t.http().get('/api/mentoring/pairings?overdue=true&pageSize=200').set(auth(tokens.district_admin)).expect(200);
    expect(after.body.items.map((p: { id: string }) => p.id)).not.toContain(res.body.id);
    const probation = await t.http().get('/api/mentoring/pairings?kind=probation').set(auth(tokens.kg_admin)).expect(200);
    expect(probation.body.items.length).toBe(1);
    const bad = await t.http().get('/api/mentoring/pairings?status=open').set(auth(tokens.kg_admin)).expect(400);
    expect(fields(bad.body)).toEqual(['status']);
  });

  it('pages: the list, the proposal form with a refusal shown in place, the agreement with the decision buttons, my mentoring', async () => {
    const admin = await t.signInPages('kg_admin');
    const list = await admin.get('/mentoring/pairings').expect(200);
    expect(list.text).toContain('data-testid="pairing-row"');
    const mentee = menteesK1[4];
    const form = await admin.get(`/mentoring/pairings/new?menteePersonId=${mentee.personId}`).expect(200);
    expect(form.text).toContain('data-testid="suggestion"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const before = await fx.writes();
    const noLead = await admin.post('/mentoring/pairings/new').type('form')
      .send({ _csrf: csrf, menteePersonId: mentee.personId, kind: 'standard', goals: '目标', [`role[${mentorsK1[1].personId}]`]: 'subject' }).expect(400);
    expect(noLead.text).toContain('请指定一位主带教师傅');
    expect(await fx.writes()).toBe(before);
    const crossing = await propose(tokens.kg_admin, { menteePersonId: mentee.personId, mentors: [{ personId: mentorsK2[3].personId, role: 'lead' }] }).expect(201);
    const other = await t.signInPages(k2admin.username);
    const page = await other.get(`/mentoring/pairings/${crossing.body.id}`).expect(200);
    expect(page.text).toContain('data-testid="approve"');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await other.post(`/mentoring/pairings/${crossing.body.id}/reject`).type('form').send({ _csrf: token, kindergartenId: k2, reason: '名额已满' }).expect(303);
    expect((await t.http().get(`/api/mentoring/pairings/${crossing.body.id}`).set(auth(tokens.kg_admin)).expect(200)).body.status).toBe('rejected');
    const teacher = await t.signInPages(menteesK1[0].username);
    const mine = await teacher.get('/me/mentoring').expect(200);
    expect(mine.text).toContain('data-testid="my-pairing"');
    await teacher.get(`/mentoring/pairings/${crossing.body.id}`).expect(404);
    await teacher.get('/mentoring/pairings').expect(403);
  });
});
