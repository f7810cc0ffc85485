// COPY … FROM STDIN for rows made in this process (pg-copy-streams), and the deterministic random numbers they use.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';

/** One value in COPY text format: NULL as \N, arrays as {…} literals, objects as JSON. */
function field(value) {
  if (value === null || value === undefined) return '\\N';
  let text;
  if (Array.isArray(value)) text = `{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]);
}

/** Streams `rows` (arrays in `columns` order) into `table` with one COPY; answers the row count. */
export async function copyRows(client, table, columns, rows) {
  let count = 0;
  function* lines() {
    let batch = [];
    for (const row of rows) {
      count += 1;
      batch.push(row.map(field).join('\t'));
      if (batch.length === 2000) { yield batch.join('\n') + '\n'; batch = []; }
    }
    if (batch.length) yield batch.join('\n') + '\n';
  }
  const sink = client.query(copyStreams.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(lines()), sink);
  return count;
}

/** mulberry32: the same dataset on every build of a scale. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    /** pairs: [[value, weight], …] */
    weighted: (pairs) => {
      const total = pairs.reduce((s, [, w]) => s + w, 0);
      let x = next() * total;
      for (const [value, w] of pairs) { if ((x -= w) < 0) return value; }
      return pairs[pairs.length - 1][0];
    },
  };
}

/** Sequential UUIDs for bulk rows: appended to the primary key index instead of scattered over it. */
export const seqUuid = (prefix, n) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
