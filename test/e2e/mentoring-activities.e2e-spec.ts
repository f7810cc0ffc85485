import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sessionTokens } from '../support/offering-fixtures.js';
import { createPairing, dayFromToday, grantKindergartenAdmin, personOf, type PairingFixture } from '../support/mentoring-work-fixtures.js';
import { termOf } from '../../src/modules/mentoring/terms.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

describe('mentoring activities', () => {
  let t: TestApp;
  let dataDir: string;
  let pairing: PairingFixture;
  let mentee: string;
  let lead: string;
  let subject: string;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const activityCount = async () => (await t.db.pool.query('SELECT count(*)::int AS n FROM mentoring_activity WHERE pairing_id = $1', [pairing.id])).rows[0].n as number;
  const log = (username: string, body: Record<string, unknown>) =>
    t.http().post(`/api/mentoring/pairings/${pairing.id}/activities`).set(as(username)).send({ kind: 'observation', occurredOn: dayFromToday(-3), durationMinutes: 40, ...body });
  const fields = (res: { body: { error: { details: { fields: Array<{ field: string; code: string }> } } } }) => res.body.error.details.fields.map((f) => `${f.field}:${f.code}`);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tgp-mentoring-'));
    t = await startTestApp({ env: { DATA_DIR: dataDir } });
    await grantKindergartenAdmin(t.db.pool, 't00041', 'SH-QP-K003');
    pairing = await createPairing(t.db.pool, {
      mentee: 'teacher', mentors: [{ username: 't00001', role: 'lead' }, { username: 't00022', role: 'subject' }],
      startsOn: dayFromToday(-60), endsOn: dayFromToday(300),
    });
    mentee = 'teacher'; lead = 't00001'; subject = 't00022';
    for (const name of ['teacher', 'kg_admin', 'district_admin']) tokens.set(name, await t.token(name));
    for (const [name, token] of await sessionTokens(t.db.pool, ['t00001', 't00022', 't00002', 't00041'])) tokens.set(name, token);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs an observation once even when sent twice, and keeps evidence for the pairing only', async () => {
    const first = await log(mentee, { notes: '听师傅的科学活动《沉与浮》' }).expect(201);
    expect(first.body).toMatchObject({ kind: 'observation', status: 'logged', term: termOf(dayFromToday(-3)), actorName: expect.any(String) });
    const again = await log(mentee, { notes: '听师傅的科学活动《沉与浮》' }).expect(200);
    expect(again.body.id).toBe(first.body.id);
    expect(await activityCount()).toBe(1);

    const withFile = await t.http().post(`/api/mentoring/pairings/${pairing.id}/activities`).set(as(lead))
      .field('kind', 'demonstration').field('occurredOn', dayFromToday(-2)).field('durationMinutes', '35')
      .attach('files', PDF, { filename: '示范课教案.pdf', contentType: 'application/pdf' }).expect(201);
    expect(withFile.body.evidence).toEqual([expect.objectContaining({ name: '示范课教案.pdf', contentType: 'application/pdf' })]);
    const fileId = withFile.body.evidence[0].id;
    await t.http().get(`/api/files/${fileId}`).set(as(mentee)).expect(200);
    await t.http().get(`/api/files/${fileId}`).set(as('kg_admin')).expect(200);
    await t.http().get(`/api/files/${fileId}`).set(as('t00002')).expect(404);
  });

  it('refuses bad logs with the reason and writes nothing', async () => {
    const before = await activityCount();
    const files = (await t.db.pool.query('SELECT count(*)::int AS n FROM stored_file')).rows[0].n;
    const outside = await log(mentee, { occurredOn: dayFromToday(-61) }).expect(422);
    expect(outside.body.error.code).toBe('ACTIVITY_OUTSIDE_PERIOD');
    const future = await log(mentee, { occurredOn: dayFromToday(1) }).expect(400);
    expect(fields(future)).toEqual(['occurredOn:DATE_IN_FUTURE']);
    const stranger = await personOf(t.db.pool, 't00002');
    expect(fields(await log(mentee, { actorPersonId: stranger.personId }).expect(400))).toEqual(['actorPersonId:ACTOR_NOT_IN_PAIRING']);
    expect(fields(await log(mentee, { kind: 'demonstration' }).expect(400))).toEqual(['actorPersonId:ACTOR_MUST_BE_MENTOR']);
    expect(fields(await log(mentee, { kind: 'lecture', durationMinutes: 0 }).expect(400)).map((f) => f.split(':')[0]).sort()).toEqual(['durationMinutes', 'kind']);
    const badFile = await t.http().post(`/api/mentoring/pairings/${pairing.id}/activities`).set(as(mentee))
      .field('kind', 'observation').field('occurredOn', dayFromToday(-1)).field('durationMinutes', '40')
      .attach('files', Buffer.from('<html><script>alert(1)</script></html>'), { filename: 'x.pdf', contentType: 'application/pdf' }).expect(400);
    expect(fields(badFile)).toEqual(['files[0]:FILE_TYPE_NOT_ALLOWED']);
    // Outsiders do not learn the pairing exists; an admin sees it but does not log for the parties.
    await log('t00002', {}).expect(404);
    await log('t00041', {}).expect(404);
    expect((await log('kg_admin', {}).expect(403)).body.error.code).toBe('MENTORING_PARTY_ONLY');
    expect(await activityCount()).toBe(before);
    expect((await t.db.pool.query('SELECT count(*)::int AS n FROM stored_file')).rows[0].n).toBe(files);
  });

  it('is confirmed by the other side only, and only confirmed logs count', async () => {
    const term = termOf(dayFromToday(0));
    const progress = async () => Object.fromEntries((await t.http().get(`/api/mentoring/pairings/${pairing.id}/progress?term=${term}`).set(as(mentee)).expect(200))
      .body.items.map((i: { key: string; done: number; target: number; met: boolean }) => [i.key, [i.done, i.target, i.met]]));
    const openLesson = (await log(mentee, { kind: 'open_lesson', occurredOn: dayFromToday(0), durationMinutes: 30 }).expect(201)).body;
    const observed = (await log(lead, { kind: 'observation', occurredOn: dayFromToday(0), durationMinutes: 30 }).expect(201)).body;
    expect((await progress()).menteeOpenLessons).toEqual([0, 1, false]);

    const own = await t.http().post(`/api/mentoring/activities/${openLesson.id}/confirm`).set(as(mentee)).expect(422);
    expect(own.body.error.code).toBe('CANNOT_CONFIRM_OWN_LOG');
    expect((await t.http().post(`/api/mentoring/activities/${observed.id}/confirm`).set(as(subject)).expect(422)).body.error.code).toBe('CONFIRM_BY_OTHER_SIDE');
    await t.http().post(`/api/mentoring/activities/${openLesson.id}/confirm`).set(as('t00002')).expect(404);
    await t.http().post(`/api/mentoring/activities/${openLesson.id}/confirm`).set(as('kg_admin')).expect(403);
    const { rows: [still] } = await t.db.pool.query('SELECT status, confirmed_by_person_id FROM mentoring_activity WHERE id = $1', [openLesson.id]);
    expect(still).toEqual({ status: 'logged', confirmed_by_person_id: null });

    const confirmed = (await t.http().post(`/api/mentoring/activities/${openLesson.id}/confirm`).set(as(subject)).expect(200)).body;
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmedByName: expect.any(String) });
    expect((await t.http().post(`/api/mentoring/activities/${openLesson.id}/confirm`).set(as(lead)).expect(200)).body.confirmedAt).toBe(confirmed.confirmedAt);
    await t.http().post(`/api/mentoring/activities/${observed.id}/confirm`).set(as(mentee)).expect(200);
    const counted = await progress();
    expect(counted.menteeOpenLessons).toEqual([1, 1, true]);
    expect(counted.mentorObservations).toEqual([1, 8, false]);
    expect(counted.menteeObservations[1]).toBe(8);

    expect((await t.http().post(`/api/mentoring/activities/${observed.id}/dispute`).set(as(mentee)).send({ reason: '记错了' }).expect(409)).body.error.code).toBe('ACTIVITY_ALREADY_CONFIRMED');
  });

  it('lets the other side dispute with a reason; disputed logs do not count', async () => {
    const logged = (await log(lead, { kind: 'demonstration', occurredOn: dayFromToday(0), durationMinutes: 45, notes: '示范课：大班语言' }).expect(201)).body;
    expect(fields(await t.http().post(`/api/mentoring/activities/${logged.id}/dispute`).set(as(mentee)).send({}).expect(400)).map((f) => f.split(':')[0])).toContain('reason');
    const disputed = (await t.http().post(`/api/mentoring/activities/${logged.id}/dispute`).set(as(mentee)).send({ reason: '当天我在外培训' }).expect(200)).body;
    expect(disputed).toMatchObject({ status: 'disputed', disputeReason: '当天我在外培训' });
    const progress = (await t.http().get(`/api/mentoring/pairings/${pairing.id}/progress`).set(as(lead)).expect(200)).body;
    expect(progress.items.find((i: { key: string }) => i.key === 'mentorDemonstrations').done).toBe(0);
  });

  it('shows the log to the parties and admins in scope only', async () => {
    const term = termOf(dayFromToday(0));
    const list = (await t.http().get(`/api/mentoring/pairings/${pairing.id}/activities?term=${term}`).set(as('kg_admin')).expect(200)).body;
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list.every((a: { term: string }) => a.term === term)).toBe(true);
    await t.http().get(`/api/mentoring/pairings/${pairing.id}/activities`).set(as(subject)).expect(200);
    await t.http().get(`/api/mentoring/pairings/${pairing.id}/activities`).set(as('district_admin')).expect(200);
    await t.http().get(`/api/mentoring/pairings/${pairing.id}/activities`).set(as('t00002')).expect(404);
    await t.http().get(`/api/mentoring/pairings/${pairing.id}/activities`).set(as('t00041')).expect(404);
    await t.http().get(`/api/mentoring/pairings/${pairing.id}/progress`).set(as('t00041')).expect(404);
    expect(fields(await t.http().get(`/api/mentoring/pairings/${pairing.id}/activities?term=autumn`).set(as(mentee)).expect(400))).toEqual(['term:isTermCode']);
  });

  it('answers the pages: the log with the other side\'s confirm button, and my progress with what waits for me', async () => {
    const page = await t.signInPages('teacher');
    const activities = await page.get(`/mentoring/pairings/${pairing.id}/activities`).expect(200);
    expect(activities.text).toContain('带教活动记录');
    expect(activities.text).toContain('data-testid="log-form"');
    const mine = await page.get('/me/mentoring').expect(200);
    expect(mine.text).toContain(`data-pairing-id="${pairing.id}"`);
    const admin = await t.signInPages('kg_admin');
    const seen = await admin.get(`/mentoring/pairings/${pairing.id}/activities`).expect(200);
    expect(seen.text).not.toContain('data-testid="log-form"');
    expect(seen.text).not.toContain('data-testid="confirm"');
    const stranger = await t.signInPages('t00002');
    await stranger.get(`/mentoring/pairings/${pairing.id}/activities`).expect(404);
  });
});
