// `npm run bench`: starts the production build (HTTP) on a fresh database holding the demo district,
// drives it over real HTTP from this separate process with autocannon, and prints one table.
// BENCH_DATABASE_URL: an admin connection (default: the local server); a scratch database is created and dropped.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { certificatesThroughWorker } from './certificates.mjs';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const port = Number(process.env.BENCH_PORT ?? 3300);
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const dbName = `tgp_bench_${randomBytes(4).toString('hex')}`;
const base = `http://127.0.0.1:${port}`;

const ALL_SCENARIOS = [
  { name: 'health', path: '/health', connections: 16, auth: null },
  { name: 'me (session lookup)', path: '/api/me', connections: 16, auth: 'teacher' },
  { name: 'org tree, district', path: '/api/org-units/tree', connections: 16, auth: 'district_admin' },
  { name: 'org list page 1', path: '/api/org-units?kind=kindergarten&pageSize=50', connections: 16, auth: 'district_admin' },
  { name: 'people search, district', path: '/api/people?pageSize=25&q=%E7%8E%8B', connections: 16, auth: 'district_admin' },
  { name: 'people list, kindergarten', path: '/api/people?pageSize=50', connections: 16, auth: 'kg_admin' },
  { name: 'home page (HTML)', path: '/', connections: 16, auth: 'teacher', cookie: true },
  { name: 'catalog, eligible for me', path: '/api/catalog?eligible=true&pageSize=20', connections: 16, auth: 'teacher' },
  { name: 'catalog page (HTML)', path: '/catalog', connections: 16, auth: 'teacher', cookie: true },
  // Distinct learners asking for seats in one offering: every request locks the offering row.
  { name: 'enrol, 900 learners, one offering', path: '/api/offerings/:offering/enrollments', method: 'POST', body: '{}', connections: 16, auth: 'learners' },
  { name: 'my learning', path: '/api/me/enrollments', connections: 16, auth: 'teacher' },
  // Every one of the 900 learners on the offering (300 enrolled, 600 waitlisted), whatever the enrolment scenario reached in its time.
  { name: 'roster of that offering, 900 learners', path: '/api/offerings/:offering/roster', connections: 16, auth: 'district_admin', prepare: allLearners },
  { name: 'my compliance (all schemes)', path: '/api/me/compliance', connections: 16, auth: 'teacher' },
  { name: 'compliance report, district by kindergarten', path: '/api/credits/report?groupBy=kindergarten', connections: 4, auth: 'district_admin' },
  // The offering's enrolled learners (300 after the enrolment scenario) × 10 graded items.
  { name: 'gradebook, 300 learners × 10 items', path: '/api/offerings/:offering/gradebook', connections: 16, auth: 'district_admin', prepare: gradedItems },
  // The target size of a gradebook: capacity raised to 500, the first 200 of the waitlist enrolled and graded too.
  { name: 'gradebook, 500 learners × 10 items', path: '/api/offerings/:offering/gradebook', connections: 16, auth: 'district_admin', prepare: moreGraded },
  { name: 'gradebook, 500 learners × 10 items, 1 connection', path: '/api/offerings/:offering/gradebook', connections: 1, auth: 'district_admin' },
  { name: 'completion of an enrolment', path: '/api/enrollments/:enrollment/completion', connections: 16, auth: 'district_admin' },
  // The yearly report: every figure of the district's year, and the same as a PDF with its charts.
  { name: 'blue book 2026 (JSON)', path: '/api/reports/blue-book?year=2026', connections: 4, auth: 'district_admin' },
  { name: 'blue book 2026 (PDF)', path: '/reports/blue-book.pdf?year=2026', connections: 4, auth: 'district_admin', cookie: true },
];

// Not an HTTP scenario: BENCH_CERTIFICATES (default 300) pending certificates rendered by a BullMQ worker (needs Redis at
// BENCH_REDIS_URL, default redis://127.0.0.1:6379); measured after the HTTP scenarios, selected by BENCH_ONLY like them.
const CERTIFICATES = 'certificates through the worker';

// BENCH_ONLY: a regular expression over scenario names, to measure a few (the enrolment scenario fills the offering the later ones read).
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
const SCENARIOS = only ? ALL_SCENARIOS.filter((s) => only.test(s.name) || s.auth === 'learners') : ALL_SCENARIOS;
const measureCertificates = !only || only.test(CERTIFICATES);

