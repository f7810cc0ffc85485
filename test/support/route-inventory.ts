import { MetadataScanner, Reflector } from '@nestjs/core';
import { PATH_METADATA, METHOD_METADATA, ROUTE_ARGS_METADATA, PARAMTYPES_METADATA, RESPONSE_PASSTHROUGH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { World } from './matrix-fixtures.js';
import { ACCESS_RULE, type AccessRule } from '../../src/common/authorize.decorator.js';

/** Nest's numbering of route argument kinds (`@Body`, `@Query`, `@Param`, …). */
const BODY = 3;
const QUERY = 4;
const RESPONSE = 1;

/** One route as Nest registered it, with what the test suites need to know about its inputs. */
export interface RouteInfo {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ALL';
  /** Express-style path with a leading slash, e.g. `/api/offerings/:id/enrolments`. */
  path: string;
  /** Null when the route declares nothing (the global guard refuses it; the suites fail on it). */
  rule: AccessRule | null;
  controller: string;
  handler: string;
  /** `/api/...` routes answer JSON; others are pages (HTML, redirects, downloads). */
  api: boolean;
  /** Path parameter names in order of appearance. */
  params: string[];
  /** The `@Body()` argument's class when the handler takes a DTO (null for plain records or no body). */
  bodyType: unknown;
  /** Field names of a body documented by a schema rather than a class. */
  bodySchemaFields: string[];
  hasBody: boolean;
  hasQuery: boolean;
  /** The `@Query()` argument's class (whole-object query DTO) or names of single `@Query('x')` arguments. */
  queryType: unknown;
  queryNames: string[];
  /** Reads a multipart upload (`@Upload()` / `@UploadedFileList()`). */
  upload: boolean;
  /** Writes the response itself (`@Res()`), e.g. a file download or a redirect. */
  rawResponse: boolean;
  key: string;
}

interface ControllerWrapper { metatype: new () => object; instance: object }
interface ModuleLike { controllers: Map<unknown, ControllerWrapper> }

/** Every route of the running application, read from Nest's metadata (the same discovery as the route-declarations spec). */
export function discoverRoutes(app: INestApplication): RouteInfo[] {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const container = (app as unknown as { container: { getModules(): Map<string, ModuleLike> } }).container;
  const routes: RouteInfo[] = [];
  const seen = new Set<unknown>();
  for (const module of container.getModules().values()) {
    for (const wrapper of module.controllers.values()) {
      if (seen.has(wrapper.metatype)) continue;
      seen.add(wrapper.metatype);
      const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
      const bases = asArray(Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string | string[] | undefined);
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        const paths = asArray(Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined);
        if (!paths.length) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] as RouteInfo['method'];
        const rule = (reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [handler as () => void, wrapper.metatype]) ?? null);
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, wrapper.metatype, name) ?? {}) as Record<string, { index: number; data?: unknown; factory?: (...a: unknown[]) => unknown }>;
        const types = (Reflect.getMetadata(PARAMTYPES_METADATA, prototype, name) ?? []) as unknown[];
        let bodyType: unknown = null;
        let hasBody = false;
        let hasQuery = false;
        let queryType: unknown = null;
        const queryNames: string[] = [];
        let upload = false;
        let rawResponse = false;
        for (const [key, arg] of Object.entries(args)) {
          const kind = Number(key.split(':')[0]);
          if (key.includes('__customRouteArgs__')) {
            const source = String(arg.factory);
            if (/\.uploads?\b/.test(source)) upload = true;
            continue;
          }
          if (kind === BODY) {
            hasBody = true;
            if (arg.data === undefined) bodyType = types[arg.index] ?? null;
          } else if (kind === QUERY) {
            hasQuery = true;
            if (typeof arg.data === 'string') queryNames.push(arg.data);
            else queryType = types[arg.index] ?? null;
          } else if (kind === RESPONSE && !Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, wrapper.metatype, name)) {
            rawResponse = true;
          }
        }
        // A plain-record body checked inside the service documents its DTO (or schema) with @ApiBody.
        const documented = ((Reflect.getMetadata('swagger/apiParameters', handler) ?? []) as Array<{ in?: string; type?: unknown; schema?: { properties?: Record<string, unknown> } }>)
          .find((p) => p.in === 'body');
        if (isPlainType(bodyType) && documented && !isPlainType(documented.type)) bodyType = documented.type;
        const bodySchemaFields = Object.keys(documented?.schema?.properties ?? {});
        if (isPlainType(bodyType)) bodyType = null;
        if (isPlainType(queryType)) queryType = null;
        for (const base of bases.length ? bases : ['']) {
          for (const sub of paths) {
            const path = `/${[base, sub].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
            const params = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
            routes.push({
              method, path, rule, controller: wrapper.metatype.name, handler: name, api: path === '/api' || path.startsWith('/api/'),
              params, bodyType, bodySchemaFields, hasBody, hasQuery, queryType, queryNames, upload, rawResponse, key: `${method} ${path}`,
            });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

function asArray(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isPlainType(type: unknown): boolean {
  return type === Object || type === String || type === Number || type === Boolean || type === Array || type === undefined;
}

/** Fills `:name` parameters from a map (missing names get the fallback). */
export function fillPath(path: string, values: Record<string, string>, fallback: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(values[name] ?? fallback));
}

export function describeRule(rule: AccessRule | null): string {
  if (!rule) return 'UNDECLARED';
  return rule.kind === 'permission' ? rule.permission : rule.kind;
}

/** Columns that legitimately change on any request (a session's last use is refreshed every minute). */
const VOLATILE_COLUMNS: Record<string, string[]> = { auth_session: ['last_seen_at'] };

/** Per table: row count and a checksum of every row (volatile columns left out). Cheap on the test database (~10k rows). */
export async function databaseFingerprint(pool: Pool, skip: readonly string[] = []): Promise<Map<string, string>> {
  const { rows: tables } = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const parts = tables.filter((table) => !skip.includes(table.name)).map((table) => {
    const volatile = VOLATILE_COLUMNS[table.name];
    const text = volatile ? `(to_jsonb(x) - ${volatile.map((c) => `'${c}'`).join(' - ')})::text` : 'x::text';
    return `SELECT '${table.name}' AS name, count(*)::text || ':' || coalesce(sum(hashtext(${text})::bigint), 0)::text AS print FROM "${table.name}" x`;
  });
  const { rows } = await pool.query<{ name: string; print: string }>(parts.join(' UNION ALL '));
  return new Map(rows.map((r) => [r.name, r.print]));
}

/** Tables whose count or checksum differ between two fingerprints. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

/** Replaces this suite's section of the report file named by RELIABILITY_REPORT (each suite owns one section); nothing without it. */
export function writeReportSection(file: string | undefined, section: string, body: string): void {
  if (!file) return;
  const begin = `<!-- ${section} -->`;
  const end = `<!-- /${section} -->`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Reliability and security proof (R3)\n';
  const block = `${begin}\n${body.trim()}\n${end}`;
  const pattern = new RegExp(`${begin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\\S]*?${end.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  writeFileSync(file, pattern.test(current) ? current.replace(pattern, block) : `${current.trimEnd()}\n\n${block}\n`);
}

/**
 * Row triggers on every table recording each committed change in `r3_change_journal` (a rolled-back
 * write leaves no entry; an update that changes nothing, or only a session's last_seen_at, is no change).
 * Test instrumentation on the test's own database copy.
 */
export async function installChangeJournal(pool: Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE r3_change_journal (id bigserial PRIMARY KEY, table_name text NOT NULL, op text NOT NULL);
    CREATE FUNCTION r3_journal() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) - 'last_seen_at') = (to_jsonb(NEW) - 'last_seen_at') THEN RETURN NULL; END IF;
      INSERT INTO r3_change_journal (table_name, op) VALUES (TG_TABLE_NAME, TG_OP);
      RETURN NULL;
    END $$;`);
  const { rows } = await pool.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'r3_change_journal'`);
  for (const { name } of rows) {
    await pool.query(`CREATE TRIGGER r3_journal AFTER INSERT OR UPDATE OR DELETE ON "${name}" FOR EACH ROW EXECUTE FUNCTION r3_journal()`);
  }
}

