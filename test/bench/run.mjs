// `npm run bench`: starts the production build (HTTP) on a fresh database holding the demo district,
// drives it over real HTTP from this separate process with autocannon, and prints one table.
// BENCH_DATABASE_URL: an admin connection (default: the local server); a scratch database is created and dropped.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const port = Number(process.env.BENCH_PORT ?? 3300);
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const dbName = `tgp_bench_${randomBytes(4).toString('hex')}`;
const base = `http://127.0.0.1:${port}`;

const SCENARIOS = [
  { name: 'health', path: '/health', connections: 16, auth: null },
  { name: 'me (session lookup)', path: '/api/me', connections: 16, auth: 'teacher' },
  { name: 'org tree, district', path: '/api/org-units/tree', connections: 16, auth: 'district_admin' },
  { name: 'org list page 1', path: '/api/org-units?kind=kindergarten&pageSize=50', connections: 16, auth: 'district_admin' },
  { name: 'people search, district', path: '/api/people?pageSize=25&q=%E7%8E%8B', connections: 16, auth: 'district_admin' },
  { name: 'people list, kindergarten', path: '/api/people?pageSize=50', connections: 16, auth: 'kg_admin' },
  { name: 'home page (HTML)', path: '/', connections: 16, auth: 'teacher', cookie: true },
];

async function admin(sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

async function waitForHealth(server) {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error('server exited');
    try { if ((await fetch(`${base}/health`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy');
}

async function peakMemory(pid) {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

await admin(`CREATE DATABASE ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
const server = spawn(process.execPath, ['dist/src/main.js'], {
  env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: url.toString(), PORT: String(port), LOG_LEVEL: 'warn',
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'), SESSION_SECRET: randomBytes(32).toString('hex'), DEMO_DATA: 'true',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '10000', REDIS_URL: '' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const rows = [];
try {
  await waitForHealth(server);
  const tokens = {};
  const cookies = {};
  for (const user of new Set(SCENARIOS.map((s) => s.auth).filter(Boolean))) {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: user, password: 'Demo@2026' }) });
    tokens[user] = (await res.json()).accessToken;
    cookies[user] = `tgp_session=${tokens[user]}`;
  }
  for (const scenario of SCENARIOS) {
    const headers = scenario.auth ? (scenario.cookie ? { cookie: cookies[scenario.auth] } : { authorization: `Bearer ${tokens[scenario.auth]}` }) : {};
    const result = await autocannon({ url: `${base}${scenario.path}`, connections: scenario.connections, duration, headers });
    rows.push({
      scenario: scenario.name, conc: scenario.connections, requests: result.requests.total, 'req/s': Math.round(result.requests.average),
      p50: result.latency.p50, p90: result.latency.p90, 'p97.5': result.latency.p97_5, p99: result.latency.p99,
      non2xx: result.non2xx, errors: result.errors,
    });
  }
  console.log(`\nbench: ${duration}s per scenario, latency in ms, server peak RSS ${(await peakMemory(server.pid)).toFixed(0)} MB`);
  console.table(rows);
} finally {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
