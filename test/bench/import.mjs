// `npm run bench:import`: 50,000 staff rows (BENCH_IMPORT_ROWS) imported through the real app over HTTP (issue 9: under 60 s
// end to end on a 2-core machine, the server under 1 GB). Starts the production build (HTTP, jobs inline, no Redis) on a
// scratch database holding the demo data, adds a fresh district with 200 kindergartens and its HR user, generates an XLSX of
// valid staff rows (national IDs with their check digit), uploads it, waits for the dry run, confirms, waits for the apply,
// and prints rows, seconds, rows/s and the server's memory (peak RSS while importing, and its lifetime high-water mark).
// A JSON copy goes to test/bench/results/. BENCH_DATABASE_URL: an admin connection (default: the local server).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const port = Number(process.env.BENCH_PORT ?? 3310);
const rowCount = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const kindergartenCount = 200;
const dbName = `tgp_bench_import_${randomBytes(4).toString('hex')}`;
const base = `http://127.0.0.1:${port}`;
const DISTRICT_CODE = 'SH-BI';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChar = (first17) => '10X98765432'[[...first17].reduce((sum, d, i) => sum + Number(d) * WEIGHTS[i], 0) % 11];
const pad = (n, width) => String(n).padStart(width, '0');
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '丽娟敏静燕艳芳玲霞婷雪梅琳颖慧佳欣怡洁萍';
const EDUCATION = ['本科', '本科', '本科', '大专', '大专', '硕士', '中专/中师'];
const POSTS = ['专任教师', '专任教师', '专任教师', '专任教师', '保育员', '保育员', '卫生保健人员', '营养员/炊事员', '副园长', '园长'];
const TITLES = ['', '三级', '二级', '二级', '一级', '一级', '高级'];

/** Row i of the file: a unique, valid national ID (birth date + sequence), varied posts, titles and certificates. */
function staffRow(i) {
  // 10,000 birth dates from 1966 on × 500 even (female) sequences: unique for any i below five million.
  const day = new Date(Date.UTC(1966, 0, 1) + (i % 10_000) * 86_400_000);
  const birth = day.toISOString().slice(0, 10);
  const year = day.getUTCFullYear();
  const first17 = `310120${birth.replaceAll('-', '')}${pad((Math.floor(i / 10_000) * 2) % 1000, 3)}`;
  const hireYear = year + 22;
  const title = TITLES[i % TITLES.length];
  const post = POSTS[i % POSTS.length];
  return [
    `${SURNAMES[i % 20]}${GIVEN[Math.floor(i / 20) % 20]}${GIVEN[Math.floor(i / 400) % 20]}`, '女', birth, first17 + checkChar(first17),
    `13${pad(i, 9)}`, EDUCATION[i % EDUCATION.length], i % 3 ? '是' : '否', `${hireYear}-09-01`,
    `${DISTRICT_CODE}-K${pad((i % kindergartenCount) + 1, 3)}`, post, `${hireYear + (i % 4)}-09-01`,
    title, title ? `${hireYear + 3}-09-01` : '',
    post === '专任教师' ? `BI${pad(i, 12)}` : '', post === '专任教师' ? `${hireYear}-07-01` : '',
  ];
}

const HEADERS = ['姓名', '性别', '出生日期', '身份证号', '手机号', '学历', '是否学前教育专业', '参加工作日期', '园所代码', '岗位',
  '岗位起始日期', '职称', '职称取得日期', '教师资格证号', '发证日期'];

async function workbook(path) {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: false });
  const sheet = writer.addWorksheet('教职工');
  sheet.addRow(HEADERS).commit();
  for (let i = 0; i < rowCount; i++) sheet.addRow(staffRow(i)).commit();
  sheet.commit();
  await writer.commit();
}

async function admin(sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

/** The fresh district under 上海市, its kindergartens and its HR user with a session, written directly; answers the token. */
async function freshDistrict(dbUrl) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows: [district] } = await client.query(
      `WITH d AS (SELECT gen_random_uuid() AS id)
       INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name)
       SELECT d.id, 'district', c.id, c.path || d.id || '/', c.depth + 1, d.id, $1, '基准区' FROM d, org_unit c WHERE c.code = 'SH'
       RETURNING id, path, depth`, [DISTRICT_CODE]);
    await client.query(
      `WITH k AS (SELECT gen_random_uuid() AS id, n FROM generate_series(1, $5) n)
       INSERT INTO org_unit (id, kind, parent_id, path, depth, district_id, code, name, ownership, inclusive, grade, status)
       SELECT k.id, 'kindergarten', $1, $2 || k.id || '/', $3, $1, $4 || '-K' || lpad(k.n::text, 3, '0'), '基准幼儿园' || k.n,
              'public', true, 'first', 'operating'
         FROM k`,
      [district.id, district.path, district.depth + 1, DISTRICT_CODE, kindergartenCount]);
    const { rows: [user] } = await client.query(
      `INSERT INTO app_user (username, display_name, password_hash) VALUES ('bench_import_hr', '基准区人事', 'x') RETURNING id`);
    await client.query(`INSERT INTO role_assignment (user_id, role, org_unit_id) VALUES ($1, 'district_admin', $2)`, [user.id, district.id]);
    const token = randomBytes(32).toString('base64url');
    await client.query(`INSERT INTO auth_session (user_id, token_hash, kind, expires_at) VALUES ($1, $2, 'api', now() + interval '2 hours')`,
      [user.id, createHash('sha256').update(token).digest('base64url')]);
    return token;
  } finally {
    await client.end();
  }
}