/** The bench learners not yet on the offering, enrolled while seats are free and waitlisted after, written directly. */
async function allLearners(dbUrl, offeringId) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    // Enrolment requests still in flight when the enrolment scenario stopped lock the offering row too.
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM offering WHERE id = $1 FOR UPDATE', [offeringId]);
    await client.query(
      `WITH free AS (
         SELECT o.capacity - (SELECT count(*) FROM enrollment WHERE offering_id = o.id AND status IN ('enrolled', 'offered', 'completed')) AS seats
           FROM offering o WHERE o.id = $1),
       newcomer AS (
         SELECT p.id AS person_id, p.current_org_unit_id, row_number() OVER (ORDER BY u.username) AS n
           FROM (SELECT * FROM app_user WHERE username ~ '^t[0-9]{5}$' ORDER BY username LIMIT 900) u JOIN person p ON p.id = u.person_id
          WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.offering_id = $1 AND e.person_id = p.id))
       INSERT INTO enrollment (offering_id, course_id, person_id, district_id, kindergarten_id, level, status, requested_at, status_changed_at)
       SELECT o.id, o.course_id, n.person_id, o.district_id, n.current_org_unit_id, c.level,
              CASE WHEN n.n <= (SELECT seats FROM free) THEN 'enrolled' ELSE 'waitlisted' END, now() + n.n * interval '1 ms', now()
         FROM newcomer n, offering o JOIN course c ON c.id = o.course_id WHERE o.id = $1
       ON CONFLICT (offering_id, person_id) DO NOTHING`, [offeringId]);
    await client.query('COMMIT');
    await client.query('ANALYZE enrollment');
    return {};
  } finally {
    await client.end();
  }
}

/** Capacity 500: the first 200 of the waitlist enrolled, and graded on the ten bench items like the others. */
async function moreGraded(dbUrl, offeringId) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await client.query(`UPDATE offering SET capacity = 500 WHERE id = $1`, [offeringId]);
    await client.query(
      `UPDATE enrollment SET status = 'enrolled', status_changed_at = now()
        WHERE id IN (SELECT id FROM enrollment WHERE offering_id = $1 AND status = 'waitlisted' ORDER BY priority_tier, requested_at, id
                      LIMIT 500 - (SELECT count(*) FROM enrollment WHERE offering_id = $1 AND status IN ('enrolled', 'offered', 'completed')))`, [offeringId]);
    await client.query(
      `INSERT INTO grade (item_id, enrollment_id, person_id, district_id, raw_points, points, passed, graded_at, released_at)
       SELECT i.id, e.id, e.person_id, e.district_id, p, p, p >= 60, now(), now()
         FROM assessment_item i JOIN enrollment e ON e.offering_id = i.offering_id AND e.status = 'enrolled',
              LATERAL (SELECT (40 + (abs(hashtext(e.id::text || i.id::text)) % 61))::numeric AS p) x
        WHERE i.offering_id = $1 AND i.title ~ '^作业 [0-9]+$'
       ON CONFLICT DO NOTHING`, [offeringId]);
    await client.query('ANALYZE enrollment, grade');
    return {};
  } finally {
    await client.end();
  }
}

