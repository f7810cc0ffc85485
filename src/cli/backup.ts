import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadConfigOrExit } from '../config/load-config.js';
import { backupDatabase } from '../database/backup.js';

/** `npm run backup [-- <file>]`: pg_dump of DATABASE_URL (custom format) plus `<file>.json` with row counts and ledger checksums. */
const config = loadConfigOrExit();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is required: point it at the database to back up (for the embedded one, at its port while `npm start` runs).');
  process.exit(78);
}
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const file = resolve(process.argv[2] ?? `backups/teacher-growth-${stamp}.dump`);
await mkdir(dirname(file), { recursive: true });
const manifest = await backupDatabase(config.DATABASE_URL, file);
console.log(`backup written: ${file}`);
console.log(`  ${Object.keys(manifest.rows).length} tables, ${manifest.ledger.entries} ledger entries of ${manifest.ledger.people} people (totals ${manifest.ledger.totalsChecksum})`);
