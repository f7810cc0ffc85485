// CPU time per request of the app (the server process, all its threads), the database (PostgreSQL's processes on
// this machine, exited backends included through the postmaster's reaped-children counters) and this load generator,
// read from /proc before and after a scenario. With them, `bound` is the mean latency the CPU alone imposes at a
// concurrency on this machine: conc × (app + db + bench CPU per request) ÷ cores. A p95 target below it cannot be
// met here, whatever the code does; on a larger machine (or with the database elsewhere) the bound shrinks.
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';

const TICK_MS = 10; // Linux reports CPU time in 1/100 s (USER_HZ).

async function fields(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  } catch {
    return null;
  }
}

/** utime + stime (own), plus cutime + cstime (children it reaped) when asked: fields 14–17 of /proc/<pid>/stat. */
async function cpuMs(pid, withChildren = false) {
  const f = await fields(pid);
  if (!f) return 0;
  return (f[11] + f[12] + (withChildren ? f[13] + f[14] : 0)) * TICK_MS;
}

async function postgresMs() {
  let total = 0;
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'postgres') total += await cpuMs(pid, true);
  }
  return total;
}

/** The machine's CPU time so far (all states) and the part of it stolen by the hypervisor: the first line of /proc/stat. */
async function machineTicks() {
  const line = (await readFile('/proc/stat', 'utf8').catch(() => '')).split('\n')[0];
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
}

/**
 * Starts watching how much of the machine's CPU time the hypervisor stole (given to other guests on a shared
 * host): `stop()` answers it as a percentage. Runs with a high steal are slower for reasons outside the code.
 */
export function stealWatch() {
  const start = machineTicks();
  return {
    async stop() {
      const [a, b] = [await start, await machineTicks()];
      return b.total > a.total ? Math.round((100 * (b.steal - a.steal)) / (b.total - a.total)) : null;
    },
  };
}

/** Starts measuring; `stop(requests)` answers { app, db, bench, bound?, steal } in CPU ms per request (db 0 when PostgreSQL is elsewhere) and steal %. */
export function cpuWatch(serverPid) {
  const start = Promise.all([cpuMs(serverPid), postgresMs()]);
  const bench = process.cpuUsage();
  const steal = stealWatch();
  return {
    async stop(requests, connections) {
      const [[app0, db0], app1, db1] = [await start, await cpuMs(serverPid), await postgresMs()];
      const used = process.cpuUsage(bench);
      const stolen = await steal.stop();
      if (!requests) return null;
      const per = (ms) => Number((ms / requests).toFixed(2));
      const out = { app: per(app1 - app0), db: per(db1 - db0), bench: per((used.user + used.system) / 1000), cores: availableParallelism(), steal: stolen };
      if (connections) out.bound = Math.round((connections * (out.app + out.db + out.bench)) / out.cores);
      return out;
    },
  };
}
