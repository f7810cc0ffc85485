// Certificates through the worker (issue 10, scenario 7: at least 20 certificates per second sustained).
// Used by run.mjs: N completions with a pending certificate are written directly on the bench database, a BullMQ
// worker (`node dist/src/worker.js`, its own queue prefix) is started, one `certificate.render` job per certificate
// is queued, and the table is polled until every one is issued.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const code = () => [...randomBytes(16)].map((b) => CODE_ALPHABET[b & 31]).join('');

/** N open completions on enrolments that have none, each with a pending certificate; answers the certificate ids. */
async function pendingCertificates(client, count) {
  // Demo offerings seeded after the assessment migration have no completion rule yet: the one it gives every offering.
  await client.query(
    `INSERT INTO completion_rule (offering_id, district_id, effective_from, min_attendance_share)
     SELECT id, district_id, created_at, min_attendance_share FROM offering o WHERE NOT EXISTS (SELECT 1 FROM completion_rule r WHERE r.offering_id = o.id)`);
  // Too few enrolments without a completion in the demo: the bench teachers complete other demo offerings too.
  await client.query(
    `WITH free AS (SELECT count(*) AS n FROM enrollment e WHERE NOT EXISTS (SELECT 1 FROM completion co WHERE co.enrollment_id = e.id AND co.reopened_at IS NULL))
     INSERT INTO enrollment (offering_id, course_id, person_id, district_id, kindergarten_id, level, status, requested_at, status_changed_at)
     SELECT o.id, o.course_id, p.id, o.district_id, p.current_org_unit_id, c.level, 'completed', now(), now()
       FROM (SELECT * FROM app_user WHERE username ~ '^t[0-9]{5}$' ORDER BY username LIMIT 900) u JOIN person p ON p.id = u.person_id
            CROSS JOIN offering o JOIN course c ON c.id = o.course_id
      WHERE NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.offering_id = o.id AND e.person_id = p.id)
      ORDER BY o.id, u.username
      LIMIT greatest($1 - (SELECT n FROM free), 0)
     ON CONFLICT (offering_id, person_id) DO NOTHING`, [count]);
  const { rows: enrollments } = await client.query(
    `SELECT e.id, e.offering_id, e.person_id, e.district_id,
            (SELECT r.id FROM completion_rule r WHERE r.offering_id = e.offering_id ORDER BY r.effective_from DESC LIMIT 1) AS rule_id,
            p.full_name, c.title, o.label, coalesce(owner.name, d.name) AS issuer
       FROM enrollment e JOIN person p ON p.id = e.person_id JOIN offering o ON o.id = e.offering_id JOIN course c ON c.id = o.course_id
       LEFT JOIN org_unit owner ON owner.id = c.owner_org_unit_id JOIN org_unit d ON d.id = e.district_id
      WHERE NOT EXISTS (SELECT 1 FROM completion co WHERE co.enrollment_id = e.id AND co.reopened_at IS NULL)
      ORDER BY e.id LIMIT $1`, [count]);
  const ids = [];
  await client.query('BEGIN');
  for (const e of enrollments) {
    const { rows: [completion] } = await client.query(
      `INSERT INTO completion (enrollment_id, offering_id, person_id, district_id, sequence, rule_id, completed_at,
                               attended_hours, scheduled_hours, hours, credits, partial, conditions)
       VALUES ($1, $2, $3, $4, coalesce((SELECT max(sequence) FROM completion WHERE enrollment_id = $1), 0) + 1, $5, now(), 12, 12, 12, 1.2, false, '[]')
       RETURNING id`, [e.id, e.offering_id, e.person_id, e.district_id, e.rule_id]);
    const snapshot = { fullName: e.full_name, courseTitle: e.title, offeringLabel: e.label, hours: 12, credits: 1.2,
      completedOn: new Date().toISOString().slice(0, 10), issuer: e.issuer, partial: false };
    const { rows: [certificate] } = await client.query(
      `INSERT INTO certificate (completion_id, person_id, district_id, code, status, snapshot) VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id`,
      [completion.id, e.person_id, e.district_id, code(), JSON.stringify(snapshot)]);
    ids.push(certificate.id);
  }
  await client.query('COMMIT');
  return ids;
}

async function peakMemory(pid) {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * Renders `count` certificates through one worker process (BullMQ concurrency as configured in the worker).
 * env: the server's environment (database, keys, DATA_DIR). Answers the figures for the report, or null without Redis.
 */
export async function certificatesThroughWorker({ dbUrl, env, count = 300, redisUrl = 'redis://127.0.0.1:6379', timeoutMs = 600_000 }) {
  // Without Redis the measurement is skipped (answers null) rather than hanging on a connection that retries forever.
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try { await probe.connect(); await probe.quit(); } catch { probe.disconnect(); return null; }
  const prefix = `tgpbench${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = ['default', 'mail'].map((name) => new Queue(name, { connection, prefix }));
  const queue = queues[0];
  const worker = spawn(process.execPath, ['dist/src/worker.js'], {
    env: { ...env, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, SCHEDULED_JOBS: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const ids = await pendingCertificates(client, count);
    // Timed from the moment the worker consumes, so its boot is not counted.
    for (let i = 0; (await queue.getWorkersCount()) === 0; i++) {
      if (worker.exitCode !== null) throw new Error('bench: worker exited');
      if (i > 600) throw new Error('bench: worker did not start consuming');
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = performance.now();
    await queue.addBulk(ids.map((certificateId) => ({
      name: 'certificate.render', data: { certificateId },
      opts: { jobId: `certificate.render_certificate-${certificateId}`, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    })));
    let issued = 0;
    let firstAt = null;
    while (issued < ids.length) {
      if (performance.now() - started > timeoutMs) throw new Error(`bench: only ${issued} of ${ids.length} certificates issued in time`);
      if (worker.exitCode !== null) throw new Error('bench: worker exited');
      await new Promise((r) => setTimeout(r, 50));
      const { rows: [row] } = await client.query(`SELECT count(*)::int AS n FROM certificate WHERE id = ANY($1) AND status = 'issued'`, [ids]);
      issued = row.n;
      if (issued > 0 && firstAt === null) firstAt = performance.now();
    }
    const seconds = (performance.now() - started) / 1000;
    const { rows: [stored] } = await client.query(
      `SELECT count(*)::int AS files, coalesce(avg(f.size_bytes), 0)::int AS bytes FROM certificate c JOIN stored_file f ON f.id = c.file_id WHERE c.id = ANY($1)`, [ids])
      .catch(() => ({ rows: [{ files: null, bytes: null }] }));
    return {
      certificates: ids.length, seconds: Number(seconds.toFixed(2)), 'certificates/s': Number((ids.length / seconds).toFixed(1)),
      'first issued after ms': Math.round(firstAt - started), 'PDFs stored': stored.files, 'avg PDF bytes': stored.bytes,
      'worker peak RSS MB': Math.round(await peakMemory(worker.pid)),
    };
  } finally {
    if (worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
    // Nothing of this run stays in Redis.
    for (const q of queues) {
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    await connection.quit();
    await client.end();
  }
}
