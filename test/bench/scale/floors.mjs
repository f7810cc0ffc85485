// Floors: the same work done directly in SQL. A scenario's floor replays the statements its sample requests sent
// (captured from the running app, parameters included) through pg, request by request on one connection each, at the
// scenario's concurrency for the same duration. What the app adds on top is its ratio to the floor.
import { open, stat } from 'node:fs/promises';
import pg from 'pg';

export function percentile(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function summary(latencies, seconds, errors = 0) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (v) => Number(v.toFixed(1));
  return { requests: sorted.length, rps: round(sorted.length / seconds), p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)), errors };
}

async function readFrom(file, offset) {
  const { size } = await stat(file).catch(() => ({ size: 0 }));
  if (size <= offset) return { lines: [], end: offset };
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    return { lines: buffer.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)), end: size };
  } finally {
    await handle.close();
  }
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends each sample request alone with the capture on and answers, per request, the statements it sent.
 * samples: [{ path, headers }]. A request whose answer is not 2xx is an error: its floor would be meaningless.
 */
export async function captureSequences(app, captureFile, samples) {
  app.toggleCapture();
  await pause(200);
  const sequences = [];
  try {
    let { end } = await readFrom(captureFile, 0);
    for (const sample of samples) {
      const res = await fetch(`${app.base}${sample.path}`, { method: sample.method ?? 'GET', headers: sample.headers, body: sample.body });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`bench: ${sample.path} answered ${res.status} while capturing its queries`);
      // Statements sent after the answer (a session's last-seen touch) belong to the request too.
      await pause(40);
      const read = await readFrom(captureFile, end);
      end = read.end;
      // A session's last-seen touch happens once a minute per session, not once a request: not part of the floor.
      sequences.push(read.lines.filter(({ text }) => !/^UPDATE "auth_session" SET "last_seen_at"/.test(text)).map(({ text, values, name }) => ({ text, values, name })));
    }
  } finally {
    app.toggleCapture();
    await pause(100);
  }
  return sequences;
}

/** Runs `work(client, i)` from `connections` clients at once until `seconds` pass or `amount` runs are done; each run timed. */
export async function drive(dbUrl, { connections, seconds = null, amount = null }, work) {
  const clients = await Promise.all(Array.from({ length: connections }, async () => {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    return c;
  }));
  const latencies = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = seconds ? started + seconds * 1000 : Infinity;
  try {
    await Promise.all(clients.map(async (client) => {
      while (performance.now() < deadline && (amount === null || next < amount)) {
        const i = next++;
        const t0 = performance.now();
        try {
          await work(client, i);
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
          await client.query('ROLLBACK').catch(() => undefined);
        }
      }
    }));
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  return summary(latencies, (performance.now() - started) / 1000, errors);
}

const oneLine = (text) => text.replace(/\s+/g, ' ').trim();

/**
 * Replays the captured sequences round-robin. Also answers where the time went: each distinct statement with how
 * often one request sends it and its mean time under the load, slowest share first (an N+1 shows as a high count).
 */
export async function replayFloor(dbUrl, sequences, { connections, seconds }) {
  const spent = new Map();
  // A statement the app sent by name (src/database/prepared-reads.ts) is replayed the same way: prepared once per
  // connection, on a connection that plans generically like the app's hot-read pool; the others as sent.
  const twins = new Map();
  const twinOf = async (client) => {
    if (!twins.has(client)) {
      const twin = new pg.Client({ connectionString: dbUrl, options: '-c plan_cache_mode=force_generic_plan' });
      twins.set(client, twin.connect().then(() => twin));
    }
    return twins.get(client);
  };
  const figures = await drive(dbUrl, { connections, seconds }, async (client, i) => {
    for (const { text, values, name } of sequences[i % sequences.length]) {
      const t0 = performance.now();
      if (name) await (await twinOf(client)).query({ name, text, values });
      else await client.query(text, values);
      const entry = spent.get(text) ?? { ms: 0, runs: 0 };
      entry.ms += performance.now() - t0;
      entry.runs += 1;
      spent.set(text, entry);
    }
  }).finally(async () => { await Promise.all([...twins.values()].map(async (twin) => (await twin).end())); });
  const perRequest = new Map();
  for (const sequence of sequences) for (const { text } of sequence) perRequest.set(text, (perRequest.get(text) ?? 0) + 1 / sequences.length);
  const total = [...spent.values()].reduce((sum, e) => sum + e.ms, 0) || 1;
  const statements = [...spent.entries()].map(([text, e]) => ({
    share: `${Math.round((e.ms / total) * 100)}%`, perRequest: Number((perRequest.get(text) ?? 0).toFixed(1)), meanMs: Number((e.ms / e.runs).toFixed(2)),
    sql: oneLine(text).slice(0, 400), example: sequences.flat().find((q) => q.text === text),
  })).sort((a, b) => parseFloat(b.share) - parseFloat(a.share));
  return { ...figures, statements };
}

/** EXPLAIN (ANALYZE, BUFFERS) of one captured read statement, alone on an idle connection. */
export async function explain(dbUrl, { text, values }) {
  if (!/^\s*(select|with)\b/i.test(text)) return null;
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
    // Long parameter lists (1,200 kindergarten ids) are cut: the plan's shape is what matters.
    return rows.map((r) => (r['QUERY PLAN'].length > 300 ? `${r['QUERY PLAN'].slice(0, 300)}…` : r['QUERY PLAN']));
  } catch (error) {
    return [`EXPLAIN failed: ${error.message}`];
  } finally {
    await client.end();
  }
}

/**
 * The enrolment rush done directly: per learner one transaction that locks the offering row, counts the seats taken,
 * inserts the enrolment (enrolled or waitlisted) and its event, and counts the waitlist position.
 */
export function rushFloor(dbUrl, { offeringId, learners, connections }) {
  return drive(dbUrl, { connections, amount: learners.length }, async (client, i) => {
    const learner = learners[i];
    await client.query('BEGIN');
    const { rows: [o] } = await client.query(`SELECT capacity, course_id, district_id FROM offering WHERE id = $1 FOR UPDATE`, [offeringId]);
    const { rows: [seats] } = await client.query(`SELECT count(*)::int AS taken FROM enrollment WHERE offering_id = $1 AND status IN ('enrolled', 'offered')`, [offeringId]);
    const status = seats.taken < o.capacity ? 'enrolled' : 'waitlisted';
    const { rows: [e] } = await client.query(
      `INSERT INTO enrollment (offering_id, course_id, person_id, district_id, kindergarten_id, level, status, requested_at, status_changed_at, requested_by)
       VALUES ($1, $2, $3, $4, $5, 'district', $6, clock_timestamp(), clock_timestamp(), $7) RETURNING id, requested_at`,
      [offeringId, o.course_id, learner.personId, o.district_id, learner.kindergartenId, status, learner.userId]);
    await client.query(`INSERT INTO enrollment_event (enrollment_id, district_id, to_status, actor_user_id) VALUES ($1, $2, $3, $4)`, [e.id, o.district_id, status, learner.userId]);
    if (status === 'waitlisted') {
      await client.query(`SELECT count(*)::int FROM enrollment WHERE offering_id = $1 AND status = 'waitlisted' AND (priority_tier, requested_at, id) <= (0, $2, $3)`,
        [offeringId, e.requested_at, e.id]);
    }
    await client.query('COMMIT');
  });
}
