// `npm run bench`: BENCH_SCALE=demo (the default) measures the demo district (run.mjs, the README's regression
// table); BENCH_SCALE=district or city generates (once) and measures a synthetic dataset at that scale (issue 10).
const scale = process.env.BENCH_SCALE ?? 'demo';
if (scale === 'demo') await import('./run.mjs');
else if (scale === 'district' || scale === 'city') await import('./scale/run-scale.mjs');
else {
  console.error(`bench: BENCH_SCALE must be demo, district or city (got ${scale})`);
  process.exitCode = 2;
}
