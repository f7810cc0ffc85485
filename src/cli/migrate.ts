import { loadConfigOrExit } from '../config/load-config.js';
import { migrate } from '../database/data-source.js';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (deployments run it before rolling out). */
const config = loadConfigOrExit();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is required; the embedded database is migrated by `npm start` itself.');
  process.exit(78);
}
const applied = await migrate(config.DATABASE_URL);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