/** The journal's last entry, and the tables changed after `since` (all entries when null: only `last` is of use then). */
export async function changesSince(pool: Pool, since: number | null): Promise<{ last: number; tables: string[] }> {
  const { rows } = await pool.query<{ last: string | null; tables: string[] | null }>(
    `SELECT (SELECT max(id) FROM r3_change_journal) AS last,
            CASE WHEN $1::bigint IS NULL THEN NULL ELSE (SELECT array_agg(DISTINCT table_name) FROM r3_change_journal WHERE id > $1::bigint) END AS tables`, [since]);
  return { last: Number(rows[0].last ?? 0), tables: rows[0].tables ?? [] };
}

/** Constant path values (codes of global records, years, kinds): the same in every district, so never "out of scope". */
export interface PathConstants {
  schemeCode: string;
  stageKind: string;
  stageCode: string;
  year: string;
  semester: string;
}

type Resolver = keyof World | { constant: keyof PathConstants | string };

/**
 * Which record a path parameter names, by the segment before it and its name. A path whose parameter
 * is missing here gets a random UUID (the route must then answer 404, never 5xx).
 */
const RESOLVERS: Record<string, Resolver> = {
  'activities/:id': 'activityId',
  'applications/:applicationId': 'applicationId',
  'program-applications/:id': 'applicationId',
  'title-applications/:id': 'titleApplicationId',
  'titles/applications/:id': 'titleApplicationId',
  'approvals/:id': 'enrollmentId',
  'certificates/:id': 'certificateId',
  'claims/:id': 'claimId',
  'contest-entries/:id': 'contestEntryId',
  'courses/:id': 'courseId',
  'credits/:entryId': 'creditEntryId',
  'definitions/:id': 'targetId',
  'employments/:employmentId': 'employmentId',
  'enrollments/:id': 'enrollmentId',
  'entries/:entryId': 'contestEntryId',
  'ethics-sanctions/:sanctionId': 'sanctionId',
  'ethics/:sanctionId': 'sanctionId',
  'files/:id': 'fileId',
  'grade/:enrollmentId': 'enrollmentId',
  'grades/:enrollmentId': 'enrollmentId',
  'roster/:enrollmentId': 'enrollmentId',
  'rows/:enrollmentId': 'enrollmentId',
  'groups/:id': 'groupId',
  'imports/:id': 'importId',
  'items/:id': 'itemId',
  'items/:itemId': 'itemId',
  'jobs/:id': 'exportJobId',
  'materials/:id': 'materialId',
  'materials/:materialId': 'materialId',
  'meetings/:id': 'meetingId',
  'meetings/:meetingId': 'meetingId',
  'members/:memberId': 'memberId',
  'program-members/:id': 'memberId',
  'milestones/:id': 'milestoneId',
  'milestones/:milestoneId': 'milestoneId',
  'notifications/:id': 'notificationId',
  'offerings/:id': 'offeringId',
  'org-units/:id': 'kindergartenId',
  'org/:id': 'kindergartenId',
  'outputs/:id': 'outputId',
  'outputs/:outputId': 'outputId',
  'pairings/:id': 'pairingId',
  'people/:id': 'personId',
  'people/:personId': 'personId',
  'program-reviews/:applicationId': 'applicationId',
  'programs/:id': 'programId',
  'reviewers/:userId': 'reviewerUserId',
  'reviews/:id': 'reviewId',
  'roles/:assignmentId': 'roleAssignmentId',
  'rotations/:id': 'rotationId',
  'rubrics/:id': 'rubricId',
  'series/:id': 'seriesId',
  'sessions/:sessionId': 'sessionId',
  'submissions/:id': 'submissionId',
  'targets/:id': 'targetId',
  'teams/:id': 'teamId',
  'users/:id': 'learnerUserId',
  'verify/:code': 'certificateCode',
  'schemes/:code': { constant: 'schemeCode' },
  'stages/:kind': { constant: 'stageKind' },
  ':kind/:code': { constant: 'stageCode' },
  'pledges/:year': { constant: 'year' },
  'deadlines/:semester': { constant: 'semester' },
  'exports/:kind': { constant: 'people' },
  'templates/:kind': { constant: 'staff' },
};

