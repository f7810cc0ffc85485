import fc from 'fast-check';
import { getMetadataStorage } from 'class-validator';
import { JobQueue } from '../../src/queue/job-queue.js';
import {
  changedTables, changesSince, databaseFingerprint, discoverRoutes, fillWorldPath, installChangeJournal, writeReportSection, type PathConstants, type RouteInfo,
} from '../support/route-inventory.js';
import { matrixFixtures, type World } from '../support/matrix-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Property-based fuzzing of every JSON endpoint: generated bodies, query strings and path parameters
 * (wrong types, missing and unknown fields, huge and odd strings, bad dates and numbers, nested junk).
 * No answer may be a 5xx, and a 4xx must leave the database exactly as it was. Each input's writes are
 * seen through a change journal (row triggers on every table, recording committed changes only); each
 * endpoint's run is also compared by row counts and row checksums of every table.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 24);
const SEED = Number(process.env.FUZZ_SEED ?? 20260511);
/** Where the counts go for docs/reliability.md (set RELIABILITY_REPORT=<file> to write them). */
const REPORT = process.env.RELIABILITY_REPORT;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes not fuzzed, and why. Uploads and downloads are covered by their own specs (zip bombs, sizes, types). */
function skipReason(route: RouteInfo): string | null {
  if (route.upload) return 'multipart upload';
  if (route.method === 'GET' && /\.(csv|xlsx|ics|pdf)$|\/(file|export|result|grade-sheet)$|\/templates\/:kind$|^\/api\/files\/|^\/api\/exports\/:kind$/.test(route.path)) return 'file download';
  if (['POST /api/auth/logout', 'POST /api/auth/logout-everywhere'].includes(route.key)) return 'ends the fuzzing session; no input to fuzz';
  if (!route.hasBody && !route.hasQuery && !route.params.length) return 'no input';
  return null;
}

/** Tables a refused request may still write, by route: a failed sign-in is counted against the account. */
const WRITES_ON_REFUSAL: Record<string, string[]> = { 'POST /api/auth/login': ['login_throttle'] };

const ODD_STRINGS = [
  '', ' ', '\u0000', '\u202e', '\ud800', '𠮷野家', '😀👩‍👩‍👧', '<script>alert(1)</script>', "' OR '1'='1", "'; DROP TABLE person; --", '%', '_', '\\', '../../etc/passwd',
  'null', 'undefined', 'NaN', 'Infinity', 'true', '0', '-1', '1e309', '0x10', '2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31T25:61:61Z', 'not-a-date',
  '2026-01-01T00:00:00+99:00', '00000000-0000-0000-0000-000000000000', 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ', '{}', '[]', 'SH-QP-K001', '2026-autumn', '2025-2026-1',
];
const ODD_NUMBERS = [0, -1, -0, 1, 2 ** 31, -(2 ** 31), 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.1, 1.5, 1e-7, 99999999999, 100000];

const junkScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom(...ODD_STRINGS),
  fc.integer(),
  fc.constantFrom(...ODD_NUMBERS),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.date({ noInvalidDate: true, min: new Date('1900-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true, min: new Date('1900-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString().slice(0, 10)),
  fc.constant('长'.repeat(30_000)),
);
const junkValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 3 }, junkScalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 })),
})).value;

/** A DTO field as class-validator knows it: its constraints by name (with their arguments) and whether they apply to each element. */
interface FieldSpec {
  constraints: Map<string, unknown[]>;
  each: boolean;
}

/** Fields the app's DTOs declare (class-validator metadata). */
function dtoFields(type: unknown): Map<string, FieldSpec> {
  const fields = new Map<string, FieldSpec>();
  if (typeof type !== 'function') return fields;
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(type, '', true, false)) {
    const spec = fields.get(meta.propertyName) ?? { constraints: new Map(), each: false };
    const name = meta.name ?? meta.type;
    spec.constraints.set(name, (meta.constraints ?? []) as unknown[]);
    if (meta.each) spec.each = true;
    fields.set(meta.propertyName, spec);
  }
  return fields;
}

/** Percent-encoding that survives lone surrogates (a string cut mid-pair). */
const encode = (text: string) => encodeURIComponent((text as string & { toWellFormed(): string }).toWellFormed());

function matching(pattern: unknown): fc.Arbitrary<unknown> {
  try {
    return fc.stringMatching(pattern instanceof RegExp ? pattern : new RegExp(String(pattern)));
  } catch {
    return fc.string({ maxLength: 20 });
  }
}

