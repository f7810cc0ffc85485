import pg from 'pg';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config.schema.js';
import { resolveSecrets } from './config/secrets.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { migrate } from './database/data-source.js';
import type { Runtime } from './app.module.js';
import { FieldCipher } from './common/field-cipher.js';
import { maskNationalId, maskPhone } from './common/national-id.js';
import { hashPassword } from './modules/auth/passwords.js';
import { loadDemoData } from './database/demo/load-demo-data.js';

export interface PreparedRuntime {
  runtime: Runtime;
  embedded: EmbeddedDatabase | null;
  demo: { created: boolean } | null;
}

/**
 * Everything a process needs before Nest starts: validated config, keys, a database (the embedded
 * one when DATABASE_URL is absent), the schema migrated, and the demo district loaded when asked.
 */
export async function prepareRuntime(config: AppConfig, logger: Logger, options: { role: 'http' | 'worker'; migrateAndSeed: boolean }): Promise<PreparedRuntime> {
  const secrets = resolveSecrets(config);
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    logger.info({ port: config.EMBEDDED_PG_PORT, dir: config.DATA_DIR }, 'starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(config.DATA_DIR, config.EMBEDDED_PG_PORT, (line) => logger.debug({ component: 'postgres' }, line));
    databaseUrl = embedded.url;
  }
  let demo: { created: boolean } | null = null;
  if (options.migrateAndSeed) {
    const applied = await migrate(databaseUrl);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    if (config.DEMO_DATA) demo = await seedDemo(databaseUrl, new FieldCipher(secrets), config.DEMO_PASSWORD);
  }
  const processJobs = options.role === 'worker' || config.HTTP_PROCESS_JOBS;
  return { runtime: { config, secrets, databaseUrl, processJobs }, embedded, demo };
}

export async function seedDemo(databaseUrl: string, cipher: FieldCipher, password: string): Promise<{ created: boolean }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const protect = (mask: (v: string) => string) => (plain: string) => ({ enc: cipher.encrypt(plain), hash: cipher.lookupHash(plain), masked: mask(plain) });
    return await loadDemoData(client, { hashPassword: () => hashPassword(password), protect: protect(maskNationalId), protectPhone: protect(maskPhone) });
  } finally {
    await client.end();
  }
}

export const DEMO_SIGN_INS = [
  ['district_admin', 'district_admin', '区教育局管理员 / district admin'],
  ['kindergarten_admin', 'kg_admin', '园所管理员 / kindergarten admin'],
  ['group_admin', 'group_admin', '集团管理员 / group admin'],
  ['trainer', 'trainer', '培训者 / trainer'],
  ['expert', 'expert', '评审专家 / expert'],
  ['city_admin', 'city_admin', '市级管理员 / city staff (lecture-series filing)'],
  ['teacher', 'teacher', '教师 / teacher'],
] as const;
