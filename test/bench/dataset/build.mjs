// The scale's dataset, built once into a template database named by scale and a hash of the migrations and of this
// generator (tgp_bench_tpl_city_<hash>); each run clones it (CREATE DATABASE … TEMPLATE), so a re-run does not
// generate five million ledger rows again. BENCH_REBUILD=1 builds it anew.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';
import { enrollments, dropSecondaryIndexes, gradebookFixture, ledger } from './bulk.mjs';
import { loadCatalog } from './catalog.mjs';
import { loadOrgAndPeople } from './org-people.mjs';
import { BENCH_PASSWORD, SCALES } from './scales.mjs';

const root = new URL('../../../', import.meta.url);
/** The key the dataset's national IDs are encrypted with; the bench gives the app the same one. Not a secret: bench data only. */
export const BENCH_ENCRYPTION_KEY = createHash('sha256').update('tgp-bench-dataset-key').digest('base64');

async function contentHash() {
  const hash = createHash('sha256');
  for (const dir of ['migrations/', 'test/bench/dataset/']) {
    for (const name of (await readdir(new URL(dir, root))).sort()) {
      if (/\.(ts|mjs)$/.test(name)) hash.update(name).update(await readFile(new URL(dir + name, root)));
    }
  }
  return hash.digest('hex').slice(0, 12);
}

export function databaseUrl(adminUrl, name) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try { return await work(client); } finally { await client.end(); }
}

/** The template for `scale`, built when missing; answers its name and what building it took. */
export async function ensureTemplate({ scale, adminUrl, rebuild = false, log = console.log }) {
  const size = SCALES[scale];
  if (!size) throw new Error(`bench: unknown scale ${scale} (district or city)`);
  const name = `tgp_bench_tpl_${scale}_${await contentHash()}`;
  const building = `${name}_building`;
  const existing = await withClient(adminUrl, async (c) => (await c.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`tgp_bench_tpl_${scale}_%`])).rows.map((r) => r.datname));
  if (existing.includes(name) && !rebuild) return { name, built: false };
  await withClient(adminUrl, async (c) => {
    // Older templates of this scale (other migrations or generator) and a half-built one are dropped: they only take disk.
    for (const old of existing) await c.query(`DROP DATABASE IF EXISTS ${old} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${building}`);
  });
  const url = databaseUrl(adminUrl, building);
  const steps = [];
  const step = async (label, work) => {
    const started = performance.now();
    const rows = await work();
    const seconds = (performance.now() - started) / 1000;
    steps.push({ step: label, rows: rows ?? '', seconds: Number(seconds.toFixed(1)) });
    log(`bench: ${label}: ${rows ?? ''} ${rows !== undefined ? 'rows ' : ''}in ${seconds.toFixed(1)} s`);
  };
  const started = performance.now();
  await step('migrations', async () => {
    const { migrate } = await import(new URL('dist/src/database/data-source.js', root));
    return (await migrate(url)).length;
  });
  const { FieldCipher } = await import(new URL('dist/src/common/field-cipher.js', root));
  const { maskNationalId } = await import(new URL('dist/src/common/national-id.js', root));
  const { hashPassword } = await import(new URL('dist/src/modules/auth/passwords.js', root));
  const cipher = new FieldCipher({ encryptionKeys: new Map([['k1', Buffer.from(BENCH_ENCRYPTION_KEY, 'base64')]]), currentKeyId: 'k1' });
  await withClient(url, async (client) => {
    await client.query(`SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET work_mem = '64MB'`);
    // Rows are consistent by construction: foreign-key triggers are skipped for the load where allowed (superuser only).
    await client.query(`SET session_replication_role = replica`).catch(() => log('bench: not a superuser: foreign keys are checked during the load (slower)'));
    let org;
    await step('org tree and people (COPY)', async () => {
      org = await loadOrgAndPeople(client, size, { cipher, maskNationalId, passwordHash: await hashPassword(BENCH_PASSWORD) });
      return org.counts.people;
    });
    await step('courses, offerings, meetings (COPY)', async () => (await loadCatalog(client, size, org)).offerings);
    const indexes = await dropSecondaryIndexes(client, ['enrollment', 'credit_entry']);
    await step('enrolments (INSERT … SELECT)', () => enrollments(client, size));
    await step('credit ledger (INSERT … SELECT)', () => ledger(client, size));
    await step('indexes of enrolments and ledger', async () => { for (const sql of indexes) await client.query(sql); return indexes.length; });
    await step('gradebook fixture (grades)', () => gradebookFixture(client));
    await step('VACUUM ANALYZE', async () => { await client.query('VACUUM (ANALYZE)'); });
  });
  const seconds = (performance.now() - started) / 1000;
  await withClient(adminUrl, async (c) => {
    await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    // When it was built: the clone moves the offerings' dates by the time since, so open windows stay open.
    await c.query(`COMMENT ON DATABASE ${name} IS '${JSON.stringify({ builtAt: new Date().toISOString(), seconds: Math.round(seconds), steps })}'`);
  });
  return { name, built: true, seconds, steps };
}

/** A fresh database cloned from the template, with the offerings' and meetings' times moved to today. */
export async function cloneTemplate({ adminUrl, template, name }) {
  const meta = await withClient(adminUrl, async (c) => {
    const started = performance.now();
    // FILE_COPY copies the files at once; the default (WAL_LOG) would write gigabytes of WAL. Before PostgreSQL 15 it is the only way.
    await c.query(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY = FILE_COPY`)
      .catch(async (error) => { if (error.code !== '42601' && !/strategy/i.test(error.message)) throw error; await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`); });
    const { rows: [row] } = await c.query(`SELECT shobj_description(oid, 'pg_database') AS comment, pg_database_size(oid) AS bytes FROM pg_database WHERE datname = $1`, [template]);
    return { ...JSON.parse(row.comment ?? '{}'), cloneSeconds: (performance.now() - started) / 1000, bytes: Number(row.bytes) };
  });
  const url = databaseUrl(adminUrl, name);
  if (meta.builtAt) {
    await withClient(url, async (client) => {
      const shift = `interval '${Math.max(0, Math.round((Date.now() - Date.parse(meta.builtAt)) / 1000))} seconds'`;
      await client.query(`UPDATE offering SET enrol_opens_at = enrol_opens_at + ${shift}, enrol_closes_at = enrol_closes_at + ${shift}, withdraw_deadline = withdraw_deadline + ${shift}
                           WHERE enrol_closes_at > $1`, [meta.builtAt]);
      await client.query(`UPDATE meeting m SET starts_at = starts_at + ${shift}, ends_at = ends_at + ${shift} FROM offering o
                           WHERE o.id = m.offering_id AND m.starts_at > $1`, [meta.builtAt]);
    });
  }
  return { url, ...meta };
}

export async function dropDatabase(adminUrl, name) {
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