const EDGE_DATES = ['0001-01-01', '1000-01-01', '1899-12-31', '1970-01-01', '2026-02-28', '2026-09-01', '2099-12-31', '9999-12-31'];
const EDGE_INSTANTS = ['0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '2026-09-01T09:00:00+08:00', '2026-09-01T09:00:00.999999Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00.000Z'];

/**
 * A value of the field's declared type, chosen at the edges (bounds, extreme dates and numbers,
 * the longest allowed text): inputs that pass validation and reach the service and the database.
 */
function typed(spec: FieldSpec, ids: string[]): fc.Arbitrary<unknown> {
  const c = spec.constraints;
  const arg = (name: string) => c.get(name)?.[0] as number | undefined;
  let value: fc.Arbitrary<unknown>;
  if (c.has('isIn')) value = fc.constantFrom(...(c.get('isIn')![0] as unknown[]));
  else if (c.has('isUUID')) value = fc.oneof(fc.constantFrom(...ids), fc.uuid());
  else if (c.has('isBoolean')) value = fc.boolean();
  else if (c.has('isInt') || c.has('isNumber') || c.has('isPositive')) {
    const lo = arg('min') ?? (c.has('isPositive') ? 1 : -1e15);
    const hi = arg('max') ?? 1e15;
    const edges = [lo, hi, 0, 1, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53 - 1, 1e15].filter((n) => n >= lo && n <= hi);
    const [wholeMin, wholeMax] = [Math.ceil(Math.max(lo, -(2 ** 31))), Math.floor(Math.min(hi, 2 ** 31 - 1))];
    const whole = wholeMin <= wholeMax ? fc.integer({ min: wholeMin, max: wholeMax }) : fc.constant(lo);
    value = c.has('isInt') ? fc.oneof(fc.constantFrom(...edges), whole) : fc.oneof(fc.constantFrom(...edges), whole, fc.double({ min: lo, max: hi, noNaN: true }));
  } else if (c.has('isCalendarDate')) value = fc.oneof(fc.constantFrom(...EDGE_DATES), fc.date({ noInvalidDate: true, min: new Date('1000-01-01'), max: new Date('9999-12-31') }).map((d) => d.toISOString().slice(0, 10)));
  else if (c.has('isDateString') || c.has('isISO8601')) value = fc.oneof(fc.constantFrom(...EDGE_INSTANTS), fc.date({ noInvalidDate: true, min: new Date('1000-01-01'), max: new Date('9999-12-31') }).map((d) => d.toISOString()));
  else if (c.has('matches')) value = matching(c.get('matches')![0]);
  else if (c.has('isEmail')) value = fc.emailAddress();
  else if (c.has('isUrl') || c.has('isURL')) value = fc.webUrl();
  else if (c.has('maxLength') || c.has('isString') || c.has('isNotEmpty') || c.has('minLength')) {
    const max = arg('maxLength') ?? 5000;
    const min = Math.min(c.has('minLength') ? (c.get('minLength')![0] as number) : 1, max);
    value = fc.oneof(fc.string({ minLength: min, maxLength: Math.min(max, 40) }), fc.constant('长'.repeat(max)), fc.constant('𠮷'.repeat(Math.max(min, Math.floor(max / 2)))), fc.constantFrom('示范课', 'x'));
  } else if (c.has('nestedValidation') || c.has('isObject')) value = fc.constantFrom({}, []);
  else if (c.has('isArray') || c.has('arrayMaxSize')) value = fc.array(fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 8 })), { maxLength: Math.min(arg('arrayMaxSize') ?? 5, 5) });
  else value = junkScalar;
  return spec.each ? fc.array(value, { maxLength: 4 }) : value;
}

