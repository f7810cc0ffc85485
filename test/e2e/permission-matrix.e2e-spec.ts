import { ROLE_PERMISSIONS, type Permission } from '../../src/common/permissions.js';
import type { Role } from '../../src/modules/auth/auth.entities.js';
import {
  changedTables, databaseFingerprint, describeRule, discoverRoutes, fillWorldPath, writeReportSection, type PathConstants, type RouteInfo,
} from '../support/route-inventory.js';
import { matrixFixtures, type World } from '../support/matrix-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every route × every demo login, the expected answer computed from the route's declaration:
 * public: never 401/403; signed_in: 401 for anonymous; a permission: 401 anonymous, 403 for a login
 * holding it nowhere, anything but 401/403 (and never 5xx) for a login holding it. Then the same GETs
 * on a second district's records: 404 for every login that reaches the route. Writes are sent only
 * by logins that may not make them, and must leave the database as it was.
 */
const LOGINS = ['anonymous', 'teacher', 'trainer', 'expert', 'kg_admin', 'group_admin', 'district_admin', 'city_admin'] as const;
type Login = (typeof LOGINS)[number];
type Expectation = 'allowed' | 'unauthenticated' | 'forbidden';
/** Where the counts go for docs/reliability.md (set RELIABILITY_REPORT=<file> to write them). */
const REPORT = process.env.RELIABILITY_REPORT;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
type Answer = { status: number; headers: Record<string, string>; body?: { error?: { code?: string } } };

/** Logins with a person record (staff): the others are accounts only. */
const STAFF = new Set<Login>(['teacher', 'kg_admin']);
const SELF_ROUTE = /^\/(api\/)?me(\/|$|\.)|^\/my-learning$|^\/learning\/|^\/api\/offerings\/:id\/(my-items|eligibility)$/;

/**
 * Answers that differ from the rule, each with its reason. Kept small: a route lands here only when the
 * difference is the product's intent, not a bug. `code` is checked on API answers.
 */
const EXCEPTIONS: Array<{ match: (route: RouteInfo, login: Login) => boolean; allow: Array<{ status: number; code?: string }>; why: string }> = [
  {
    match: (route, login) => SELF_ROUTE.test(route.path) && !STAFF.has(login) && login !== 'anonymous',
    allow: [{ status: 404 }, { status: 403, code: 'NO_PERSON_RECORD' }],
    why: "a learner's own routes (/me, /api/me, /my-learning, /learning, my-items, eligibility) answer 404, or 403 NO_PERSON_RECORD for enrolment, to an account without a person record",
  },
  {
    match: (route, login) => ['GET /api/rotations', 'GET /api/exports/:kind', 'POST /api/exports/:kind', 'POST /exports/:kind'].includes(route.key) && login !== 'anonymous',
    allow: [{ status: 403, code: 'FORBIDDEN' }],
    why: 'signed_in routes serving several permissions check them in the handler: the rotation list (rotation.manage or mentoring.manage) and exports (each kind its own permission) answer 403 to logins holding none',
  },
  {
    match: (route, login) => ['GET /api/lectures/overview', 'GET /lectures/city'].includes(route.key) && login === 'district_admin',
    allow: [{ status: 404 }],
    why: "the city's oversight of lecture-series filings answers 404 to a district admin: lectures.oversee counts only where held at a city unit",
  },
];

/** Query strings some GET routes need (their required filters), from the world the path is filled from. */
const QUERIES: Record<string, (world: World) => string> = {
  'GET /api/exports/:kind': () => 'format=csv',
  'GET /api/lectures/overview': () => 'semester=2026-autumn',
  'GET /api/mentoring/suggestions': (world) => `menteePersonId=${world.personId}`,
  'GET /api/reports/rotation-headcount': () => 'on=2026-05-01',
  'GET /api/offerings/:id/gradebook/export': () => 'format=csv',
  'GET /api/rubrics/:id/export': () => 'format=csv',
};

