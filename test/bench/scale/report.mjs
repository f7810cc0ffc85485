// The one table of a scale run, and its JSON under test/bench/results/.
import { mkdir, writeFile } from 'node:fs/promises';

const COLUMNS = [
  ['scenario', 'scenario'], ['conc', 'conc'], ['requests', 'requests'], ['req/s', 'rps'], ['p50', 'p50'], ['p95', 'p95'], ['p99', 'p99'],
  ['err', 'failed'], ['peak MB', 'peakMb'], ['CPU ms/req app·db·bench', 'cpuText'], ['CPU bound', 'bound'], ['steal %', 'steal'], ['floor req/s', 'floorRps'], ['floor p95', 'floorP95'], ['p95 ÷ floor', 'p95Ratio'],
  ['req/s ÷ floor', 'rpsShare'], ['target', 'target'], ['result', 'result'],
];

/** Display width: CJK characters take two columns. */
const width = (text) => [...String(text)].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
const pad = (text, w, right) => (right ? ' '.repeat(Math.max(0, w - width(text))) + text : text + ' '.repeat(Math.max(0, w - width(text))));

export function formatTable(rows) {
  const cells = rows.map((row) => COLUMNS.map(([, key]) => (row[key] === undefined || row[key] === null ? '' : String(row[key]))));
  const widths = COLUMNS.map(([title], i) => Math.max(width(title), ...cells.map((c) => width(c[i]))));
  const line = (values) => values.map((v, i) => pad(v, widths[i], i > 0 && i < COLUMNS.length - 2)).join(' │ ');
  return [line(COLUMNS.map(([title]) => title)), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...cells.map(line)].join('\n');
}

/** Ratios and the verdict of a row against its target: { p95?, floorRatio?, floorShare?, check? }. */
export function judge(row) {
  if (row.cpu) {
    row.cpuText = `${row.cpu.app}·${row.cpu.db}·${row.cpu.bench}`;
    row.bound = row.cpu.bound;
    row.steal ??= row.cpu.steal;
  }
  if (row.floorP95) row.p95Ratio = Number((row.p95 / row.floorP95).toFixed(2));
  if (row.floorRps) row.rpsShare = `${Math.round((row.rps / row.floorRps) * 100)}%`;
  const t = row.goal;
  if (!t) { row.result = row.failed ? 'errors' : '—'; return row; }
  const misses = [];
  const parts = [];
  if (t.p95 !== undefined) { parts.push(`p95 < ${t.p95}`); if (!(row.p95 < t.p95)) misses.push('p95'); }
  if (t.floorRatio !== undefined) { parts.push(`≤ ${t.floorRatio}× floor`); if (!(row.p95Ratio <= t.floorRatio)) misses.push('× floor'); }
  if (t.floorShare !== undefined) { parts.push(`≥ ${t.floorShare * 100}% floor req/s`); if (!(row.rps >= t.floorShare * row.floorRps)) misses.push('req/s'); }
  if (t.text) parts.push(t.text);
  if (t.pass !== undefined && !t.pass) misses.push(t.missLabel ?? 'target');
  if (row.failed) misses.push('errors');
  row.target = parts.join(', ');
  row.result = misses.length ? `FAIL (${misses.join(', ')})` : 'pass';
  return row;
}

export async function writeResults(data) {
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const file = new URL(`${data.startedAt.replace(/[:.]/g, '-')}-${data.scale}.json`, dir);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file.pathname;
}
