import { startTestApp, type TestApp } from '../support/test-app.js';
import { sessionTokens } from '../support/offering-fixtures.js';
import { createPairing, dayFromToday, personOf, type PairingFixture } from '../support/mentoring-work-fixtures.js';
import { termOf } from '../../src/modules/mentoring/terms.js';

type Kind = 'observation' | 'critique' | 'demonstration' | 'open_lesson' | 'joint_planning';

describe('mentoring dashboards: progress on the admin list and on my mentoring, the mutual request page', () => {
  let t: TestApp;
  let seeded: PairingFixture;
  let quiet: PairingFixture;
  let waitingCritique: string;
  let waitingOpenLesson: string;
  const term = termOf(dayFromToday(0));
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
  const pairings = async () => Number((await t.db.pool.query('SELECT count(*) FROM mentor_pairing')).rows[0].count);

  /** A log as the activity flow would leave it; `confirmedBy` null leaves it waiting. */
  const activity = async (pairing: PairingFixture, kind: Kind, actor: string, loggedBy: string, confirmedBy: string | null, status = confirmedBy ? 'confirmed' : 'logged') => {
    const { rows: [row] } = await t.db.pool.query(
      `INSERT INTO mentoring_activity (pairing_id, district_id, kind, actor_person_id, logged_by_person_id, occurred_on, term, duration_minutes, status, confirmed_by_person_id, confirmed_at)
       SELECT p.id, p.district_id, $2, $3, $4, $5, $6, 40, $7, $8, CASE WHEN $8::uuid IS NULL THEN NULL ELSE now() END FROM mentor_pairing p WHERE p.id = $1 RETURNING id`,
      [pairing.id, kind, actor, loggedBy, dayFromToday(0), term, status, confirmedBy]);
    return row.id as string;
  };

  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ['teacher', 'kg_admin']) tokens.set(name, await t.token(name));
    for (const [name, token] of await sessionTokens(t.db.pool, ['t00001', 't00022'])) tokens.set(name, token);
    seeded = await createPairing(t.db.pool, {
      mentee: 'teacher', mentors: [{ username: 't00001', role: 'lead' }, { username: 't00022', role: 'subject' }], startsOn: dayFromToday(-60), endsOn: dayFromToday(300),
    });
    quiet = await createPairing(t.db.pool, { mentee: 't00002', mentors: [{ username: 't00001', role: 'lead' }], startsOn: dayFromToday(-30), endsOn: dayFromToday(330) });
    const [mentee, lead, subject] = [seeded.menteePersonId, ...seeded.mentorPersonIds];
    await activity(seeded, 'demonstration', lead, lead, mentee);
    for (let i = 0; i < 3; i++) await activity(seeded, 'observation', mentee, mentee, lead);
    for (let i = 0; i < 5; i++) await activity(seeded, 'observation', subject, subject, mentee);
    await activity(seeded, 'joint_planning', mentee, mentee, subject);
    // Neither a waiting nor a disputed log counts.
    waitingOpenLesson = await activity(seeded, 'open_lesson', mentee, mentee, null);
    await activity(seeded, 'observation', lead, lead, null, 'disputed');
    waitingCritique = await activity(seeded, 'critique', lead, lead, null);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists each active pairing in scope with this term\'s confirmed progress against the targets', async () => {
    const list = (await t.http().get('/api/mentoring/pairings?status=active').set(as('kg_admin')).expect(200)).body;
    const shown = list.items.find((p: { id: string }) => p.id === seeded.id);
    const counts = Object.fromEntries(shown.progress.items.map((i: { key: string; done: number; target: number }) => [i.key, `${i.done}/${i.target}`]));
    expect(shown.progress).toMatchObject({ term, allMet: false, met: 1, total: 5 });
    expect(counts).toEqual({ mentorDemonstrations: '1/1', menteeOpenLessons: '0/1', menteeObservations: '3/8', mentorObservations: '5/8', lessonPlans: '1/3' });
    const none = list.items.find((p: { id: string }) => p.id === quiet.id);
    expect(none.progress.items.every((i: { done: number }) => i.done === 0)).toBe(true);

    const page = await t.signInPages('kg_admin');
    const html = (await page.get('/mentoring/pairings').expect(200)).text;
    const row = html.split('data-testid="pairing-row"').find((chunk) => chunk.includes(`data-pairing-id="${seeded.id}"`))!;
    for (const text of ['示范课 1/1', '公开课 0/1', '徒弟听课 3/8', '师傅听课 5/8', '教案 1/3', '1/5 项达标']) expect(row).toContain(text);
    await t.http().get('/api/mentoring/pairings').set(as('teacher')).expect(403);
  });

  it('shows my pairings with progress and the logs waiting for me, and confirms from there', async () => {
    const mine = (await t.http().get('/api/me/mentoring').set(as('teacher')).expect(200)).body;
    expect(mine.asMentee[0].progress.items.find((i: { key: string }) => i.key === 'menteeObservations').done).toBe(3);

    const mentee = await t.signInPages('teacher');
    await mentee.get('/me/mentoring/progress').expect(303).expect('Location', '/me/mentoring');
    const html = (await mentee.get('/me/mentoring').expect(200)).text;
    expect(html).toContain('徒弟听课 3/8');
    // The mentee confirms the lead's critique; their own open lesson waits for a mentor.
    expect(html).toContain(`data-activity-id="${waitingCritique}"`);
    expect(html).not.toContain(`data-activity-id="${waitingOpenLesson}"`);
    const lead = await t.signInPages('t00001');
    expect((await lead.get('/me/mentoring').expect(200)).text).toContain(`data-activity-id="${waitingOpenLesson}"`);

    await mentee.post(`/mentoring/activities/${waitingCritique}/confirm`).type('form')
      .send({ _csrf: csrfOf(html), next: '/me/mentoring' }).expect(303).expect('Location', '/me/mentoring');
    expect((await mentee.get('/me/mentoring').expect(200)).text).not.toContain(`data-activity-id="${waitingCritique}"`);
    const audit = await t.db.pool.query(`SELECT action FROM audit_log WHERE entity_type = 'mentoring_activity' AND entity_id = $1`, [waitingCritique]);
    expect(audit.rows.map((r) => r.action)).toEqual(['mentoring.activity.confirm']);
  });

  it('lets a teacher request a pairing from a page; the person named sees "sign"; bad requests write nothing', async () => {
    const requester = await personOf(t.db.pool, 't00003');
    const mentor = await personOf(t.db.pool, 't00022');
    const mentorName = (await t.db.pool.query('SELECT full_name FROM person WHERE id = $1', [mentor.personId])).rows[0].full_name as string;
    const page = await t.signInPages('t00003');
    expect((await page.get('/me/mentoring').expect(200)).text).toContain('href="/me/mentoring/request"');
    const form = (await page.get(`/me/mentoring/request?side=mentee&q=${encodeURIComponent(mentorName)}`).expect(200)).text;
    expect(form).toContain(`data-person-id="${mentor.personId}"`);
    expect(form).not.toContain(`data-person-id="${requester.personId}"`);
    const csrf = csrfOf(form);

    const before = await pairings();
    const empty = await page.post('/me/mentoring/request').type('form').send({ _csrf: csrf, side: 'mentee', goals: '' }).expect(400);
    expect(empty.text).toContain('data-field-error="goals"');
    expect(empty.text).toContain('data-field-error="mentors"');
    const self = await page.post('/me/mentoring/request').type('form')
      .send({ _csrf: csrf, side: 'mentor', [`role[${requester.personId}]`]: 'mentee', myRole: 'lead', goals: '目标' }).expect(422);
    expect(self.text).toContain('不能与自己结对');
    expect(await pairings()).toBe(before);

    const sent = await page.post('/me/mentoring/request').type('form')
      .send({ _csrf: csrf, side: 'mentee', [`role[${mentor.personId}]`]: 'lead', goals: '一年内站稳讲台', startsOn: dayFromToday(0) }).expect(303);
    const id = /\/mentoring\/pairings\/([0-9a-f-]{36})$/.exec(sent.headers.location)![1];
    const { rows: [created] } = await t.db.pool.query(`SELECT source, status, mentee_person_id FROM mentor_pairing WHERE id = $1`, [id]);
    expect(created).toEqual({ source: 'mutual', status: 'proposed', mentee_person_id: requester.personId });
    // The same mentor again is refused with the reason, nothing written.
    const again = await page.post('/me/mentoring/request').type('form')
      .send({ _csrf: csrf, side: 'mentee', [`role[${mentor.personId}]`]: 'lead', goals: '再来一次' }).expect(422);
    expect(again.text).toContain('data-testid="form-error"');
    expect(await pairings()).toBe(before + 1);

    const named = await t.signInPages('t00022');
    const dashboard = (await named.get('/me/mentoring').expect(200)).text;
    const card = (html: string) => html.split('data-testid="my-pairing"').find((chunk) => chunk.includes(`data-pairing-id="${id}"`))!;
    expect(card(dashboard)).toContain('data-testid="sign"');
    await named.post(`/mentoring/pairings/${id}/consent`).type('form').send({ _csrf: csrfOf(dashboard) }).expect(303);
    const consents = await t.db.pool.query('SELECT person_id FROM pairing_consent WHERE pairing_id = $1 ORDER BY consented_at', [id]);
    expect(consents.rows.map((r) => r.person_id)).toEqual([requester.personId, mentor.personId]);
    const signed = (await named.get('/me/mentoring').expect(200)).text;
    expect(card(signed)).not.toContain('data-testid="sign"');

    // The same pages in English.
    await named.get('/me/mentoring?lang=en').expect(303);
    expect((await named.get('/me/mentoring').expect(200)).text).toContain('Mentor obs.');
    expect((await named.get('/me/mentoring/request?side=mentor').expect(200)).text).toContain('Request a mentoring pairing');
  });
});
