import { startTestApp, type TestApp } from '../support/test-app.js';
import { sessionTokens } from '../support/offering-fixtures.js';
import { createPairing, dayFromToday, grantKindergartenAdmin, mentoringEntries, type PairingFixture } from '../support/mentoring-work-fixtures.js';
import { nextTerm, termOf } from '../../src/modules/mentoring/terms.js';

describe('term reviews with credit, and the final assessment', () => {
  let t: TestApp;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const term = termOf(dayFromToday(0));
  const submit = (pairing: PairingFixture, username: string, body: Record<string, unknown>) =>
    t.http().post(`/api/mentoring/pairings/${pairing.id}/reviews`).set(as(username)).send({ term, mentorComment: '本学期徒弟进步明显，完成公开课一节。', ...body });
  const decide = (reviewId: string, decision: 'accept' | 'return', username: string, body: Record<string, unknown> = {}) =>
    t.http().post(`/api/mentoring/reviews/${reviewId}/${decision}`).set(as(username)).send(body);
  const pairingOf = (mentee: string, lead: string, startsOn = dayFromToday(-60), endsOn = dayFromToday(300), extra: Partial<Parameters<typeof createPairing>[1]> = {}) =>
    createPairing(t.db.pool, { mentee, mentors: [{ username: lead, role: 'lead' }], startsOn, endsOn, ...extra });

  beforeAll(async () => {
    t = await startTestApp();
    await grantKindergartenAdmin(t.db.pool, 't00041', 'SH-QP-K003');
    for (const name of ['teacher', 'kg_admin', 'district_admin']) tokens.set(name, await t.token(name));
    const users = ['t00001', 't00022', 't00003', 't00004', 't00005', 't00006', 't00008', 't00010', 't00012', 't00014', 't00041'];
    for (const [name, token] of await sessionTokens(t.db.pool, users)) tokens.set(name, token);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is submitted by the lead mentor with a progress snapshot and accepted once, crediting the mentee and every mentor', async () => {
    const pairing = await createPairing(t.db.pool, {
      mentee: 'teacher', mentors: [{ username: 't00001', role: 'lead' }, { username: 't00022', role: 'subject' }], startsOn: dayFromToday(-60), endsOn: dayFromToday(300),
    });
    expect((await submit(pairing, 't00022', {}).expect(403)).body.error.code).toBe('LEAD_MENTOR_ONLY');
    expect((await submit(pairing, 'teacher', {}).expect(403)).body.error.code).toBe('LEAD_MENTOR_ONLY');
    expect((await submit(pairing, 't00001', { term: nextTerm(term) }).expect(422)).body.error.code).toBe('TERM_NOT_STARTED');
    expect((await submit(pairing, 't00001', { term: '2020-2021-1' }).expect(422)).body.error.code).toBe('TERM_OUTSIDE_PERIOD');
    expect((await submit(pairing, 't00001', { term: 'autumn' }).expect(400)).body.error.details.fields[0].field).toBe('term');
    expect((await t.db.pool.query('SELECT count(*)::int AS n FROM mentoring_term_review WHERE pairing_id = $1', [pairing.id])).rows[0].n).toBe(0);

    const review = (await submit(pairing, 't00001', {}).expect(201)).body;
    expect(review).toMatchObject({ term, status: 'submitted', targets: { mentorDemonstrations: 1, menteeOpenLessons: 1, observationsEachWay: 8, lessonPlans: 3 } });
    expect(review.progress.items).toHaveLength(5);
    expect((await submit(pairing, 't00001', {}).expect(200)).body.id).toBe(review.id);
    expect((await submit(pairing, 't00001', { mentorComment: '另一份评语' }).expect(409)).body.error.code).toBe('REVIEW_EXISTS');

    // Deciding belongs to the mentee's kindergarten: not a teacher, not another kindergarten's admin.
    await decide(review.id, 'accept', 'teacher').expect(403);
    await decide(review.id, 'accept', 't00041').expect(404);
    expect(await mentoringEntries(t.db.pool, review.id)).toEqual([]);

    const accepted = (await decide(review.id, 'accept', 'kg_admin', { comment: '同意' }).expect(200)).body;
    expect(accepted).toMatchObject({ status: 'accepted', adminComment: '同意' });
    const entries = await mentoringEntries(t.db.pool, review.id);
    expect(entries).toHaveLength(3);
    expect(entries.map((e) => e.personId).sort()).toEqual([pairing.menteePersonId, ...pairing.mentorPersonIds].sort());
    expect(entries.every((e) => e.credits === 1 && e.category === 'practice' && e.level === 'kindergarten')).toBe(true);

    expect((await decide(review.id, 'accept', 'kg_admin').expect(200)).body.decidedAt).toBe(accepted.decidedAt);
    expect(await mentoringEntries(t.db.pool, review.id)).toHaveLength(3);
    expect((await decide(review.id, 'return', 'kg_admin', { comment: '补材料' }).expect(409)).body.error.code).toBe('REVIEW_ALREADY_ACCEPTED');
    expect((await t.http().put(`/api/mentoring/reviews/${review.id}`).set(as('t00001')).send({ mentorComment: '改' }).expect(409)).body.error.code).toBe('REVIEW_ALREADY_ACCEPTED');
  });

  it('writes one set of entries when two accepts arrive at once', async () => {
    const pairing = await pairingOf('t00003', 't00004');
    const review = (await submit(pairing, 't00004', {}).expect(201)).body;
    const answers = await Promise.all([decide(review.id, 'accept', 'kg_admin'), decide(review.id, 'accept', 'district_admin')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await mentoringEntries(t.db.pool, review.id)).toHaveLength(2);
  });

  it('is returned with a comment, rewritten by the lead mentor and then accepted', async () => {
    const pairing = await pairingOf('t00005', 't00006');
    const review = (await submit(pairing, 't00006', {}).expect(201)).body;
    expect((await decide(review.id, 'return', 'kg_admin', {}).expect(400)).body.error.details.fields[0].field).toBe('comment');
    const returned = (await decide(review.id, 'return', 'kg_admin', { comment: '请补充示范课记录' }).expect(200)).body;
    expect(returned).toMatchObject({ status: 'returned', adminComment: '请补充示范课记录' });
    expect((await decide(review.id, 'accept', 'kg_admin').expect(409)).body.error.code).toBe('REVIEW_RETURNED');
    expect(await mentoringEntries(t.db.pool, review.id)).toEqual([]);
    await t.http().put(`/api/mentoring/reviews/${review.id}`).set(as('t00005')).send({ mentorComment: '改' }).expect(403);
    const rewritten = (await t.http().put(`/api/mentoring/reviews/${review.id}`).set(as('t00006')).send({ mentorComment: '已补充示范课记录' }).expect(200)).body;
    expect(rewritten).toMatchObject({ status: 'submitted', mentorComment: '已补充示范课记录' });
    await decide(review.id, 'accept', 'kg_admin').expect(200);
    expect(await mentoringEntries(t.db.pool, review.id)).toHaveLength(2);
  });

  it('lists pairings with a finished term lacking an accepted review as overdue, for admins in scope', async () => {
    const pairing = await pairingOf('t00007', 't00008', dayFromToday(-300), dayFromToday(65));
    const overdue = async (username: string) => (await t.http().get('/api/mentoring/overdue-reviews').set(as(username)).expect(200)).body as Array<{ pairingId: string; terms: Array<{ term: string }> }>;
    const row = (await overdue('kg_admin')).find((r) => r.pairingId === pairing.id);
    const finished = row!.terms.map((x) => x.term);
    expect(finished).toContain(termOf(dayFromToday(-120)));
    expect(finished).not.toContain(term);
    expect((await overdue('t00041')).some((r) => r.pairingId === pairing.id)).toBe(false);
    await t.http().get('/api/mentoring/overdue-reviews').set(as('teacher')).expect(403);
    for (const old of finished) {
      const review = (await submit(pairing, 't00008', { term: old }).expect(201)).body;
      await decide(review.id, 'accept', 'kg_admin').expect(200);
    }
    expect((await overdue('kg_admin')).some((r) => r.pairingId === pairing.id)).toBe(false);
    const page = await t.signInPages('kg_admin');
    expect((await page.get('/mentoring/overdue').expect(200)).text).toContain('逾期未完成的学期考核');
  });

  it('gives the final assessment once the period is over, once, and ends the pairing', async () => {
    const running = await pairingOf('t00011', 't00012', dayFromToday(-200), dayFromToday(30));
    const assess = (pairing: PairingFixture, username: string, body: Record<string, unknown>) =>
      t.http().post(`/api/mentoring/pairings/${pairing.id}/final-assessment`).set(as(username)).send(body);
    expect((await assess(running, 'kg_admin', { grade: 'pass' }).expect(422)).body.error.code).toBe('PAIRING_NOT_FINISHED');

    const over = await pairingOf('t00009', 't00010', dayFromToday(-366), dayFromToday(-1));
    await assess(over, 't00041', { grade: 'pass' }).expect(404);
    await assess(over, 'teacher', { grade: 'pass' }).expect(403);
    expect((await assess(over, 'kg_admin', { grade: 'fail' }).expect(400)).body.error.details.fields[0].field).toBe('comment');
    expect((await assess(over, 'kg_admin', { grade: 'great' }).expect(400)).body.error.details.fields[0].field).toBe('grade');
    const done = (await assess(over, 'kg_admin', { grade: 'excellent', comment: '独立组织活动能力强' }).expect(200)).body;
    expect(done).toMatchObject({ status: 'ended', finalGrade: 'excellent', endedReason: 'final_assessment' });
    await assess(over, 'kg_admin', { grade: 'excellent', comment: '独立组织活动能力强' }).expect(200);
    expect((await assess(over, 'kg_admin', { grade: 'pass' }).expect(409)).body.error.code).toBe('FINAL_ASSESSMENT_EXISTS');
    const { rows: [row] } = await t.db.pool.query('SELECT status, final_grade FROM mentor_pairing WHERE id = $1', [over.id]);
    expect(row).toEqual({ status: 'ended', final_grade: 'excellent' });

    const probation = await pairingOf('t00013', 't00014', dayFromToday(-365), dayFromToday(0), { kind: 'probation' });
    expect((await assess(probation, 'kg_admin', { grade: 'pass' }).expect(200)).body.finalGrade).toBe('pass');
  });

  it('shows the review page with the lead mentor\'s form and the admin\'s decision buttons', async () => {
    const pairing = await pairingOf('t00015', 't00016');
    const lead = await t.signInPages('t00016');
    const page = await lead.get(`/mentoring/pairings/${pairing.id}/reviews`).expect(200);
    expect(page.text).toContain('data-testid="review-form"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const blank = await lead.post(`/mentoring/pairings/${pairing.id}/reviews/submit`).type('form').send({ _csrf: csrf, term, mentorComment: '' });
    expect([blank.status, blank.headers.location]).toEqual([400, undefined]);
    await lead.post(`/mentoring/pairings/${pairing.id}/reviews/submit`).type('form').send({ _csrf: csrf, term, mentorComment: '完成本学期目标' }).expect(303);
    const { rows } = await t.db.pool.query('SELECT status, mentor_comment FROM mentoring_term_review WHERE pairing_id = $1', [pairing.id]);
    expect(rows).toEqual([{ status: 'submitted', mentor_comment: '完成本学期目标' }]);
    const admin = await t.signInPages('kg_admin');
    const adminPage = await admin.get(`/mentoring/pairings/${pairing.id}/reviews`).expect(200);
    expect(adminPage.text).toContain('data-testid="accept"');
    expect(adminPage.text).toContain('data-testid="final-form"');
  });
});
