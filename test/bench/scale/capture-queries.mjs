// Loaded into the bench's server with `node --import` (scale runs only): while switched on by SIGWINCH (ignored by
// default and not among the signals Nest's shutdown hooks close the app on), every SQL
// statement the app sends through pg is appended to BENCH_CAPTURE_FILE as one JSON line. The harness turns it on for a
// few sample requests, one at a time, and replays what they sent to measure each scenario's floor. Switched off it
// costs one boolean test per query.
import { appendFileSync } from 'node:fs';
import pg from 'pg';

const file = process.env.BENCH_CAPTURE_FILE;
if (file) {
  let on = false;
  process.on('SIGWINCH', () => { on = !on; });
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function capture(config, values, callback) {
    if (on) {
      const text = typeof config === 'string' ? config : config?.text;
      const params = config && typeof config === 'object' && Array.isArray(config.values) ? config.values : Array.isArray(values) ? values : [];
      const name = config && typeof config === 'object' && typeof config.name === 'string' ? config.name : undefined;
      if (text) appendFileSync(file, `${JSON.stringify({ text, values: params, name, connection: this.processID ?? null })}\n`);
    }
    return query.apply(this, arguments);
  };
}
