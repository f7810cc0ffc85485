import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** What a backup holds, written beside the dump and checked again after a restore. */
export interface BackupManifest {
  createdAt: string;
  serverVersion: string;
  migrations: string[];
  /** Rows per table of the schema. */
  rows: Record<string, number>;
  /** The credit ledger, the record people's careers hang on: per-person totals and a checksum of every entry. */
  ledger: { entries: number; people: number; totalsChecksum: string; entriesChecksum: string };
}

/** The major version of the server at `url` (e.g. 15). */
export async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    return Math.floor(Number(rows[0].v) / 10_000);
  } finally {
    await client.end();
  }
}

/**
 * A pg_dump/pg_restore able to talk to a server of `major`: its own major must be at least the server's.
 * Looks on PATH, then in Debian's /usr/lib/postgresql/<version>/bin; PG_BIN_DIR overrides both.
 */
export async function findPgTool(tool: 'pg_dump' | 'pg_restore', major: number): Promise<string> {
  const candidates: string[] = [];
  if (process.env.PG_BIN_DIR) candidates.push(join(process.env.PG_BIN_DIR, tool));
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) candidates.push(join(dir, tool));
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) for (const version of readdirSync(debian).sort().reverse()) candidates.push(join(debian, version, 'bin', tool));
  const seen: string[] = [];
  for (const candidate of candidates.filter((c, i, all) => existsSync(c) && all.indexOf(c) === i)) {
    const { stdout } = await run(candidate, ['--version']);
    const found = Number(/(\d+)(?:\.\d+)?/.exec(stdout)?.[1] ?? 0);
    seen.push(`${candidate} (${found})`);
    if (found >= major) return candidate;
  }
  throw new Error(`No ${tool} of version ${major} or later found (server is PostgreSQL ${major}; found: ${seen.join(', ') || 'none'}). `
    + `Install the matching client (e.g. apt-get install postgresql-client-${major}) or set PG_BIN_DIR.`);
}

/** Row counts, applied migrations and the ledger's checksums, read in one snapshot. */
export async function manifestOf(url: string): Promise<BackupManifest> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
    const tables = (await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)).rows.map((r) => r.name);
    const rows: Record<string, number> = {};
    for (const name of tables) rows[name] = Number((await client.query(`SELECT count(*) AS n FROM "${name}"`)).rows[0].n);
    const migrations = tables.includes('migrations')
      ? (await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id')).rows.map((r) => r.name) : [];
    const ledger = (await client.query<{ entries: string; people: string; totals: string | null; entries_sum: string | null }>(
      `SELECT (SELECT count(*) FROM credit_entry) AS entries,
              (SELECT count(DISTINCT person_id) FROM credit_entry) AS people,
              (SELECT md5(string_agg(person_id::text || ':' || h::text || ':' || c::text, ',' ORDER BY person_id))
                 FROM (SELECT person_id, sum(hours) AS h, sum(credits) AS c FROM credit_entry GROUP BY person_id) t) AS totals,
              (SELECT md5(string_agg(e::text, ',' ORDER BY e.id)) FROM credit_entry e) AS entries_sum`)).rows[0];
    await client.query('COMMIT');
    return {
      createdAt: new Date().toISOString(), serverVersion: version, migrations, rows,
      ledger: { entries: Number(ledger.entries), people: Number(ledger.people), totalsChecksum: ledger.totals ?? '', entriesChecksum: ledger.entries_sum ?? '' },
    };
  } finally {
    await client.end();
  }
}

/** `pg_dump --format=custom` of the whole database into `file`, with `<file>.json` describing it. */
export async function backupDatabase(url: string, file: string): Promise<BackupManifest> {
  const pgDump = await findPgTool('pg_dump', await serverMajor(url));
  const manifest = await manifestOf(url);
  await run(pgDump, ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${url}`], { maxBuffer: 16 * 1024 * 1024 });
  await writeFile(`${file}.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export interface RestoreResult {
  manifest: BackupManifest;
  restored: BackupManifest;
  /** What differs from the backup's manifest (empty: the restore is identical). */
  differences: string[];
}

/**
 * Restores `file` into the database at `url` (existing objects are dropped first), then compares the result
 * with the manifest written at backup time: row counts of every table and the ledger's checksums.
 */
export async function restoreDatabase(url: string, file: string): Promise<RestoreResult> {
  const manifest = JSON.parse(await readFile(`${file}.json`, 'utf8')) as BackupManifest;
  const pgRestore = await findPgTool('pg_restore', await serverMajor(url));
  await run(pgRestore, ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`, file],
    { maxBuffer: 16 * 1024 * 1024 });
  const restored = await manifestOf(url);
  return { manifest, restored, differences: differences(manifest, restored) };
}

export function differences(expected: BackupManifest, actual: BackupManifest): string[] {
  const found: string[] = [];
  for (const [table, n] of Object.entries(expected.rows)) {
    if (actual.rows[table] !== n) found.push(`${table}: ${n} rows backed up, ${actual.rows[table] ?? 'no table'} restored`);
  }
  for (const key of ['entries', 'people', 'totalsChecksum', 'entriesChecksum'] as const) {
    if (expected.ledger[key] !== actual.ledger[key]) found.push(`ledger ${key}: ${expected.ledger[key]} backed up, ${actual.ledger[key]} restored`);
  }
  if (expected.migrations.join() !== actual.migrations.join()) found.push('applied migrations differ');
  return found;
}
