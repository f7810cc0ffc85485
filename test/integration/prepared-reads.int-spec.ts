import pg from 'pg';
import { PreparedReads } from '../../src/database/prepared-reads.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/** The hot reads' pool plans its statements generically; the app's other connections keep PostgreSQL's default. */
describe('PreparedReads (real PostgreSQL)', () => {
  let db: TestDatabase;
  let reads: PreparedReads;

  beforeAll(async () => {
    db = await createTestDatabase();
    reads = new PreparedReads({ url: db.url, size: 1 });
  });
  afterAll(async () => {
    await reads.onApplicationShutdown();
    await db.drop();
  });

  it('runs a named statement with a generic plan from the first execution, and answers its rows', async () => {
    const text = `SELECT p.id, p.full_name FROM person p WHERE p.district_id = $1::uuid AND p.full_name LIKE $2 ORDER BY p.id LIMIT 3`;
    const { rows: [district] } = await db.pool.query(`SELECT district_id AS id FROM person GROUP BY district_id ORDER BY count(*) DESC LIMIT 1`);
    const expected = (await db.pool.query(text, [district.id, '%'])).rows;
    for (let i = 0; i < 3; i++) expect(await reads.query('probe-people', text, [district.id, '%'])).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    // One connection (size 1): the statement and this look-up share it.
    const [plans] = await reads.query<{ generic_plans: string; custom_plans: string }>('probe-plans',
      `SELECT generic_plans::text, custom_plans::text FROM pg_prepared_statements WHERE name = $1`, ['probe-people']);
    expect(plans).toEqual({ generic_plans: '3', custom_plans: '0' });
  });

  it('keeps options the database URL already has', async () => {
    const url = new URL(db.url);
    url.searchParams.set('options', '-c application_name=tgp-probe');
    const withOptions = new PreparedReads({ url: url.toString(), size: 1 });
    try {
      const [row] = await withOptions.query<{ mode: string; name: string }>('probe-options',
        `SELECT current_setting('plan_cache_mode') AS mode, current_setting('application_name') AS name WHERE $1::int = 1`, [1]);
      expect(row).toEqual({ mode: 'force_generic_plan', name: 'tgp-probe' });
    } finally {
      await withOptions.onApplicationShutdown();
    }
  });

  it('sets plan_cache_mode on its own connections only', async () => {
    const [mine] = await reads.query<{ mode: string }>('probe-mode', `SELECT current_setting('plan_cache_mode') AS mode WHERE $1::int = 1`, [1]);
    expect(mine.mode).toBe('force_generic_plan');
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      expect((await other.query(`SELECT current_setting('plan_cache_mode') AS mode`)).rows[0].mode).toBe('auto');
    } finally {
      await other.end();
    }
  });
});