async function waitForHealth(server) {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error('bench: server exited');
    try { if ((await fetch(`${base}/health`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('bench: server did not become healthy');
}

async function memory(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const mb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: mb('VmRSS'), hwm: mb('VmHWM') };
}

/** Polls the import until it leaves `while`, sampling the server's RSS; answers the import and the highest RSS seen. */
async function until(id, token, pid, running) {
  let peak = 0;
  for (let i = 0; i < 20 * 60 * 10; i++) {
    peak = Math.max(peak, (await memory(pid)).rss);
    const job = await (await fetch(`${base}/api/imports/${id}`, { headers: { authorization: `Bearer ${token}` } })).json();
    if (!running.includes(job.status)) return { job, peak };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('bench: the import did not finish within 20 minutes');
}

await admin(`CREATE DATABASE ${dbName}`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
const dataDir = await mkdtemp(join(tmpdir(), 'tgp-bench-import-'));
const file = join(dataDir, 'staff.xlsx');
const server = spawn(process.execPath, ['dist/src/main.js'], {
  env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: url.toString(), PORT: String(port), LOG_LEVEL: 'warn',
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'), SESSION_SECRET: randomBytes(32).toString('hex'), DEMO_DATA: 'true',
    REDIS_URL: '', DATA_DIR: dataDir, UPLOAD_MAX_BYTES: String(64 * 1024 * 1024), SCHEDULED_JOBS: 'false' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  const generated = performance.now();
  await workbook(file);
  const bytes = await readFile(file);
  console.log(`bench: ${rowCount} staff rows, XLSX ${(bytes.length / 1024 / 1024).toFixed(1)} MB, generated in ${((performance.now() - generated) / 1000).toFixed(1)} s`);
  await waitForHealth(server);
  const token = await freshDistrict(url.toString());
  const before = await memory(server.pid);

  const started = performance.now();
  const form = new FormData();
  form.set('kind', 'staff');
  form.set('file', new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), 'staff.xlsx');
  const upload = await fetch(`${base}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const uploaded = await upload.json();
  if (upload.status !== 201) throw new Error(`bench: upload answered ${upload.status} ${JSON.stringify(uploaded)}`);
  const uploadSeconds = (performance.now() - started) / 1000;
  const dry = await until(uploaded.id, token, server.pid, ['uploaded', 'validating']);
  const drySeconds = (performance.now() - started) / 1000;
  if (dry.job.status !== 'validated' || dry.job.counts.create !== rowCount) throw new Error(`bench: dry run ended ${JSON.stringify(dry.job.counts)} ${dry.job.status}`);

  const confirmed = performance.now();
  const confirm = await fetch(`${base}/api/imports/${uploaded.id}/confirm`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (confirm.status !== 200) throw new Error(`bench: confirm answered ${confirm.status}`);
  const applied = await until(uploaded.id, token, server.pid, ['applying']);
  const applySeconds = (performance.now() - confirmed) / 1000;
  if (applied.job.status !== 'applied') throw new Error(`bench: apply ended ${applied.job.status}`);

  const check = new pg.Client({ connectionString: url.toString() });
  await check.connect();
  const { rows: [written] } = await check.query(
    `SELECT count(*)::int AS people, count(*) FILTER (WHERE current_org_unit_id IS NOT NULL)::int AS employed
       FROM person p JOIN org_unit d ON d.id = p.district_id WHERE d.code = $1`, [DISTRICT_CODE]);
  await check.end();
  const after = await memory(server.pid);
  const total = drySeconds + applySeconds;
  const figures = {
    rows: rowCount, 'upload s': Number(uploadSeconds.toFixed(2)), 'dry run s': Number(drySeconds.toFixed(2)), 'apply s': Number(applySeconds.toFixed(2)),
    'total s': Number(total.toFixed(2)), 'rows/s': Math.round(rowCount / total), 'people written': written.people,
    'RSS before MB': Math.round(before.rss), 'peak RSS while importing MB': Math.round(Math.max(dry.peak, applied.peak)),
    'server VmHWM MB': Math.round(after.hwm), 'under 60 s': total < 60, 'under 1 GB': Math.max(dry.peak, applied.peak, after.hwm) < 1024,
  };
  console.log('\nbench: staff import through HTTP (production build, jobs inline; dry run timed from the upload, apply from the confirmation)');
  console.table([figures]);
  const resultsDir = join('test', 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const out = join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-import.json`);
  await writeFile(out, `${JSON.stringify({ bench: 'import', cpus: (await import('node:os')).cpus().length, ...figures }, null, 2)}\n`);
  console.log(`bench: figures written to ${out}`);
} finally {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  if (process.env.BENCH_KEEP_DATABASE === 'true') console.log(`bench: database ${dbName} kept`);
  else await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await rm(dataDir, { recursive: true, force: true });
}
