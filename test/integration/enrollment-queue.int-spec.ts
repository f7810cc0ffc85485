import { SCHEDULES } from '../../src/queue/jobs.js';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createOffering, sessionTokens, teachers } from '../support/offering-fixtures.js';

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('enrolment notices and recurring jobs on BullMQ (real Redis)', () => {
  let t: TestApp;
  const prefix = `tgptest${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await startTestApp({ env: { REDIS_URL: process.env.TEST_REDIS_URL!, QUEUE_PREFIX: prefix, SCHEDULED_JOBS: 'true' } });
  });
  afterAll(async () => {
    await t.close();
    for (const name of ['default', 'mail']) {
      const queue = new Queue(name, { connection: { url: process.env.TEST_REDIS_URL! }, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('tells the promoted learner through the queue, once', async () => {
    const { offeringId } = await createOffering(t.db.pool, { capacity: 1 });
    const [a, b] = await teachers(t.db.pool, 2);
    const tokens = await sessionTokens(t.db.pool, [a.username, b.username]);
    const enrol = (username: string) => t.http().post(`/api/offerings/${offeringId}/enrollments`).set('Authorization', `Bearer ${tokens.get(username)}`).send({});
    const ea = (await enrol(a.username).expect(201)).body;
    const eb = (await enrol(b.username).expect(201)).body;
    expect(eb.status).toBe('waitlisted');
    await t.http().post(`/api/enrollments/${ea.id}/withdraw`).set('Authorization', `Bearer ${tokens.get(a.username)}`).send({}).expect(200);

    const promoted = `SELECT count(*)::int AS n FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = $1 AND n.kind = 'enrollment.promoted'`;
    await waitFor(async () => (await t.db.pool.query(promoted, [b.username])).rows[0].n === 1);
    await waitFor(async () => (await t.db.pool.query(`SELECT count(*)::int AS n FROM enrollment_event WHERE notify AND notified_at IS NULL`)).rows[0].n === 0);
    expect((await t.db.pool.query(promoted, [b.username])).rows[0].n).toBe(1);
  });

  it('keeps one schedule per recurring job in Redis', async () => {
    const queue = new Queue('default', { connection: { url: process.env.TEST_REDIS_URL! }, prefix });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.name).sort()).toEqual(SCHEDULES.map((s) => s.name).sort());
      expect(schedulers.find((s) => s.name === 'enrollment.sweep')?.every).toBe(60_000);
    } finally {
      await queue.close();
    }
  });
});
