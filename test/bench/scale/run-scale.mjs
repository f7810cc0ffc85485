// `BENCH_SCALE=district|city npm run bench`: the issue-10 benchmark at scale. Builds (or reuses) the scale's template
// database, clones it, starts the production build (HTTP, and a worker when Redis is there), drives it over real HTTP
// from this process, measures each scenario's floor (the same SQL straight through pg), and prints one table; the
// figures also go to test/bench/results/<time>-<scale>.json.
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { BENCH_ENCRYPTION_KEY, cloneTemplate, dropDatabase, ensureTemplate } from '../dataset/build.mjs';
import { CITY_ADMIN, DISTRICT_ADMIN, GRADEBOOK, RUSH, SCALES } from '../dataset/scales.mjs';
import { certificatesThroughWorker } from '../certificates.mjs';
import { captureSequences, explain, replayFloor, rushFloor } from './floors.mjs';
import { drive } from './http.mjs';
import { formatTable, judge, writeResults } from './report.mjs';
import { rushOverHttp, verifyRush } from './rush.mjs';
import { memoryWatch, peakRss, redisAvailable, sessionsFor, startApp } from './server.mjs';
import { staffImportScenario } from './import-hook.mjs';
import { cpuWatch, stealWatch } from './cpu.mjs';

const scale = process.env.BENCH_SCALE;
const size = SCALES[scale];
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const port = Number(process.env.BENCH_PORT ?? 3300);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
const wanted = (name) => !only || only.test(name);
const MEMORY_LIMIT_MB = 600;
const startedAt = new Date().toISOString();
const log = (text) => console.log(text);

/** The HTTP scenarios after the rush; `who`: which sessions sign the requests; `rotate`: another person each request. */
const SCENARIOS = [
  { name: 'health (no database)', path: () => '/health', connections: 16, who: null, floor: false },
  { name: 'me (session lookup)', path: () => '/api/me', connections: 16, who: 'teachers' },
  { name: '2. transcript page, random people', path: (f, i) => `/people/${f.people[i % f.people.length]}/transcript`, connections: 16, who: 'cityAdmin', cookie: true, rotate: true, goal: { p95: 25 } },
  { name: '2. compliance, random people', path: (f, i) => `/api/people/${f.people[i % f.people.length]}/compliance`, connections: 16, who: 'cityAdmin', rotate: true, goal: { p95: 25 } },
  { name: `3. title coverage, whole ${scale}`, path: () => '/api/reports/title-coverage?ownership=all', connections: 4, who: 'cityAdmin', goal: { p95: 300, floorRatio: 1.5 } },
  { name: '4. gradebook, 500 learners × 10 items', path: (f) => `/api/offerings/${f.gradebookId}/gradebook`, connections: 16, who: 'districtAdmin', goal: { p95: 150 } },
  { name: `5. catalog "eligible for me", ${size?.offerings} offerings`, path: () => '/api/catalog?eligible=true&pageSize=20', connections: 16, who: 'teachers', goal: { p95: 50 } },
];

async function fixtures(dbUrl) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows: offerings } = await client.query(
      `SELECT c.code || '/' || o.code AS key, o.id FROM offering o JOIN course c ON c.id = o.course_id WHERE c.code = ANY($1)`, [[RUSH.course, GRADEBOOK.course]]);
    const offering = Object.fromEntries(offerings.map((o) => [o.key, o.id]));
    const { rows: admins } = await client.query(`SELECT username, id FROM app_user WHERE username = ANY($1)`, [[CITY_ADMIN, DISTRICT_ADMIN]]);
    const adminId = Object.fromEntries(admins.map((a) => [a.username, a.id]));
    const learnerRows = (where, salt) => client.query(
      `SELECT u.id AS "userId", p.id AS "personId", p.current_org_unit_id AS "kindergartenId" FROM person p JOIN app_user u ON u.person_id = p.id
        WHERE ${where} ORDER BY hashtext(p.id::text || $1) LIMIT $2`, [salt, RUSH.learners + 1]);
    // The rush: 2,000 teachers of district 1 (the rush course is that district's). The catalog: teachers across the scale.
    const { rows: [extraLearner, ...rushLearners] } = await learnerRows(`p.current_post = 'teacher' AND p.district_id = (SELECT id FROM org_unit WHERE code = 'SH-B01')`, 'rush');
    const { rows: teachers } = await learnerRows(`p.current_post = 'teacher'`, 'catalog');
    const { rows: people } = await client.query(`SELECT id FROM person ORDER BY hashtext(id::text || 'people') LIMIT 2000`);
    return {
      rushId: offering[`${RUSH.course}/${RUSH.offering}`], rushFloorId: offering[`${RUSH.course}/${RUSH.floorOffering}`], gradebookId: offering[`${GRADEBOOK.course}/${GRADEBOOK.offering}`],
      cityAdminId: adminId[CITY_ADMIN], districtAdminId: adminId[DISTRICT_ADMIN], rushLearners, extraLearner, teachers, people: people.map((p) => p.id),
    };
  } finally {
    await client.end();
  }
}

