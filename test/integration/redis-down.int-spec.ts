import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { JobHandlerRegistry, JobQueue } from '../../src/queue/job-queue.js';
import { SCHEDULES } from '../../src/queue/jobs.js';
import { JobOutbox } from '../../src/queue/job-outbox.js';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { createOffering, sessionTokens, teachers } from '../support/offering-fixtures.js';
import { csvOf, staffRow, staffTable, uploadImport } from '../support/import-fixtures.js';
import { recordFigure } from '../support/figures.js';

/** Waits for a condition (bounded); the bound only turns a hang into a failure, it is no timing assertion. */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Redis down: pages and reads keep working, job submissions wait in the outbox and go out when Redis is back', () => {
  let redis: RedisServer;
  let t: TestApp;
  let dataDir: string;
  const prefix = `tgpr2${randomBytes(4).toString('hex')}`;
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.pool.query(sql, params)).rows[0].n);
  const pendingOutbox = () => count(`SELECT count(*)::int AS n FROM job_outbox WHERE sent_at IS NULL`);

  beforeAll(async () => {
    redis = await startRedisServer();
    dataDir = mkdtempSync(join(tmpdir(), 'tgp-redis-down-'));
    t = await startTestApp({ env: { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, SCHEDULED_JOBS: 'true', QUEUE_OUTBOX_RELAY_MS: '1000', DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says ok with the queue up and nothing waiting', async () => {
    const health = await t.http().get('/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', database: { status: 'up' }, queue: { status: 'up', driver: 'bullmq' }, outbox: { pending: 0, oldestAt: null } });
  });

  it('keeps serving and keeps every job submitted while Redis is down; sends each exactly once when it is back', async () => {
    const runs = jest.spyOn(t.app.get(JobHandlerRegistry), 'run');
    const { offeringId } = await createOffering(t.db.pool, { capacity: 1 });
    const [a, b] = await teachers(t.db.pool, 2);
    const tokens = await sessionTokens(t.db.pool, [a.username, b.username]);
    const as = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });

    await redis.kill();
    const killedAt = Date.now();
    await waitFor('/health degraded', async () => (await t.http().get('/health')).body.status === 'degraded');
    recordFigure('redis killed → /health degraded (ms)', Date.now() - killedAt);
    const health = await t.http().get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'degraded', database: { status: 'up' }, queue: { status: 'down', driver: 'bullmq' }, outbox: { pending: 0 } });

    // Signing in (throttling lives in PostgreSQL), pages and API reads answer as usual.
    const browser = await t.signInPages('teacher');
    for (const page of ['/', '/catalog', '/me/transcript']) {
      const res = await browser.get(page);
      expect([page, res.status]).toEqual([page, 200]);
    }
    const teacher = await t.token('teacher');
    await t.http().get('/api/me').set('Authorization', `Bearer ${teacher}`).expect(200);
    await t.http().get('/api/catalog').set('Authorization', `Bearer ${teacher}`).expect(200);

    // Writes that submit jobs answer normally; their jobs wait in the outbox.
    const ea = (await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as(a.username)).send({}).expect(201)).body;
    const eb = (await t.http().post(`/api/offerings/${offeringId}/enrollments`).set(as(b.username)).send({}).expect(201)).body;
    expect(eb.status).toBe('waitlisted');
    const withdrawnAt = Date.now();
    await t.http().post(`/api/enrollments/${ea.id}/withdraw`).set(as(a.username)).send({}).expect(200);
    recordFigure('redis down: a withdrawal that queues a notice answered in (ms)', Date.now() - withdrawnAt);
    const { rows: [promotion] } = await t.db.pool.query(
      `SELECT id FROM enrollment_event WHERE enrollment_id = $1 AND notify AND reason = 'PROMOTED_FROM_WAITLIST'`, [eb.id]);
    const promotionJob = `enrollment.notify_event-${promotion.id}`;
    const hr = await t.token('district_admin');
    const upload = await uploadImport(t, hr, 'staff', csvOf(staffTable([staffRow(1), staffRow(2)])), '名单.csv').expect(201);
    expect(upload.body.status).toBe('uploaded');

    const { rows: kept } = await t.db.pool.query(`SELECT job_name, job_id, payload, sent_at FROM job_outbox ORDER BY id`);
    expect(kept).toEqual(expect.arrayContaining([
      { job_name: 'enrollment.notify', job_id: promotionJob, payload: { eventId: String(promotion.id) }, sent_at: null },
      { job_name: 'import.validate', job_id: expect.stringMatching(new RegExp(`^import\\.validate_${upload.body.id}_`)), payload: { jobId: upload.body.id }, sent_at: null },
    ]));
    // Every notice the enrolment changes asked for is kept, once.
    const unsent = await count(`SELECT count(*)::int AS n FROM enrollment_event ev JOIN enrollment e ON e.id = ev.enrollment_id WHERE e.offering_id = $1 AND ev.notify AND ev.notified_at IS NULL`, [offeringId]);
    expect(kept.filter((row) => row.job_name === 'enrollment.notify')).toHaveLength(unsent);
    // A second submission of the same job (a retry, a double click) keeps no second row.
    await t.app.get(JobQueue).enqueue('enrollment.notify', { eventId: String(promotion.id) }, { jobId: `event-${promotion.id}` });
    expect(await count(`SELECT count(*)::int AS n FROM job_outbox WHERE job_id = $1`, [promotionJob])).toBe(1);
    expect((await t.http().get('/health').expect(200)).body.outbox.pending).toBe(kept.length);
    expect(await count(`SELECT count(*)::int AS n FROM notification WHERE kind = 'enrollment.promoted'`)).toBe(0);

    await redis.start();
    const backAt = Date.now();
    await waitFor('the outbox sent', async () => (await pendingOutbox()) === 0);
    recordFigure(`redis back → outbox of ${kept.length} sent (ms)`, Date.now() - backAt);
    await waitFor('the promotion notice', async () => (await count(`SELECT count(*)::int AS n FROM notification WHERE kind = 'enrollment.promoted'`)) === 1);
    await waitFor('the dry run', async () => (await t.http().get(`/api/imports/${upload.body.id}`).set('Authorization', `Bearer ${hr}`)).body.status === 'validated');

    expect(await count(`SELECT count(*)::int AS n FROM job_outbox WHERE sent_at IS NULL OR attempts <> 1`)).toBe(0);
    const ranWith = (name: string, data: object) => runs.mock.calls.filter(([n, d]) => n === name && JSON.stringify(d) === JSON.stringify(data)).length;
    expect(ranWith('enrollment.notify', { eventId: String(promotion.id) })).toBe(1);
    expect(ranWith('import.validate', { jobId: upload.body.id })).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.username = $1 AND n.kind = 'enrollment.promoted'`, [b.username])).toBe(1);
    const dryRun = (await t.http().get(`/api/imports/${upload.body.id}`).set('Authorization', `Bearer ${hr}`).expect(200)).body;
    expect(dryRun).toMatchObject({ status: 'validated', counts: { create: 2, error: 0 } });

    await waitFor('/health ok', async () => (await t.http().get('/health')).body.status === 'ok');
    expect((await t.http().get('/health').expect(200)).body.outbox).toEqual({ pending: 0, oldestAt: null });
    // The restarted Redis was empty: the recurring jobs were put back.
    const queue = new Queue('default', { connection: { url: redis.url }, prefix });
    try {
      await waitFor('recurring jobs back', async () => (await queue.getJobSchedulers()).length === SCHEDULES.length);
      expect((await queue.getJobSchedulers()).map((s) => s.name).sort()).toEqual(SCHEDULES.map((s) => s.name).sort());
    } finally {
      await queue.close();
    }
    runs.mockRestore();
  });

  it('waits at most the enqueue timeout for a Redis that stopped answering, keeps the job, and runs it once when Redis answers again', async () => {
    const runs = jest.spyOn(t.app.get(JobHandlerRegistry), 'run');
    const hr = await t.token('district_admin');
    redis.freeze();
    try {
      const startedAt = Date.now();
      const upload = await uploadImport(t, hr, 'staff', csvOf(staffTable([staffRow(3)])), '名单.csv').expect(201);
      recordFigure('redis frozen: an upload that queues its dry run answered in (ms; enqueue timeout 1500)', Date.now() - startedAt);
      expect((await t.http().get('/health').expect(200)).body).toMatchObject({ status: 'degraded', queue: { status: 'down' } });
      expect(await count(`SELECT count(*)::int AS n FROM job_outbox WHERE job_name = 'import.validate' AND payload->>'jobId' = $1`, [upload.body.id])).toBe(1);
      redis.thaw();
      // The submission Redis took late and its outbox copy carry the same job id: the dry run runs once.
      await waitFor('the dry run', async () => (await t.http().get(`/api/imports/${upload.body.id}`).set('Authorization', `Bearer ${hr}`)).body.status === 'validated');
      await waitFor('the outbox sent', async () => (await pendingOutbox()) === 0);
      expect(runs.mock.calls.filter(([name, data]) => name === 'import.validate' && (data as { jobId: string }).jobId === upload.body.id)).toHaveLength(1);
    } finally {
      redis.thaw();
      runs.mockRestore();
    }
  });

  it('never sends a kept job twice when several processes relay at once', async () => {
    const db = t.app.get(DataSource);
    const outbox = new JobOutbox(db);
    const ids = Array.from({ length: 250 }, (_, i) => `enrollment.notify_relay-test-${i}`);
    for (const jobId of ids) await outbox.keep('enrollment.notify', { eventId: '0' }, jobId, 0, 'test');
    const sent: string[] = [];
    const relay = () => outbox.relay(async (job) => {
      if (job.jobId.includes('relay-test')) sent.push(job.jobId);
      await new Promise((r) => setTimeout(r, 1));
    });
    // Two more relays besides the app's own timer, as in three processes.
    await Promise.all([relay(), relay()]);
    await waitFor('every row sent', async () => (await count(`SELECT count(*)::int AS n FROM job_outbox WHERE job_id = ANY($1) AND sent_at IS NULL`, [ids])) === 0);
    expect(new Set(sent).size).toBe(sent.length);
    expect(await count(`SELECT count(*)::int AS n FROM job_outbox WHERE job_id = ANY($1) AND attempts <> 1`, [ids])).toBe(0);
  });

  it('answers 503 down when the database does not answer', async () => {
    const token = await t.token('teacher');
    // The app's database is renamed away under it: new connections fail, as when PostgreSQL is unreachable.
    const admin = new (await import('pg')).default.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });
    await admin.connect();
    const name = new URL(t.db.url).pathname.slice(1);
    try {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
      const res = await t.http().get('/health');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'down', database: { status: 'down' }, queue: expect.objectContaining({ driver: 'bullmq' }), outbox: null });
      // A signed-in request is told to come back (503, Retry-After), not signed out (401).
      const me = await t.http().get('/api/me').set('Authorization', `Bearer ${token}`);
      expect(me.status).toBe(503);
      expect(me.headers['retry-after']).toBe('5');
      expect(me.body).toEqual({ error: { code: 'DATABASE_UNAVAILABLE', message: expect.any(String), details: null } });
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await waitFor('/health ok again', async () => (await t.http().get('/health')).status === 200);
  });
});
