// Scenario 1, the enrolment rush: 2,000 different teachers ask for a seat in one 300-seat offering at once
// (64 connections, one request each), then the outcome is checked against what a user would expect: exactly 300
// enrolled, 1,700 waitlisted with positions 1..1,700 in arrival order, nobody twice.
import autocannon from 'autocannon';
import pg from 'pg';
import { summary } from './floors.mjs';

export async function rushOverHttp({ base, offeringId, learners, connections }) {
  const answers = new Array(learners.length);
  let next = 0;
  const times = [];
  const instance = autocannon({
    url: `${base}/api/offerings/${offeringId}/enrollments`, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' },
    connections, amount: learners.length,
    requests: [{
      setupRequest: (request, context) => {
        context.i = next++;
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${learners[context.i % learners.length].token}` } };
      },
      onResponse: (status, body, context) => { answers[context.i] = { status, body }; },
    }],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  const result = await instance;
  return { figures: { ...summary(times, result.duration), non2xx: result.non2xx, errors: result.errors + result.timeouts }, answers };
}

/** The checks of the outcome; `ok` only when every one holds. */
export async function verifyRush(dbUrl, { offeringId, capacity, learners, answers }) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows: counts } = await client.query(
      `SELECT count(*) FILTER (WHERE status = 'enrolled')::int AS enrolled, count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted,
              count(*)::int AS total, count(DISTINCT person_id)::int AS people FROM enrollment WHERE offering_id = $1`, [offeringId]);
    const { rows: waitlist } = await client.query(
      `SELECT id, row_number() OVER (ORDER BY priority_tier, requested_at, id)::int AS position, requested_at
         FROM enrollment WHERE offering_id = $1 AND status = 'waitlisted' ORDER BY position`, [offeringId]);
    const { rows: [order] } = await client.query(
      `SELECT (SELECT max(requested_at) FROM enrollment WHERE offering_id = $1 AND status = 'enrolled')
              <= (SELECT min(requested_at) FROM enrollment WHERE offering_id = $1 AND status = 'waitlisted') AS seats_first,
              (SELECT count(*) - count(DISTINCT requested_at) FROM enrollment WHERE offering_id = $1 AND status = 'waitlisted')::int AS same_instant`, [offeringId]);
    const parsed = answers.map((a) => { try { return { status: a?.status, ...JSON.parse(a?.body ?? '{}') }; } catch { return { status: a?.status }; } });
    const positions = parsed.filter((a) => a.status === 'waitlisted' || a.waitlistPosition).map((a) => a.waitlistPosition).sort((x, y) => x - y);
    const expectedWaitlist = learners.length - capacity;
    const dbPosition = new Map(waitlist.map((w) => [w.id, w.position]));
    const mismatched = parsed.filter((a) => a.status === 'waitlisted' && dbPosition.get(a.id) !== a.waitlistPosition).length;
    const httpErrors = answers.filter((a) => !a || a.status >= 300).length;
    const c = counts[0];
    const checks = {
      [`exactly ${capacity} enrolled`]: c.enrolled === capacity,
      [`${expectedWaitlist} waitlisted`]: c.waitlisted === expectedWaitlist,
      'no duplicates (one row per teacher)': c.total === learners.length && c.people === learners.length,
      [`answered positions are 1..${expectedWaitlist}`]: positions.length === expectedWaitlist && positions.every((p, i) => p === i + 1),
      'answered position = position on the list': mismatched === 0,
      'seats went to the first arrivals': order.seats_first === true,
      'every request answered 2xx': httpErrors === 0,
    };
    return {
      ok: Object.values(checks).every(Boolean), checks,
      figures: { ...c, answeredPositions: positions.length, distinctAnsweredPositions: new Set(positions).size, mismatchedPositions: mismatched,
        waitlistedAtSameInstant: order.same_instant, httpErrors },
    };
  } finally {
    await client.end();
  }
}