function headersFor(scenario, tokens, i) {
  if (!scenario.who) return {};
  const token = scenario.who === 'teachers' ? tokens.teachers[i % tokens.teachers.length] : tokens[scenario.who];
  return scenario.cookie ? { cookie: `tgp_session=${token}` } : { authorization: `Bearer ${token}` };
}

if (!size) throw new Error(`bench: BENCH_SCALE must be district or city (or demo for run.mjs), not ${scale}`);
log(`bench: ${scale} scale: ${size.kindergartens} kindergartens, ${size.staff} staff, ${size.offerings} offerings, ${size.enrollments} enrolments, ${size.creditEntries} ledger entries`);
const template = await ensureTemplate({ scale, adminUrl, rebuild: process.env.BENCH_REBUILD === '1', log });
log(template.built ? `bench: dataset generated in ${template.seconds.toFixed(0)} s (template ${template.name})` : `bench: dataset reused from template ${template.name} (BENCH_REBUILD=1 generates it again)`);
const dbName = `tgp_bench_${scale}_${randomBytes(4).toString('hex')}`;
const clone = await cloneTemplate({ adminUrl, template: template.name, name: dbName });
log(`bench: cloned into ${dbName} in ${clone.cloneSeconds.toFixed(1)} s (${(clone.bytes / 2 ** 30).toFixed(2)} GB)`);
const dataDir = await mkdtemp(join(tmpdir(), 'tgp-bench-'));
const captureFile = join(dataDir, 'queries.jsonl');
const withRedis = await redisAvailable(redisUrl);
const rows = [];
const extra = {};
let app = null;
try {
  const f = await fixtures(clone.url);
  const [cityAdmin, districtAdmin] = await sessionsFor(clone.url, [f.cityAdminId, f.districtAdminId]);
  const teacherTokens = await sessionsFor(clone.url, f.teachers.map((t) => t.userId));
  const rushTokens = await sessionsFor(clone.url, f.rushLearners.map((t) => t.userId));
  const tokens = { cityAdmin, districtAdmin, teachers: teacherTokens };
  app = await startApp({ dbUrl: clone.url, port, encryptionKey: BENCH_ENCRYPTION_KEY, dataDir, captureFile, redisUrl: withRedis ? redisUrl : null, poolSize: process.env.BENCH_POOL_SIZE });
  log(`bench: app up (${withRedis ? 'with a worker on Redis' : 'no Redis: jobs inline'}), boot peak RSS ${await peakRss(app.server.pid)} MB; ${seconds} s per scenario`);

  const rushName = `1. enrolment rush, ${RUSH.learners} teachers, ${RUSH.capacity} seats`;
  if (wanted(rushName)) {
    const learners = f.rushLearners.map((l, i) => ({ ...l, token: rushTokens[i] }));
    const memory = memoryWatch(app.server.pid);
    const cpu = cpuWatch(app.server.pid);
    const { figures, answers } = await rushOverHttp({ base: app.base, offeringId: f.rushId, learners, connections: 64 });
    const cpuPerRequest = await cpu.stop(figures.requests, 64);
    const peakMb = await memory.stop();
    const verdict = await verifyRush(clone.url, { offeringId: f.rushId, capacity: RUSH.capacity, learners, answers });
    const floor = await rushFloor(clone.url, { offeringId: f.rushFloorId, learners, connections: 64 })
      .catch((error) => { log(`bench: rush floor failed: ${error.message}`); return {}; });
    // One more teacher's request, captured: what one enrolment sends, and how much of it runs while the offering row is locked.
    const [extraToken] = await sessionsFor(clone.url, [f.extraLearner.userId]);
    const [sent] = await captureSequences(app, captureFile, [{ path: `/api/offerings/${f.rushId}/enrollments`, method: 'POST', body: '{}',
      headers: { authorization: `Bearer ${extraToken}`, 'content-type': 'application/json' } }]);
    const locked = sent.findIndex((q) => /FOR UPDATE/i.test(q.text));
    const committed = sent.findIndex((q, i) => i > locked && /^\s*COMMIT/i.test(q.text));
    extra.rush = { ...verdict, floor, statements: sent.length, statementsHoldingTheLock: locked >= 0 ? committed - locked : null,
      sent: sent.map((q) => q.text.replace(/\s+/g, ' ').slice(0, 200)) };
    rows.push(judge({ scenario: rushName, conc: 64, ...figures, failed: figures.non2xx + figures.errors, peakMb, cpu: cpuPerRequest, floorRps: floor.rps, floorP95: floor.p95,
      goal: { p95: 150, floorShare: 0.4, text: 'correct outcome', pass: verdict.ok, missLabel: 'outcome' } }));
    log(`bench: ${rushName}: ${verdict.ok ? 'outcome correct' : 'OUTCOME WRONG'}`);
    for (const [check, ok] of Object.entries(verdict.checks)) log(`  ${ok ? '✓' : '✗'} ${check}`);
    log(`  ${JSON.stringify(verdict.figures)}`);
    log(`  one enrolment sends ${extra.rush.statements} statements, ${extra.rush.statementsHoldingTheLock} of them while holding the offering's row lock`);
  }

  for (const scenario of SCENARIOS.filter((s) => wanted(s.name))) {
    const request = (i) => ({ path: scenario.path(f, i), headers: headersFor(scenario, tokens, i) });
    // Warm-up (plans, caches), then the sample requests whose statements make the floor.
    for (let i = 0; i < 3; i++) await fetch(`${app.base}${request(1000 + i).path}`, { headers: request(1000 + i).headers }).then((r) => r.arrayBuffer());
    const samples = Array.from({ length: scenario.rotate || scenario.who === 'teachers' ? 12 : 3 }, (_, i) => request(i));
    const sequences = scenario.floor === false ? null : await captureSequences(app, captureFile, samples);
    const memory = memoryWatch(app.server.pid);
    const cpu = cpuWatch(app.server.pid);
    const figures = await drive({ url: `${app.base}${request(0).path}`, connections: scenario.connections, duration: seconds, each: request });
    const cpuPerRequest = await cpu.stop(figures.requests, scenario.connections);
    const peakMb = await memory.stop();
    const floor = sequences ? await replayFloor(clone.url, sequences, { connections: scenario.connections, seconds })
      .catch((error) => { log(`bench: floor of ${scenario.name} failed: ${error.message}`); return null; }) : null;
    // The slowest statement's plan, for whoever looks into a miss.
    const slowest = floor?.statements[0];
    const plan = slowest ? await explain(clone.url, slowest.example) : null;
    rows.push(judge({ scenario: scenario.name, conc: scenario.connections, ...figures, failed: figures.non2xx + figures.errors, peakMb, cpu: cpuPerRequest,
      floorRps: floor?.rps, floorP95: floor?.p95, statements: sequences ? Math.round(sequences.flat().length / sequences.length) : undefined,
      floorErrors: floor?.errors, goal: scenario.goal,
      where: floor?.statements.slice(0, 8).map(({ example, ...s }) => s), slowestPlan: plan }));
    log(`bench: ${scenario.name}: p95 ${figures.p95} ms${floor ? `, floor p95 ${floor.p95} ms (${rows.at(-1).statements} statements a request)` : ''}`);
  }

  const importName = `6. staff import, ${size.staff} rows`;
  if (wanted(importName)) {
    const steal = stealWatch();
    const figures = await staffImportScenario({ rows: size.staff, port: port + 10, log });
    extra.import = figures;
    rows.push(judge(figures
      ? { scenario: importName, requests: figures.rows, peakMb: figures.peakMb, failed: figures.failed, steal: await steal.stop(),
        goal: { text: `< 60 s (took ${figures.seconds} s), < 1024 MB (own server)`, pass: figures.seconds < 60 && figures.peakMb < 1024 } }
      : { scenario: importName, result: 'not measured (hook: test/bench/import.mjs)' }));
  }

  const certificatesName = '7. certificates through the worker';
  if (wanted(certificatesName)) {
    const count = Number(process.env.BENCH_CERTIFICATES ?? 300);
    const steal = stealWatch();
    const figures = withRedis ? await certificatesThroughWorker({ dbUrl: clone.url, env: app.env, count, redisUrl }) : null;
    extra.certificates = figures;
    rows.push(judge(figures
      ? { scenario: certificatesName, requests: figures.certificates, rps: figures['certificates/s'], peakMb: figures['worker peak RSS MB'], steal: await steal.stop(),
        goal: { text: '≥ 20 certificates/s', pass: figures['certificates/s'] >= 20 } }
      : { scenario: certificatesName, result: `skipped: no Redis at ${redisUrl}` }));
  }

  // The app server's own peaks (the import runs its own server; certificates are the worker's).
  const peaks = rows.filter((r) => typeof r.peakMb === 'number' && !/^[67]\./.test(r.scenario)).map((r) => r.peakMb);
  const serverPeak = Math.max(0, ...peaks);
  rows.push(peaks.length
    ? judge({ scenario: '8. server memory under load', peakMb: serverPeak, goal: { text: `peak RSS < ${MEMORY_LIMIT_MB} MB`, pass: serverPeak < MEMORY_LIMIT_MB } })
    : { scenario: '8. server memory under load', result: 'not measured (no HTTP scenario run)' });

  const table = formatTable(rows);
  log(`\nbench: ${scale} scale, ${seconds} s per scenario, latency in ms, peak MB = server RSS high-water mark during the scenario`);
  log('floor = the same SQL straight through pg at the same concurrency (rush: the locking transaction); p95 ÷ floor and req/s ÷ floor compare the app with it');
  log(`CPU ms/req = CPU time per request of the app server · PostgreSQL on this machine · this bench process; CPU bound = conc × their sum ÷ ${cpus().length} cores,`);
  log('  the mean latency the CPU alone imposes at that concurrency here (a p95 target below it needs more cores or less CPU per request);');
  log('  steal % = the share of the machine\'s CPU time the hypervisor gave to other guests during the scenario (a shared host: runs with a high steal are slower for reasons outside the code)');
  log(table);
  // Where the floor's time goes in each missed scenario: the statements by share, how often one request sends them.
  for (const row of rows.filter((r) => r.result?.startsWith('FAIL') && r.where)) {
    log(`\n${row.scenario}: ${row.statements} statements a request; the heaviest under load:`);
    for (const s of row.where.slice(0, 3)) log(`  ${s.share.padStart(4)}  ×${s.perRequest}  ${s.meanMs} ms  ${s.sql.slice(0, 150)}`);
  }
  const file = await writeResults({
    scale, startedAt, size, seconds,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    dataset: { template: template.name, generated: template.built, generationSeconds: template.built ? Math.round(template.seconds) : clone.seconds, steps: template.steps ?? clone.steps,
      cloneSeconds: Number(clone.cloneSeconds.toFixed(1)), databaseGb: Number((clone.bytes / 2 ** 30).toFixed(2)) },
    redis: withRedis, rows: rows.map(({ goal, ...row }) => row), ...extra,
  });
  log(`bench: results written to ${file}`);
} finally {
  if (app) await app.close();
  if (process.env.BENCH_KEEP_DATABASE === 'true') log(`bench: database ${dbName} kept`);
  else await dropDatabase(adminUrl, dbName);
  await rm(dataDir, { recursive: true, force: true });
}
