import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import request, { agent } from 'supertest';
import { PROJECT_ROOT } from '../../src/common/paths.js';
import { createHttpApp } from '../../src/http-app.js';
import { createRootLogger } from '../../src/common/logger.js';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveSecrets } from '../../src/config/secrets.js';
import { exited } from './redis-server.js';
import { createTestDatabase } from './test-db.js';
import { DEMO_PASSWORD, TEST_ENV } from './env.js';
import type { TestApp } from './test-app.js';

/** A real worker process (`src/worker.ts`, run from the sources through SWC: no build needed). */
export interface WorkerProcess {
  child: ChildProcess;
  /** kill -9: no shutdown hook runs, its jobs stay locked in Redis until their lock lapses. */
  kill(): Promise<void>;
  /** SIGTERM, waiting for the graceful shutdown. */
  stop(): Promise<void>;
  /** The last lines it wrote (for a failing test's message). */
  output(): string;
}

/** Starts `src/worker.ts` with the test keys and `env` (DATABASE_URL, REDIS_URL, QUEUE_PREFIX, DATA_DIR...); answers once it consumes jobs. */
export async function startWorkerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', join(PROJECT_ROOT, 'test/support/swc-register.mjs'), join(PROJECT_ROOT, 'src/worker.ts')], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...TEST_ENV, SCHEDULED_JOBS: 'false', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-20_000); };
  child.stderr!.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in ${timeoutMs} ms:\n${output.slice(-3000)}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (output.includes('worker consuming jobs')) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`worker exited (${code}) while starting:\n${output.slice(-3000)}`)); });
  });
  return {
    child,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
    output: () => output,
  };
}

/**
 * The HTTP application on its own cloned database, like `startTestApp`, but consuming no jobs: with
 * REDIS_URL set, the jobs it submits are run by worker processes only (as with HTTP_PROCESS_JOBS=false).
 */
export async function startApiOnlyApp(env: Record<string, string>): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({ ...TEST_ENV, DATABASE_URL: db.url, DATABASE_POOL_SIZE: '5', ...env });
  const runtime = { config, secrets: resolveSecrets(config), databaseUrl: db.url, processJobs: false };
  const app = await createHttpApp(runtime, createRootLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
  await app.init();
  const http = () => request(app.getHttpServer());
  const tokens = new Map<string, string>();
  return {
    app, db, http, baseUrl: '',
    async token(username: string, password = DEMO_PASSWORD) {
      if (!tokens.has(username)) {
        const res = await http().post('/api/auth/login').send({ identifier: username, password });
        if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
        tokens.set(username, res.body.accessToken as string);
      }
      return tokens.get(username)!;
    },
    async signInPages(): Promise<ReturnType<typeof agent>> {
      throw new Error('startApiOnlyApp serves the API only in these tests: use startTestApp for pages');
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
