// The app under test: the production build's HTTP process (and, with Redis, a worker process consuming its jobs),
// started on the bench database with the dataset's encryption key; their memory read from /proc.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import pg from 'pg';

export async function redisAvailable(redisUrl) {
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try { await probe.connect(); await probe.quit(); return true; } catch { probe.disconnect(); return false; }
}

async function waitForHealth(child, base) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error('bench: server exited');
    try { if ((await fetch(`${base}/health`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('bench: server did not become healthy');
}

async function stop(child) {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** Starts `node dist/src/main.js` (with the query-capture hook) and, when `redisUrl` is given, `node dist/src/worker.js`. */
export async function startApp({ dbUrl, port, encryptionKey, dataDir, captureFile, redisUrl, poolSize }) {
  const prefix = `tgpbench${randomBytes(4).toString('hex')}`;
  const env = {
    ...process.env, NODE_ENV: 'production', DATABASE_URL: dbUrl, PORT: String(port), LOG_LEVEL: 'warn',
    DATA_ENCRYPTION_KEY: encryptionKey, SESSION_SECRET: randomBytes(32).toString('hex'), DEMO_DATA: 'false',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '10000', DATA_DIR: dataDir, REDIS_URL: redisUrl ?? '', QUEUE_PREFIX: prefix,
    // Jobs go to the worker; recurring jobs (reminders over the whole city) would add load nobody asked for.
    HTTP_PROCESS_JOBS: redisUrl ? 'false' : 'true', SCHEDULED_JOBS: 'false',
    ...(poolSize ? { DATABASE_POOL_SIZE: String(poolSize) } : {}),
  };
  if (!redisUrl) delete env.REDIS_URL;
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['--import', new URL('./capture-queries.mjs', import.meta.url).pathname, 'dist/src/main.js'],
    { env: { ...env, BENCH_CAPTURE_FILE: captureFile }, stdio: ['ignore', 'ignore', 'inherit'] });
  const worker = redisUrl ? spawn(process.execPath, ['dist/src/worker.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] }) : null;
  try {
    await waitForHealth(server, base);
  } catch (error) {
    await stop(server);
    await stop(worker);
    throw error;
  }
  return {
    base, env, server, worker,
    /** Switches the query capture on or off (SIGWINCH). */
    toggleCapture: () => server.kill('SIGWINCH'),
    async close() {
      await stop(server);
      await stop(worker);
      if (redisUrl) {
        // Nothing of this run stays in Redis.
        const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
        for (const name of ['default', 'mail']) {
          const q = new Queue(name, { connection, prefix });
          await q.obliterate({ force: true }).catch(() => undefined);
          await q.close();
        }
        await connection.quit();
      }
    },
  };
}

const status = (pid) => readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
const kb = (text, key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);

/**
 * The peak resident memory of a process over a stretch of work: the kernel's high-water mark, reset before it
 * (/proc/<pid>/clear_refs), and samples every 100 ms in case the reset is not allowed.
 */
export function memoryWatch(pid) {
  let peak = 0;
  const sample = async () => { peak = Math.max(peak, kb(await status(pid), 'VmRSS')); };
  const reset = writeFile(`/proc/${pid}/clear_refs`, '5').catch(() => undefined);
  const timer = setInterval(sample, 100);
  return {
    async stop() {
      clearInterval(timer);
      await reset;
      await sample();
      return Math.round(Math.max(peak, kb(await status(pid), 'VmHWM')) / 1024);
    },
  };
}

/** The high-water mark since start (or since the last reset). */
export async function peakRss(pid) {
  return Math.round(kb(await status(pid), 'VmHWM') / 1024);
}

/** Signed-in sessions written directly, the way the auth module stores them (token hashed with SHA-256). */
export async function sessionsFor(dbUrl, userIds) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const tokens = userIds.map(() => randomBytes(32).toString('base64url'));
    await client.query(
      `INSERT INTO auth_session (user_id, token_hash, kind, expires_at) SELECT unnest($1::uuid[]), unnest($2::text[]), 'api', now() + interval '4 hours'`,
      [userIds, tokens.map((t) => createHash('sha256').update(t).digest('base64url'))]);
    return tokens;
  } finally {
    await client.end();
  }
}
