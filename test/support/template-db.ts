import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/common/paths.js';
import { migrate } from '../../src/database/data-source.js';
import { seedDemo } from '../../src/runtime.js';
import { FieldCipher } from '../../src/common/field-cipher.js';
import { TEST_ENV } from './env.js';

/** The template's name changes whenever a migration, the demo generator or its data changes. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const dir of ['migrations', 'src/database/demo', 'data']) {
    for (const file of readdirSync(join(PROJECT_ROOT, dir)).sort()) hash.update(file).update(readFileSync(join(PROJECT_ROOT, dir, file)));
  }
  return `tgp_tpl_${hash.digest('hex').slice(0, 12)}`;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Makes sure the migrated template with the demo district exists. The first test file to get here
 * builds it under an advisory lock; the others wait for the lock and find it ready.
 */
export async function ensureTemplate(adminUrl: string): Promise<string> {
  const template = templateName();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', ['tgp_template']);
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount === 1;
    if (!exists) {
      const stale: { datname: string }[] = (await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'tgp_tpl_%'`)).rows;
      for (const { datname } of stale) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      const building = `${template}_build`;
      await admin.query(`CREATE DATABASE "${building}"`);
      const url = withDatabase(adminUrl, building);
      await migrate(url);
      const cipher = new FieldCipher({ encryptionKeys: new Map([['k1', Buffer.from(TEST_ENV.DATA_ENCRYPTION_KEY, 'base64')]]), currentKeyId: 'k1' });
      await seedDemo(url, cipher, TEST_ENV.DEMO_PASSWORD);
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', ['tgp_template']).catch(() => undefined);
    await admin.end();
  }
  return template;
}
