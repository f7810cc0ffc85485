import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { backupDatabase, differences, manifestOf, restoreDatabase } from '../../src/database/backup.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { withDatabase } from '../support/template-db.js';

/** The per-person ledger totals, computed here independently of the backup code. */
async function totals(url: string): Promise<Array<{ person_id: string; hours: string; credits: string; n: string }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(
      `SELECT person_id, sum(hours)::text AS hours, sum(credits)::text AS credits, count(*)::text AS n FROM credit_entry GROUP BY person_id ORDER BY person_id`)).rows;
  } finally {
    await client.end();
  }
}

describe('backup and restore (pg_dump / pg_restore)', () => {
  let source: TestDatabase;
  let dir: string;
  const target = `tgp_restore_${randomBytes(5).toString('hex')}`;
  const admin = () => new pg.Client({ connectionString: process.env.TEST_PG_ADMIN_URL });

  beforeAll(async () => {
    source = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'tgp-backup-'));
    // A ledger with awards, a reversal and an imported entry, spread over people.
    await source.pool.query(
      `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, title, occurred_on, imported_source, source_key)
       SELECT id, district_id, 6 + (row_number() OVER ())::int % 5, 1.25, 'practice', 'district', 'import', '历史培训', DATE '2024-05-01', '上海市教师教育管理平台',
              'backup-test:' || id FROM person ORDER BY id LIMIT 300`);
    const { rows } = await source.pool.query(`SELECT id, person_id, district_id FROM credit_entry ORDER BY id LIMIT 1`);
    await source.pool.query(
      `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, title, occurred_on, reverses_entry_id, reason)
       VALUES ($1, $2, -6, -1.25, 'practice', 'district', 'manual_adjustment', '冲销', DATE '2024-06-01', $3, '重复记录')`, [rows[0].person_id, rows[0].district_id, rows[0].id]);
    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE "${target}"`);
    await client.end();
  });

  afterAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`);
    await client.end();
    await source.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips into an empty database with identical per-person ledger totals and checksums', async () => {
    const file = join(dir, 'district.dump');
    const manifest = await backupDatabase(source.url, file);
    expect(manifest.ledger.entries).toBeGreaterThanOrEqual(301);
    expect(manifest.migrations.length).toBeGreaterThan(5);

    const targetUrl = withDatabase(process.env.TEST_PG_ADMIN_URL!, target);
    const result = await restoreDatabase(targetUrl, file);
    expect(result.differences).toEqual([]);
    expect(await totals(targetUrl)).toEqual(await totals(source.url));
    expect(result.restored.ledger).toEqual(manifest.ledger);

    // The restored ledger is still append-only: its triggers came back with it.
    const client = new pg.Client({ connectionString: targetUrl });
    await client.connect();
    try {
      await expect(client.query(`UPDATE credit_entry SET credits = credits + 1 WHERE source_key LIKE 'backup-test:%'`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });

  it('notices a restore that does not match the backup', async () => {
    const before = await manifestOf(source.url);
    await source.pool.query(
      `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, title, occurred_on)
       SELECT id, district_id, 1, 0.1, 'ethics', 'kindergarten', 'manual_adjustment', '多出的记录', DATE '2025-01-01' FROM person ORDER BY id LIMIT 1`);
    const after = await manifestOf(source.url);
    expect(differences(before, after)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^credit_entry: \d+ rows backed up, \d+ restored$/), expect.stringMatching(/^ledger totalsChecksum/)]));
  });
});
