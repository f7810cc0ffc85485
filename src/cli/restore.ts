import { resolve } from 'node:path';
import { loadConfigOrExit } from '../config/load-config.js';
import { restoreDatabase } from '../database/backup.js';

/** `npm run restore -- <file>`: pg_restore into DATABASE_URL (its objects are replaced), then the result is checked against the backup's manifest. */
const config = loadConfigOrExit();
const file = process.argv[2];
if (!config.DATABASE_URL || !file) {
  console.error('Usage: DATABASE_URL=<target database> npm run restore -- <backup file>. The target\'s objects are replaced by the backup\'s.');
  process.exit(78);
}
const result = await restoreDatabase(config.DATABASE_URL, resolve(file));
if (result.differences.length) {
  console.error(`restore differs from the backup:\n  ${result.differences.join('\n  ')}`);
  process.exit(1);
}
console.log(`restored ${file}: ${Object.keys(result.restored.rows).length} tables, ${result.restored.ledger.entries} ledger entries; per-person totals and checksums identical`);