/** Ten point items on the bench offering, each graded and released for every enrolled learner, written directly. */
async function gradedItems(dbUrl, offeringId) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO assessment_item (offering_id, district_id, kind, title, position, submission_modes, grading_method, max_points, pass_points)
       SELECT o.id, o.district_id, 'assignment', '作业 ' || n, n, ARRAY['text'], 'points', 100, 60 FROM offering o, generate_series(1, 10) n WHERE o.id = $1`, [offeringId]);
    await client.query(
      `INSERT INTO grade (item_id, enrollment_id, person_id, district_id, raw_points, points, passed, graded_at, released_at)
       SELECT i.id, e.id, e.person_id, e.district_id, p, p, p >= 60, now(), now()
         FROM assessment_item i JOIN enrollment e ON e.offering_id = i.offering_id AND e.status = 'enrolled',
              LATERAL (SELECT (40 + (abs(hashtext(e.id::text || i.id::text)) % 61))::numeric AS p) x
        WHERE i.offering_id = $1`, [offeringId]);
    const { rows: [one] } = await client.query(`SELECT id FROM enrollment WHERE offering_id = $1 AND status = 'enrolled' LIMIT 1`, [offeringId]);
    return { enrollmentId: one.id };
  } finally {
    await client.end();
  }
}

/** Sessions for every staff login, written directly (signing 900 people in through argon2 would dominate the run). */
async function learnerTokens(dbUrl) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT id FROM app_user WHERE username ~ '^t[0-9]{5}$' ORDER BY username LIMIT 900`);
    const tokens = rows.map(() => randomBytes(32).toString('base64url'));
    await client.query(
      `INSERT INTO auth_session (user_id, token_hash, kind, expires_at) SELECT unnest($1::uuid[]), unnest($2::text[]), 'api', now() + interval '2 hours'`,
      [rows.map((r) => r.id), tokens.map((t) => createHash('sha256').update(t).digest('base64url'))]);
    // A demo offering open to everyone, with its window moved around today so the bench does not age with the demo's dates.
    const { rows: [offering] } = await client.query(
      `UPDATE offering SET enrol_opens_at = now() - interval '1 day', enrol_closes_at = now() + interval '30 days', capacity = 300
        WHERE id = (SELECT o.id FROM offering o JOIN course c ON c.id = o.course_id
                     WHERE o.status = 'published' AND c.status = 'published' AND c.audience = '{}'::jsonb AND c.level <> 'kindergarten'
                       AND o.approval_mode = 'none' AND o.waitlist_mode <> 'none' ORDER BY c.code, o.code LIMIT 1)
        RETURNING id`);
    if (!offering) throw new Error('bench: no demo offering without audience limits');
    return { tokens, offeringId: offering.id };
  } finally {
    await client.end();
  }
}

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
// Stored files (certificate PDFs) go to a scratch folder, removed at the end.
const dataDir = await mkdtemp(join(tmpdir(), 'tgp-bench-'));
const serverEnv = { ...process.env, NODE_ENV: 'production', DATABASE_URL: url.toString(), PORT: String(port), LOG_LEVEL: 'warn',
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'), SESSION_SECRET: randomBytes(32).toString('hex'), DEMO_DATA: 'true',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '10000', REDIS_URL: '', DATA_DIR: dataDir };
const server = spawn(process.execPath, ['dist/src/main.js'], { env: serverEnv, stdio: ['ignore', 'ignore', 'inherit'] });
const rows = [];
try {
  await waitForHealth(server);
  const tokens = {};
  const cookies = {};
  const learners = await learnerTokens(url.toString());
  for (const user of new Set(SCENARIOS.map((s) => s.auth).filter((a) => a && a !== 'learners'))) {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier: user, password: 'Demo@2026' }) });
    tokens[user] = (await res.json()).accessToken;
    cookies[user] = `tgp_session=${tokens[user]}`;
  }
  for (const scenario of SCENARIOS) {
    const headers = !scenario.auth || scenario.auth === 'learners' ? {} : scenario.cookie ? { cookie: cookies[scenario.auth] } : { authorization: `Bearer ${tokens[scenario.auth]}` };
    if (scenario.prepare) Object.assign(learners, await scenario.prepare(url.toString(), learners.offeringId));
    const path = scenario.path.replace(':offering', learners.offeringId).replace(':enrollment', learners.enrollmentId);
    let next = 0;
    const result = await autocannon({
      url: `${base}${path}`, connections: scenario.connections, duration, method: scenario.method ?? 'GET', body: scenario.body,
      headers: { ...headers, ...(scenario.body ? { 'content-type': 'application/json' } : {}) },
      // Each request of the learners' scenario comes from the next learner; after the last, repeats are idempotent answers.
      ...(scenario.auth === 'learners' ? { requests: [{
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${learners.tokens[next++ % learners.tokens.length]}` } }),
      }] } : {}),
    });
    rows.push({
      scenario: scenario.name, conc: scenario.connections, requests: result.requests.total, 'req/s': Math.round(result.requests.average),
      p50: result.latency.p50, p90: result.latency.p90, 'p97.5': result.latency.p97_5, p99: result.latency.p99,
      non2xx: result.non2xx, errors: result.errors,
    });
  }
  console.log(`\nbench: ${duration}s per scenario, latency in ms, server peak RSS ${(await peakMemory(server.pid)).toFixed(0)} MB`);
  console.table(rows);
  if (measureCertificates) {
    const count = Number(process.env.BENCH_CERTIFICATES ?? 300);
    const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const figures = await certificatesThroughWorker({ dbUrl: url.toString(), env: serverEnv, count, redisUrl });
    if (!figures) console.log(`\nbench: ${CERTIFICATES} skipped, no Redis at ${redisUrl} (BENCH_REDIS_URL)`);
    else {
      console.log(`\nbench: ${CERTIFICATES} (one worker process, certificate.render jobs queued at once, timed until all are issued)`);
      console.table([figures]);
    }
  }
} finally {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  // BENCH_KEEP_DATABASE=true leaves the scratch database for EXPLAIN ANALYZE of what was measured.
  if (process.env.BENCH_KEEP_DATABASE === 'true') console.log(`bench: database ${dbName} kept`);
  else await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await rm(dataDir, { recursive: true, force: true });
}