export interface FilledPath {
  url: string;
  /** At least one parameter names a record of the world's district. */
  scoped: boolean;
  /** Parameters nothing resolves (filled with a random UUID). */
  unresolved: string[];
}

/** The route's path with its parameters naming the world's records. */
export function fillWorldPath(path: string, world: World, constants: PathConstants): FilledPath {
  const segments = path.split('/');
  let scoped = false;
  const unresolved: string[] = [];
  const filled = segments.map((segment, i) => {
    if (!segment.startsWith(':')) return segment;
    const previous = segments[i - 1] ?? '';
    const key = `${previous}/${segment}`;
    let resolver: Resolver | undefined = RESOLVERS[`${segments[i - 2] ?? ''}/${key}`] ?? RESOLVERS[key];
    // A contest is a program of kind `contest`: its routes live under /programs/:id/contest.
    if (key === 'programs/:id' && segments[i + 1] === 'contest') resolver = 'contestId';
    if (key === 'items/:id' && segments[i + 1] === 'survey-results') resolver = 'surveyItemId';
    if (!resolver) {
      unresolved.push(segment);
      return randomUUID();
    }
    if (typeof resolver === 'object') {
      const value = (constants as unknown as Record<string, string>)[resolver.constant] ?? resolver.constant;
      return encodeURIComponent(value);
    }
    if (resolver !== 'certificateCode') scoped = true;
    return encodeURIComponent(world[resolver]);
  });
  return { url: filled.join('/'), scoped, unresolved };
}
