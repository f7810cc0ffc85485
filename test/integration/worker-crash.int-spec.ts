import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import pg from 'pg';
import { FieldCipher } from '../../src/common/field-cipher.js';
import { CertificateService } from '../../src/modules/certificates/certificate.service.js';
import { dayBefore } from '../../src/modules/people/people-rules.js';
import { shanghaiDate } from '../../src/common/dates.js';
import type { TestApp } from '../support/test-app.js';
import { startApiOnlyApp, startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';
import { pendingCertificates } from '../bench/pending-certificates.mjs';
import { filesUnder } from '../support/files-on-disk.js';
import { recordFigure } from '../support/figures.js';
import { csvOf, settledImport, staffRow, staffTable, uploadImport, type StaffCells } from '../support/import-fixtures.js';

/** Waits for a condition (bounded); the bound only turns a hang into a failure, it is no timing assertion. */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * kill -9 of a worker process in the middle of a staff import and of a certificate batch, and a database
 * connection cut in the middle of a request's transaction. Faults are placed with database locks held by
 * the test, so each one lands at a known point without timing guesses.
 */
describe('crashes: a killed worker and a dropped database connection', () => {
  let t: TestApp;
  let dataDir: string;
  let worker: WorkerProcess | null = null;
  const prefix = `tgpr2${randomBytes(4).toString('hex')}`;
  const holders: pg.Client[] = [];
  const count = async (sql: string, params: unknown[] = []) => Number((await t.db.pool.query(sql, params)).rows[0].n);
  /** Sessions of this database waiting for a lock, on a statement containing `text`. */
  const waiting = (text: string) => count(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%' || $1 || '%'`, [text]);
  /** A connection of the test's own, holding locks in an open transaction. */
  const holder = async () => {
    const client = new pg.Client({ connectionString: t.db.url });
    client.on('error', () => undefined);
    await client.connect();
    holders.push(client);
    await client.query('BEGIN');
    return client;
  };
  const startWorker = async () => {
    worker = await startWorkerProcess({
      DATABASE_URL: t.db.url, REDIS_URL: process.env.TEST_REDIS_URL!, QUEUE_PREFIX: prefix, DATA_DIR: dataDir,
      // Short locks: a dead worker's jobs go back to the queue in seconds instead of minutes.
      QUEUE_LOCK_MS: '3000', QUEUE_IMPORT_LOCK_MS: '3000', QUEUE_STALLED_CHECK_MS: '1000',
    });
    return worker;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tgp-crash-'));
    t = await startApiOnlyApp({ REDIS_URL: process.env.TEST_REDIS_URL!, QUEUE_PREFIX: prefix, DATA_DIR: dataDir });
  });
  afterAll(async () => {
    for (const client of holders) await client.end().catch(() => undefined);
    await worker?.stop();
    await t?.close();
    for (const name of ['default', 'mail', 'imports', 'exports']) {
      const queue = new Queue(name, { connection: { url: process.env.TEST_REDIS_URL! }, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes a staff import whose worker was killed mid-apply, writing every row exactly once', async () => {
    const hr = await t.token('district_admin');
    const cipher = t.app.get(FieldCipher);
    // A demo teacher of K001 the file moves to K002: her row, in the second batch of 1000, lets the test hold that batch.
    const { rows: [p] } = await t.db.pool.query(
      `SELECT p.id, p.full_name, p.national_id_enc, p.education_level FROM person p JOIN employment e ON e.person_id = p.id AND e.end_date IS NULL
         JOIN org_unit k ON k.id = e.org_unit_id
        WHERE k.code = 'SH-QP-K001' AND e.post = 'teacher' AND e.start_date < current_date - 30 ORDER BY p.id LIMIT 1`);
    const education: Record<string, string> = { high_school: '高中', secondary_vocational: '中专', junior_college: '大专', bachelor: '本科', master: '硕士', doctorate: '博士' };
    const moved: StaffCells = {
      fullName: p.full_name, nationalId: cipher.decrypt(p.national_id_enc), educationLevel: education[p.education_level],
      kindergartenCode: 'SH-QP-K002', post: '专任教师', postStartDate: dayBefore(shanghaiDate()),
    };
    const fresh = Array.from({ length: 2999 }, (_, i) => staffRow(5000 + i));
    const rows = [...fresh.slice(0, 1500), moved, ...fresh.slice(1500)];
    const hashes = fresh.map((r) => cipher.lookupHash(r.nationalId));

    const first = await startWorker();
    const upload = await uploadImport(t, hr, 'staff', csvOf(staffTable(rows)), '全区教职工.csv').expect(201);
    const validated = await settledImport(t, hr, upload.body.id);
    expect(validated).toMatchObject({ status: 'validated', totalRows: 3000, counts: { create: 2999, update: 1, error: 0 } });

    // Batch 1 commits; batch 2 waits for the moved teacher's row, then (released) writes its people and waits at the certificates.
    const personLock = await holder();
    await personLock.query('SELECT id FROM person WHERE id = $1 FOR UPDATE', [p.id]);
    await t.http().post(`/api/imports/${upload.body.id}/confirm`).set(auth(hr)).expect(200);
    await waitFor('batch 2 waiting', async () => (await waiting('AS "personId"')) === 1);
    const certificateLock = await holder();
    await certificateLock.query('LOCK TABLE person_certificate IN SHARE MODE');
    await personLock.query('ROLLBACK');
    await waitFor('batch 2 written up to the certificates', async () => (await waiting('person_certificate')) === 1);
    const midway = (await t.http().get(`/api/imports/${upload.body.id}`).set(auth(hr)).expect(200)).body;
    expect(midway).toMatchObject({ status: 'applying', rowsDone: 1000, totalRows: 3000 });
    // Batch 1's people are there; batch 2's are written but not committed, so nobody sees them.
    expect(await count(`SELECT count(*)::int AS n FROM person WHERE national_id_hash = ANY($1)`, [hashes])).toBe(1000);

    await first.kill();
    const killedAt = Date.now();
    await certificateLock.query('ROLLBACK');
    await startWorker();
    const done = await settledImport(t, hr, upload.body.id);
    recordFigure('import: kill -9 mid-apply → applied (ms, incl. worker boot and lock expiry)', Date.now() - killedAt);
    expect(done).toMatchObject({ status: 'applied', rowsDone: 3000, counts: { create: 2999, update: 1, error: 0 } });

    const { rows: [written] } = await t.db.pool.query(
      `SELECT count(*)::int AS people,
              (SELECT count(*)::int FROM employment e JOIN person x ON x.id = e.person_id WHERE x.national_id_hash = ANY($1)) AS employments,
              (SELECT count(*)::int FROM title_record r JOIN person x ON x.id = r.person_id WHERE x.national_id_hash = ANY($1)) AS titles,
              (SELECT count(*)::int FROM person_certificate c JOIN person x ON x.id = c.person_id WHERE x.national_id_hash = ANY($1)) AS certificates
         FROM person WHERE national_id_hash = ANY($1)`, [hashes]);
    expect(written).toEqual({ people: 2999, employments: 2999, titles: 2999, certificates: 2999 });
    expect(await count(`SELECT count(*)::int AS n FROM import_row WHERE job_id = $1 AND applied_at IS NOT NULL`, [upload.body.id])).toBe(3000);
    const { rows: places } = await t.db.pool.query(
      `SELECT k.code FROM employment e JOIN org_unit k ON k.id = e.org_unit_id WHERE e.person_id = $1 AND e.end_date IS NULL`, [p.id]);
    expect(places).toEqual([{ code: 'SH-QP-K002' }]);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'import_job' AND entity_id = $1`, [upload.body.id])).toBe(1);
  }, 60_000);

  it('renders every certificate of a batch exactly once after its worker was killed mid-batch', async () => {
    const writer = await t.db.pool.connect();
    const ids = await pendingCertificates(writer, 100).finally(() => writer.release());
    // Certificates 51–100 are held: the worker issues the first 50, its four job slots then wait on 51–54.
    const rowLock = await holder();
    await rowLock.query('SELECT id FROM certificate WHERE id = ANY($1) FOR UPDATE', [ids.slice(50)]);
    await t.app.get(CertificateService).queueRender(ids);
    const issued = () => count(`SELECT count(*)::int AS n FROM certificate WHERE id = ANY($1) AND status = 'issued'`, [ids]);
    await waitFor('half the batch issued', async () => (await issued()) === 50 && (await waiting('certificate')) === 4);

    await worker!.kill();
    const killedAt = Date.now();
    await rowLock.query('ROLLBACK');
    await startWorker();
    await waitFor('the whole batch issued', async () => (await issued()) === 100);
    recordFigure('certificates: kill -9 mid-batch → all 100 issued (ms, incl. worker boot and lock expiry)', Date.now() - killedAt);

    const { rows: [files] } = await t.db.pool.query(
      `SELECT count(*)::int AS certificates, count(DISTINCT c.file_id)::int AS files,
              (SELECT count(*)::int FROM stored_file WHERE purpose = 'certificate') AS stored
         FROM certificate c JOIN stored_file f ON f.id = c.file_id WHERE c.id = ANY($1) AND f.purpose = 'certificate'`, [ids]);
    expect(files).toEqual({ certificates: 100, files: 100, stored: 100 });
    // No bytes without a record either: the held jobs stopped before storing anything.
    const onDisk = filesUnder(join(dataDir, 'files', 'certificate'));
    expect(onDisk).toBe(100);
    const queue = new Queue('default', { connection: { url: process.env.TEST_REDIS_URL! }, prefix });
    try {
      expect(await queue.getJobCounts('completed', 'failed', 'active', 'wait')).toEqual({ completed: 100, failed: 0, active: 0, wait: 0 });
    } finally {
      await queue.close();
    }
  }, 60_000);

  it('answers a clean error when the database connection drops mid-transaction, keeps nothing of it, and serves the next request', async () => {
    const admin = await t.token('district_admin');
    const { rows: [trainer] } = await t.db.pool.query(`SELECT id FROM app_user WHERE username = 'trainer'`);
    const course = {
      code: `CRASH-${randomBytes(3).toString('hex').toUpperCase()}`, title: '断线测试课程', description: '', provider: '青浦区教师进修学院',
      category: 'knowledge_skills', tags: [], level: 'district', mode: 'offline', hours: 12, trainerUserIds: [trainer.id],
    };
    const courses = () => count(`SELECT count(*)::int AS n FROM course WHERE code = $1`, [course.code]);
    // The request's transaction writes the course and its trainer, then waits to write its audit entry.
    const auditLock = await holder();
    await auditLock.query('LOCK TABLE audit_log IN SHARE MODE');
    const answer = t.http().post('/api/courses').set(auth(admin)).send(course).then((res) => res);
    await waitFor('the request inside its transaction', async () => (await waiting('audit_log')) === 1);
    const { rows: [session] } = await t.db.pool.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%audit_log%'`);
    const cutAt = Date.now();
    await t.db.pool.query('SELECT pg_terminate_backend($1)', [session.pid]);
    const res = await answer;
    recordFigure('database connection cut mid-transaction → error answered (ms)', Date.now() - cutAt);
    await auditLock.query('ROLLBACK');

    // 503 with Retry-After and the standard error shape, nothing of the driver's message or a stack.
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toEqual({ error: { code: 'DATABASE_UNAVAILABLE', message: expect.any(String), details: null } });
    expect(JSON.stringify(res.body)).not.toMatch(/terminat|QueryFailed|\.ts:\d|\bat /);
    expect(await courses()).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM course_trainer ct JOIN course c ON c.id = ct.course_id WHERE c.code = $1`, [course.code])).toBe(0);

    // The pool replaced the lost connection: the user's retry goes through, once.
    const retriedAt = Date.now();
    const again = await t.http().post('/api/courses').set(auth(admin)).send(course).expect(201);
    recordFigure('database connection cut → next request served (ms)', Date.now() - retriedAt);
    expect(again.body).toMatchObject({ code: course.code, status: 'draft' });
    expect(await courses()).toBe(1);
  }, 60_000);
});
