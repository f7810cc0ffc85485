// Certificates through the worker (issue 10, scenario 7: at least 20 certificates per second sustained).
// Used by run.mjs: N completions with a pending certificate are written directly on the bench database, a BullMQ
// worker (`node dist/src/worker.js`, its own queue prefix) is started, one `certificate.render` job per certificate
// is queued, and the table is polled until every one is issued.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pendingCertificates } from './pending-certificates.mjs';

async function peakMemory(pid) {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * Renders `count` certificates through one worker process (BullMQ concurrency as configured in the worker).
 * env: the server's environment (database, keys, DATA_DIR). Answers the figures for the report, or null without Redis.
 */
export async function certificatesThroughWorker({ dbUrl, env, count = 300, redisUrl = 'redis://127.0.0.1:6379', timeoutMs = 600_000 }) {
  // Without Redis the measurement is skipped (answers null) rather than hanging on a connection that retries forever.
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try { await probe.connect(); await probe.quit(); } catch { probe.disconnect(); return null; }
  const prefix = `tgpbench${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = ['default', 'mail'].map((name) => new Queue(name, { connection, prefix }));
  const queue = queues[0];
  const worker = spawn(process.execPath, ['dist/src/worker.js'], {
    env: { ...env, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, SCHEDULED_JOBS: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const ids = await pendingCertificates(client, count);
    // Timed from the moment the worker consumes, so its boot is not counted.
    for (let i = 0; (await queue.getWorkersCount()) === 0; i++) {
      if (worker.exitCode !== null) throw new Error('bench: worker exited');
      if (i > 600) throw new Error('bench: worker did not start consuming');
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = performance.now();
    await queue.addBulk(ids.map((certificateId) => ({
      name: 'certificate.render', data: { certificateId },
      opts: { jobId: `certificate.render_certificate-${certificateId}`, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    })));
    let issued = 0;
    let firstAt = null;
    while (issued < ids.length) {
      if (performance.now() - started > timeoutMs) throw new Error(`bench: only ${issued} of ${ids.length} certificates issued in time`);
      if (worker.exitCode !== null) throw new Error('bench: worker exited');
      await new Promise((r) => setTimeout(r, 50));
      const { rows: [row] } = await client.query(`SELECT count(*)::int AS n FROM certificate WHERE id = ANY($1) AND status = 'issued'`, [ids]);
      issued = row.n;
      if (issued > 0 && firstAt === null) firstAt = performance.now();
    }
    const seconds = (performance.now() - started) / 1000;
    const { rows: [stored] } = await client.query(
      `SELECT count(*)::int AS files, coalesce(avg(f.size_bytes), 0)::int AS bytes FROM certificate c JOIN stored_file f ON f.id = c.file_id WHERE c.id = ANY($1)`, [ids])
      .catch(() => ({ rows: [{ files: null, bytes: null }] }));
    return {
      certificates: ids.length, seconds: Number(seconds.toFixed(2)), 'certificates/s': Number((ids.length / seconds).toFixed(1)),
      'first issued after ms': Math.round(firstAt - started), 'PDFs stored': stored.files, 'avg PDF bytes': stored.bytes,
      'worker peak RSS MB': Math.round(await peakMemory(worker.pid)),
    };
  } finally {
    if (worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
    // Nothing of this run stays in Redis.
    for (const q of queues) {
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    await connection.quit();
    await client.end();
  }
}