describe('fuzzing every JSON endpoint', () => {
  let t: TestApp;
  let world: World;
  let constants: PathConstants;
  let vocabulary: string[];
  const tokens = new Map<string, string>();
  const rows: Array<{ route: string; login: string; runs: number; ok: number; refused: number; failed: number }> = [];
  const skipped: string[] = [];
  const failures: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const fixtures = matrixFixtures(t);
    world = await fixtures.buildWorld(await fixtures.demoAnchor());
    const stage = (await t.db.pool.query(`SELECT kind, code FROM stage_definition ORDER BY kind DESC, sort_order LIMIT 1`)).rows[0] as { kind: string; code: string };
    const scheme = (await t.db.pool.query(`SELECT code FROM requirement_scheme ORDER BY code LIMIT 1`)).rows[0] as { code: string };
    constants = { schemeCode: scheme.code, stageKind: stage.kind, stageCode: stage.code, year: String(new Date().getFullYear()), semester: '2026-autumn' };
    for (const login of ['teacher', 'district_admin']) tokens.set(login, await t.token(login));
    await installChangeJournal(t.db.pool);
    vocabulary = collectVocabulary();
  }, 120_000);
  afterAll(async () => {
    const total = rows.reduce((n, r) => n + r.runs, 0);
    writeReportSection(REPORT, 'fuzz', [
      '## Fuzzing (test/e2e/fuzz.e2e-spec.ts, fast-check)',
      `- endpoints fuzzed: ${rows.length}, inputs tried: ${total} (${RUNS} per endpoint, FUZZ_RUNS; seed ${SEED}, FUZZ_SEED)`,
      `- answers: ${rows.reduce((n, r) => n + r.ok, 0)} 2xx/3xx, ${rows.reduce((n, r) => n + r.refused, 0)} 4xx, ${rows.reduce((n, r) => n + r.failed, 0)} failures (5xx, or a 4xx that wrote)`,
      '- database check: per input, a change journal (row triggers, committed changes only; a session\'s last_seen_at refresh ignored);',
      '  per endpoint without a 2xx, row counts and checksums of every table. Writes allowed on refusal: POST /api/auth/login → login_throttle.',
      `- skipped (${skipped.length}): ${skipped.join('; ')}`,
      ...(failures.length ? ['', `### Failures (${failures.length})`, ...failures.map((f) => `- ${f.slice(0, 400)}`)] : []),
      '',
      '| endpoint | login | inputs | 2xx/3xx | 4xx | failures |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.route} | ${r.login} | ${r.runs} | ${r.ok} | ${r.refused} | ${r.failed} |`),
    ].join('\n'));
    await t.close();
  });

  function collectVocabulary(): string[] {
    const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, Array<{ propertyName: string }>> | Array<{ propertyName: string }> };
    const all = storage.validationMetadatas instanceof Map ? [...storage.validationMetadatas.values()].flat() : storage.validationMetadatas;
    return [...new Set(all.map((m) => m.propertyName))].sort();
  }

  /** World ids, so that id fields name real records now and then. */
  function ids(): string[] {
    return Object.values(world).filter((v): v is string => typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v));
  }

  function bodyArbitrary(route: RouteInfo): fc.Arbitrary<{ raw: string }> {
    const declared = dtoFields(route.bodyType);
    const names = declared.size ? [...declared.keys()] : route.bodySchemaFields.length ? route.bodySchemaFields : vocabulary;
    const spec = (n: string): FieldSpec => declared.get(n) ?? { constraints: new Map(), each: false };
    const typedModel = Object.fromEntries(names.slice(0, 60).map((n) => [n, typed(spec(n), ids())]));
    const junkModel = Object.fromEntries(names.slice(0, 60).map((n) => [n, fc.oneof({ weight: 2, arbitrary: junkValue }, { weight: 1, arbitrary: typed(spec(n), ids()) })]));
    const whole = fc.record(typedModel);
    const some = fc.record(typedModel, { requiredKeys: [] });
    // One field of an otherwise well-typed body replaced by junk.
    const mutated = fc.tuple(whole, fc.constantFrom(...names), junkValue).map(([b, k, v]) => ({ ...b, [k]: v }));
    const extra = fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'id', 'districtId', 'status', '_csrf'), fc.string({ maxLength: 10 })), junkValue, { minKeys: 1, maxKeys: 3 });
    const json = (b: unknown) => ({ raw: JSON.stringify(b) ?? 'null' });
    return fc.oneof(
      { weight: 4, arbitrary: whole.map(json) },
      { weight: 3, arbitrary: some.map(json) },
      { weight: 4, arbitrary: mutated.map(json) },
      { weight: 3, arbitrary: fc.record(junkModel, { requiredKeys: [] }).map(json) },
      { weight: 1, arbitrary: fc.tuple(some, extra).map(([b, e]) => json({ ...b, ...e })) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json) },
      { weight: 1, arbitrary: fc.constantFrom('{"a":', '[1,2', 'null', '"text"', '1', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', `{"s":"${'x'.repeat(1_100_000)}"}`).map((raw) => ({ raw })) },
    );
  }

  function queryArbitrary(route: RouteInfo): fc.Arbitrary<string> {
    const declared = dtoFields(route.queryType);
    const names = [...new Set([...declared.keys(), ...route.queryNames, 'page', 'pageSize', 'lang'])];
    const text = (v: unknown) => encode(typeof v === 'string' ? v.slice(0, 2000) : JSON.stringify(v) ?? '');
    const junk = fc.oneof(junkScalar.map(text), fc.constantFrom('%E0%A4%A', '%', '%00', '1&1', '-1', '0', '999999999999999999999', '1.5', 'true'));
    const pair = fc.constantFrom(...names).chain((name) => {
      const spec = declared.get(name);
      const value = spec ? fc.oneof(typed(spec, ids()).map(text), junk) : junk;
      return fc.tuple(fc.constantFrom(name, `${name}[]`, `${name}[x]`, name), value);
    });
    const stranger = fc.tuple(fc.string({ maxLength: 6 }).map(encode), junk);
    return fc.array(fc.oneof({ weight: 5, arbitrary: pair }, { weight: 1, arbitrary: stranger }), { maxLength: 5 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
  }

  const junkPath = fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encode),
    fc.constantFrom('1', '-1', '0', 'null', "'%20OR%201=1--", '..%2F..%2Fetc%2Fpasswd', '%E0%A4%A', '%00', 'A'.repeat(300), '00000000-0000-0000-0000-000000000000', '2026-13', 'SH-QP-K001'),
    fc.uuid(),
  );

  it('sees committed writes through the change journal, and not rolled-back ones', async () => {
    const mark = await changesSince(t.db.pool, null);
    const client = await t.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE org_unit SET name = name || '·' WHERE code = 'SH-QP-K001'`);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect((await changesSince(t.db.pool, mark.last)).tables).toEqual([]);
    await t.db.pool.query(`UPDATE org_unit SET name = name WHERE code = 'SH-QP-K001'`);
    expect((await changesSince(t.db.pool, mark.last)).tables).toEqual([]);
    await t.db.pool.query(`UPDATE notification SET read_at = now() WHERE id = $1`, [world.notificationId]);
    expect((await changesSince(t.db.pool, mark.last)).tables).toEqual(['notification']);
    await t.db.pool.query(`UPDATE notification SET read_at = NULL WHERE id = $1`, [world.notificationId]);
  });

  it('answers 400 to the inputs fuzzing once turned into 500s, and writes nothing', async () => {
    const admin = { Authorization: `Bearer ${tokens.get('district_admin')}` };
    const fields = (res: { body: { error: { details?: { fields?: Array<{ field: string }> } } } }) => (res.body.error.details?.fields ?? []).map((f) => f.field);
    const mark = await changesSince(t.db.pool, null);
    // A number in exponent form where decimal places are limited crashed class-validator.
    const hours = await t.http().patch(`/api/courses/${world.courseId}`).set(admin).set('Content-Type', 'application/json').send('{"hours":1e-7}');
    expect([hours.status, fields(hours)]).toEqual([400, ['hours']]);
    // A NUL byte reached PostgreSQL, which cannot store it.
    expect((await t.http().get('/api/schemes/%00').set(admin)).status).toBe(400);
    // An integer beyond the column's range.
    const stage = await t.http().patch(`/api/stages/${constants.stageKind}/${constants.stageCode}`).set(admin).send({ sortOrder: 2 ** 31 });
    expect(stage.status).toBe(400);
    // A date-time of the right shape but no real time (month 13, hour 25) became an invalid Date.
    const session = await t.http().patch(`/api/lectures/series/${world.seriesId}/sessions/${world.sessionId}`).set(admin).send({ startsAt: '2026-13-40T25:61:00Z' });
    expect([session.status, fields(session)]).toEqual([400, ['startsAt']]);
    // A national ID sent as null is no correction: the record keeps one.
    const person = await t.http().patch(`/api/people/${world.personId}`).set(admin).send({ nationalId: null });
    expect([person.status, fields(person)]).toEqual([400, ['nationalId']]);
    expect((await changesSince(t.db.pool, mark.last)).tables).toEqual([]);
  });

  it('answers no 5xx, and no refused input writes anything', async () => {
    const routes = discoverRoutes(t.app).filter((r) => r.api && r.rule);
    for (const route of routes) {
      const reason = skipReason(route);
      if (reason) {
        skipped.push(`${route.key} (${reason})`);
        continue;
      }
      const { url } = fillWorldPath(route.path, world, constants);
      const login = route.rule!.kind === 'public' ? 'anonymous' : route.rule!.kind === 'permission' ? 'district_admin' : await signedInLogin(route, url);
      const input = fc.record({
        body: route.hasBody && WRITES.has(route.method) ? fc.option(bodyArbitrary(route), { nil: undefined, freq: 8 }) : fc.constant(undefined),
        query: route.hasQuery ? queryArbitrary(route) : fc.constant(''),
        // Mostly the world's real ids (so bodies and queries reach the service), a quarter junk; always junk when the path is the only input.
        path: !route.params.length ? fc.constant(null)
          : route.hasBody || route.hasQuery ? fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.nat(route.params.length - 1), junkPath) })
            : fc.tuple(fc.nat(route.params.length - 1), junkPath),
      });
      const samples = fc.sample(input, { numRuns: RUNS, seed: SEED });
      const row = { route: route.key, login, runs: 0, ok: 0, refused: 0, failed: 0 };
      const allowedTables = WRITES_ON_REFUSAL[route.key] ?? [];
      let wrote = false;
      const before = await databaseFingerprint(t.db.pool, ['r3_change_journal', ...allowedTables]);
      for (const sample of samples) {
        const target = sample.path ? junkedUrl(route.path, url, sample.path[0], sample.path[1]) : url;
        const full = sample.query ? `${target}?${sample.query}` : target;
        const mark = await changesSince(t.db.pool, null);
        const res = await send(route, full, login, sample.body?.raw);
        row.runs += 1;
        const shown = `${route.method} ${full.slice(0, 200)} body=${(sample.body?.raw ?? '').slice(0, 300)}`;
        if (res.status >= 500) {
          row.failed += 1;
          failures.push(`${shown} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
          continue;
        }
        if (res.status < 400) {
          row.ok += 1;
          wrote = true;
          await drain();
          continue;
        }
        row.refused += 1;
        const changed = (await changesSince(t.db.pool, mark.last)).tables.filter((name) => !allowedTables.includes(name));
        if (changed.length) {
          row.failed += 1;
          failures.push(`${shown} → ${res.status} yet wrote ${changed.join(', ')}`);
        }
      }
      if (!wrote) {
        const changed = changedTables(before, await databaseFingerprint(t.db.pool, ['r3_change_journal', ...allowedTables]));
        if (changed.length) failures.push(`${route.key}: only refusals, yet row counts or checksums changed in ${changed.join(', ')}`);
      }
      rows.push(row);
    }
    expect(rows.length).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  }, 900_000);

  async function drain(): Promise<void> {
    await (t.app.get(JobQueue) as JobQueue & { drain?: () => Promise<void> }).drain?.();
  }

  /** A signed_in route is fuzzed as the teacher (whose records the world holds), or as the district admin when only it gets through. */
  async function signedInLogin(route: RouteInfo, url: string): Promise<string> {
    const probe = async (login: string) => {
      const res = await send(route, url, login, WRITES.has(route.method) ? '{}' : undefined);
      await drain();
      return res.status;
    };
    const teacher = await probe('teacher');
    if (teacher < 400) return 'teacher';
    const admin = await probe('district_admin');
    return admin < 400 || teacher === 403 ? 'district_admin' : 'teacher';
  }

  function junkedUrl(path: string, url: string, index: number, junk: string): string {
    const pathParts = path.split('/');
    const urlParts = url.split('/');
    const positions = pathParts.map((p, i) => (p.startsWith(':') ? i : -1)).filter((i) => i >= 0);
    urlParts[positions[index % positions.length]] = junk;
    return urlParts.join('/');
  }

  async function send(route: RouteInfo, url: string, login: string, raw?: string) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let request = t.http()[method](url).redirects(0).timeout(60_000);
    if (login !== 'anonymous') request = request.set('Authorization', `Bearer ${tokens.get(login)}`);
    if (raw !== undefined) request = request.set('Content-Type', 'application/json').send(raw);
    else if (WRITES.has(route.method)) request = request.send({});
    return request;
  }

});
