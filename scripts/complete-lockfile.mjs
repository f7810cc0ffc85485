// npm 11.19 (as installed on these machines) leaves optional dependencies for other platforms
// (e.g. @swc/core-darwin-arm64) out of package-lock.json, and then `npm ci` refuses the lock as
// out of sync (the registry reachable here may not even hold them). This adds the missing entries,
// marked optional, so `npm ci` accepts the lock and skips what this platform cannot use. Run after `npm install`: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;

/** The registry reachable here may not hold other platforms' builds; then the entry keeps just the version. */
function view(name, range) {
  try {
    const out = execFileSync('npm', ['view', '--json', `${name}@${range}`, 'version', 'dist.integrity', 'os', 'cpu', 'libc', 'license'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const info = JSON.parse(out);
    return Array.isArray(info) ? info[info.length - 1] : info;
  } catch {
    return {};
  }
}
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const parentDir = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[parentDir] || packages[`node_modules/${name}`]) continue;
    const meta = view(name, range);
    packages[`node_modules/${name}`] = {
      version: meta.version ?? range.replace(/^[\^~=]/, ''),
      ...(meta['dist.integrity'] ? { integrity: meta['dist.integrity'] } : {}),
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(meta.license ? { license: meta.license } : {}),
      ...(meta.os ? { os: meta.os } : {}),
      ...(meta.cpu ? { cpu: meta.cpu } : {}),
      ...(meta.libc ? { libc: meta.libc } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} optional platform entries`);
