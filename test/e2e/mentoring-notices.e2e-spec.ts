import { startTestApp, type TestApp } from '../support/test-app.js';
import { sessionTokens } from '../support/offering-fixtures.js';
import { createPairing, dayFromToday, type PairingFixture } from '../support/mentoring-work-fixtures.js';
import { termOf } from '../../src/modules/mentoring/terms.js';

describe('mentoring audit entries and notices', () => {
  let t: TestApp;
  let pairing: PairingFixture;
  const tokens = new Map<string, string>();
  const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });
  const log = (username: string, body: Record<string, unknown>) =>
    t.http().post(`/api/mentoring/pairings/${pairing.id}/activities`).set(as(username)).send({ kind: 'observation', occurredOn: dayFromToday(0), durationMinutes: 40, ...body });
  /** Notices of one kind per username, e.g. { teacher: 1, t00001: 0 }. */
  const notices = async (kind: string, usernames: string[]) => {
    const { rows } = await t.db.pool.query(
      `SELECT u.username, count(n.id)::int AS n FROM app_user u LEFT JOIN notification n ON n.user_id = u.id AND n.kind = $1
        WHERE u.username = ANY($2::text[]) GROUP BY u.username`, [kind, usernames]);
    return Object.fromEntries(rows.map((r) => [r.username, r.n]));
  };
  const audit = async (entityId: string) =>
    (await t.db.pool.query('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY occurred_at, id', [entityId])).rows.map((r) => r.action);

  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ['teacher', 'kg_admin']) tokens.set(name, await t.token(name));
    for (const [name, token] of await sessionTokens(t.db.pool, ['t00001', 't00022'])) tokens.set(name, token);
    pairing = await createPairing(t.db.pool, {
      mentee: 'teacher', mentors: [{ username: 't00001', role: 'lead' }, { username: 't00022', role: 'subject' }], startsOn: dayFromToday(-60), endsOn: dayFromToday(300),
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('tells the other side that a log waits for them, once; logging, confirming and disputing are audited', async () => {
    const demo = (await log('t00001', { kind: 'demonstration', notes: '示范课：大班科学' }).expect(201)).body;
    expect(await notices('mentoring.activity.logged', ['teacher', 't00001', 't00022'])).toEqual({ teacher: 1, t00001: 0, t00022: 0 });
    const { rows: [notice] } = await t.db.pool.query(
      `SELECT n.title, n.link FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 'teacher' AND n.kind = 'mentoring.activity.logged'`);
    expect(notice.title).toContain('请确认');
    expect(notice.link).toBe('/me/mentoring');

    const observed = (await log('teacher', { notes: '听师傅的课' }).expect(201)).body;
    await log('teacher', { notes: '听师傅的课' }).expect(200);
    expect(await notices('mentoring.activity.logged', ['teacher', 't00001', 't00022'])).toEqual({ teacher: 1, t00001: 1, t00022: 1 });

    await t.http().post(`/api/mentoring/activities/${demo.id}/confirm`).set(as('teacher')).expect(200);
    await t.http().post(`/api/mentoring/activities/${demo.id}/confirm`).set(as('teacher')).expect(200);
    await t.http().post(`/api/mentoring/activities/${observed.id}/dispute`).set(as('t00022')).send({ reason: '那天没有听课' }).expect(200);
    expect(await audit(demo.id)).toEqual(['mentoring.activity.log', 'mentoring.activity.confirm']);
    expect(await audit(observed.id)).toEqual(['mentoring.activity.log', 'mentoring.activity.dispute']);

    // A refused confirmation writes no audit entry.
    expect((await t.http().post(`/api/mentoring/activities/${observed.id}/confirm`).set(as('teacher')).expect(422)).body.error.code).toBe('CANNOT_CONFIRM_OWN_LOG');
    expect(await audit(observed.id)).toHaveLength(2);
  });

  it('tells the lead mentor when a review is returned and everyone in the pairing when it is accepted, once', async () => {
    const review = (await t.http().post(`/api/mentoring/pairings/${pairing.id}/reviews`).set(as('t00001'))
      .send({ term: termOf(dayFromToday(0)), mentorComment: '徒弟进步明显。' }).expect(201)).body;
    await t.http().post(`/api/mentoring/reviews/${review.id}/return`).set(as('kg_admin')).send({ comment: '请补充公开课情况' }).expect(200);
    await t.http().post(`/api/mentoring/reviews/${review.id}/return`).set(as('kg_admin')).send({ comment: '请补充公开课情况' }).expect(200);
    expect(await notices('mentoring.review.returned', ['teacher', 't00001', 't00022'])).toEqual({ teacher: 0, t00001: 1, t00022: 0 });
    const { rows: [returned] } = await t.db.pool.query(
      `SELECT n.body FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = 't00001' AND n.kind = 'mentoring.review.returned'`);
    expect(returned.body).toContain('请补充公开课情况');

    await t.http().put(`/api/mentoring/reviews/${review.id}`).set(as('t00001')).send({ mentorComment: '徒弟完成公开课一节，进步明显。' }).expect(200);
    await t.http().post(`/api/mentoring/reviews/${review.id}/accept`).set(as('kg_admin')).send({}).expect(200);
    await t.http().post(`/api/mentoring/reviews/${review.id}/accept`).set(as('kg_admin')).send({}).expect(200);
    expect(await notices('mentoring.review.accepted', ['teacher', 't00001', 't00022', 'kg_admin'])).toEqual({ teacher: 1, t00001: 1, t00022: 1, kg_admin: 0 });
  });
});
