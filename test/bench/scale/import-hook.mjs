// Scenario 6 (staff import: 50,000 rows under 60 s, the server under 1 GB). The measurement is test/bench/import.mjs
// (its own server and scratch database, a fresh district, an XLSX uploaded, dry run, confirm, apply); this runs it as a
// child process with the scale's row count and reads the JSON it writes. Answers null when the script is not there.
import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const SCRIPT = new URL('../import.mjs', import.meta.url);

/** Answers { rows, seconds, peakMb, failed, figures } or null when there is no import bench. */
export async function staffImportScenario({ rows, port, log = console.log }) {
  if (!(await access(SCRIPT).then(() => true, () => false))) return null;
  const child = spawn(process.execPath, [SCRIPT.pathname], {
    env: { ...process.env, BENCH_IMPORT_ROWS: String(rows), BENCH_PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  const written = /figures written to (\S+\.json)/.exec(output)?.[1];
  if (code !== 0 || !written) {
    log(`bench: the import bench failed (exit ${code}); its output:\n${output.trim().split('\n').slice(-10).join('\n')}`);
    return { rows, seconds: NaN, peakMb: NaN, failed: 1, figures: null };
  }
  const figures = JSON.parse(await readFile(resolve(written), 'utf8'));
  return {
    rows: figures.rows ?? rows, seconds: figures['total s'], failed: 0, figures,
    peakMb: Math.max(figures['peak RSS while importing MB'] ?? 0, figures['server VmHWM MB'] ?? 0),
  };
}