describe('permission matrix', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  let home: World;
  let foreign: World;
  let constants: PathConstants;
  const tokens = new Map<Login, string>();
  const permissions = new Map<Login, Set<Permission>>();
  const randomIds: string[] = [];
  const counts = { inScope: 0, outOfScope: 0, outOfScopeWrites: 0, deniedWrites: 0, routes: 0, apiRoutes: 0, pageRoutes: 0 };

  beforeAll(async () => {
    t = await startTestApp();
    routes = discoverRoutes(t.app);
    const fixtures = matrixFixtures(t);
    home = await fixtures.buildWorld(await fixtures.demoAnchor());
    foreign = await fixtures.buildWorld(await fixtures.foreignAnchor());
    const stage = (await t.db.pool.query(`SELECT kind, code FROM stage_definition ORDER BY kind DESC, sort_order LIMIT 1`)).rows[0] as { kind: string; code: string };
    const scheme = (await t.db.pool.query(`SELECT code FROM requirement_scheme ORDER BY code LIMIT 1`)).rows[0] as { code: string };
    constants = { schemeCode: scheme.code, stageKind: stage.kind, stageCode: stage.code, year: String(new Date().getFullYear()), semester: '2026-autumn' };
    for (const login of LOGINS) {
      if (login === 'anonymous') {
        permissions.set(login, new Set());
        continue;
      }
      tokens.set(login, await t.token(login));
      const { rows } = await t.db.pool.query<{ role: Role }>(`SELECT DISTINCT r.role FROM role_assignment r JOIN app_user u ON u.id = r.user_id WHERE u.username = $1`, [login]);
      permissions.set(login, new Set(rows.flatMap((r) => ROLE_PERMISSIONS[r.role])));
    }
  }, 120_000);
  afterAll(async () => {
    writeReportSection(REPORT, 'permission-matrix', [
      '## Permission matrix (test/e2e/permission-matrix.e2e-spec.ts)',
      `- routes discovered: ${counts.routes} (${counts.apiRoutes} API, ${counts.pageRoutes} pages), logins: ${LOGINS.join(', ')}`,
      `- route × login checks, demo district ids: ${counts.inScope}`,
      `- route × login checks, second district's records (GET, expected 404): ${counts.outOfScope}`,
      `- denied writes (401/403, database unchanged): ${counts.deniedWrites}`,
      `- writes to the second district's records by logins holding the permission in their own (refused, database unchanged): ${counts.outOfScopeWrites}`,
      `- total checked: ${counts.inScope + counts.outOfScope + counts.outOfScopeWrites}`,
      `- routes filled with a random id (nothing to resolve; expected 404): ${randomIds.join(', ') || 'none'}`,
      `- exceptions: ${EXCEPTIONS.map((e) => e.why).join('; ')}`,
    ].join('\n'));
    console.log(`permission matrix: ${counts.routes} routes; ${counts.inScope} route × login checks on the demo district `
      + `(${counts.deniedWrites} refused writes), ${counts.outOfScope} reads and ${counts.outOfScopeWrites} writes on the second district: `
      + `${counts.inScope + counts.outOfScope + counts.outOfScopeWrites} in all`);
    await t.close();
  });

  function expectation(route: RouteInfo, login: Login): Expectation {
    const rule = route.rule!;
    if (rule.kind === 'public') return 'allowed';
    if (login === 'anonymous') return 'unauthenticated';
    if (rule.kind === 'signed_in') return 'allowed';
    return permissions.get(login)!.has(rule.permission) ? 'allowed' : 'forbidden';
  }

  async function send(route: RouteInfo, url: string, login: Login) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let request = t.http()[method](url).redirects(0);
    if (login !== 'anonymous') request = request.set('Authorization', `Bearer ${tokens.get(login)}`);
    if (!route.api) request = request.set('Accept', 'text/html');
    if (WRITES.has(route.method)) request = request.send({});
    return request;
  }

  /** What went wrong with this answer, or null when it is the expected one. */
  function excepted(route: RouteInfo, login: Login, res: Answer): boolean {
    return EXCEPTIONS.some((e) => e.match(route, login) && e.allow.some((a) => a.status === res.status && (!a.code || !route.api || a.code === res.body?.error?.code)));
  }

  function verdict(route: RouteInfo, login: Login, res: Answer, expected: Expectation, strict: boolean): string | null {
    if (excepted(route, login, res)) return null;
    const { status } = res;
    const location = res.headers.location as string | undefined;
    if (status >= 500) return `answered ${status}`;
    if (expected === 'unauthenticated') {
      if (route.api) return status === 401 ? null : `expected 401, got ${status}`;
      return status === 303 && location?.startsWith('/login') ? null : `expected 303 to /login, got ${status} ${location ?? ''}`;
    }
    if (expected === 'forbidden') return status === 403 ? null : `expected 403, got ${status}`;
    if (status === 401 || status === 403) return `expected access, got ${status}`;
    if (strict && status >= 400) return `expected 2xx/3xx for the district admin, got ${status}`;
    return null;
  }

  it('every route declares who may call it', () => {
    counts.routes = routes.length;
    counts.apiRoutes = routes.filter((r) => r.api).length;
    counts.pageRoutes = routes.length - counts.apiRoutes;
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.filter((r) => !r.rule).map((r) => r.key)).toEqual([]);
  });

  it('answers every route as its declaration says, for every login, on the demo district', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.rule)) {
      const { url, unresolved } = fillWorldPath(route.path, home, constants);
      if (unresolved.length) randomIds.push(route.key);
      const query = QUERIES[route.key] ? `?${QUERIES[route.key](home)}` : '';
      const write = WRITES.has(route.method);
      const before = write ? await databaseFingerprint(t.db.pool) : null;
      for (const login of LOGINS) {
        const expected = expectation(route, login);
        // Writes go out only where they must be refused: nothing here changes data as a permitted login.
        if (write && expected === 'allowed') continue;
        const res = await send(route, url + query, login);
        counts.inScope += 1;
        if (write) counts.deniedWrites += 1;
        // The district admin holds every permission over the demo district: its reads of the district's records succeed.
        const strict = !write && !unresolved.length && login === 'district_admin' && route.rule!.kind !== 'public';
        let problem = verdict(route, login, res, expected, strict);
        // A parameter nothing resolves is a random id: whoever may call the route is told it does not exist.
        if (!problem && !write && unresolved.length && expected === 'allowed' && res.status !== 404 && !excepted(route, login, res)) problem = `expected 404 for a random id, got ${res.status}`;
        if (problem) failures.push(`${route.key} [${describeRule(route.rule)}] as ${login}: ${problem}${unresolved.length ? ` (unresolved ${unresolved.join(',')})` : ''}`);
      }
      if (before) {
        const changed = changedTables(before, await databaseFingerprint(t.db.pool));
        if (changed.length) failures.push(`${route.key}: refused writes changed ${changed.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it("answers 404 to every login that reaches a route, for the second district's records", async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.rule && r.method === 'GET' && r.params.length)) {
      const { url, scoped } = fillWorldPath(route.path, foreign, constants);
      if (!scoped || route.rule!.kind === 'public') continue;
      const query = QUERIES[route.key] ? `?${QUERIES[route.key](foreign)}` : '';
      for (const login of LOGINS) {
        if (login === 'anonymous') continue;
        const expected = expectation(route, login);
        const res = await send(route, url + query, login);
        counts.outOfScope += 1;
        const want = expected === 'allowed' ? 404 : 403;
        if (res.status !== want && !excepted(route, login, res)) failures.push(`${route.key} [${describeRule(route.rule)}] as ${login}: expected ${want}, got ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it("refuses writes to the second district's records from logins that hold the permission only in their own, changing nothing", async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.rule && WRITES.has(r.method) && r.params.length && r.rule.kind !== 'public')) {
      const { url, scoped } = fillWorldPath(route.path, foreign, constants);
      if (!scoped) continue;
      const query = QUERIES[route.key] ? `?${QUERIES[route.key](foreign)}` : '';
      const before = await databaseFingerprint(t.db.pool);
      for (const login of LOGINS) {
        if (login === 'anonymous' || expectation(route, login) !== 'allowed') continue;
        const res = await send(route, url + query, login);
        counts.outOfScopeWrites += 1;
        // 404 for the record; 400 when the body is refused before the record is looked up. Pages redirect back with the refusal.
        // An account without a person record asking to enrol itself is refused before the offering is looked up.
        const refused = res.status === 404 || res.status === 400 || (!route.api && res.status === 303 && !res.headers.location?.startsWith('/login'))
          || (res.status === 403 && res.body?.error?.code === 'NO_PERSON_RECORD');
        if (!refused && !excepted(route, login, res)) failures.push(`${route.key} [${describeRule(route.rule)}] as ${login}: expected 404 or 400, got ${res.status}`);
      }
      const changed = changedTables(before, await databaseFingerprint(t.db.pool));
      if (changed.length) failures.push(`${route.key}: a write to the second district changed ${changed.join(', ')}`);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
