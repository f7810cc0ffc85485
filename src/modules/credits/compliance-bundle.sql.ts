import type { CycleRow, LedgerLine, PersonFacts, SchemeRow } from './compliance.query.js';
import type { CreditSource } from './credit.entities.js';
import { ENTRY_STANDS } from './credit-entry.sql.js';

/*
 * Everything one person's compliance needs, read in ONE statement (a page or an API call for one
 * person is mostly round trips otherwise): the schemes, the cycles, the person's place, post and
 * stage history, and their ledger net of corrections. The batch path for reports stays one query
 * per kind (compliance.query.ts); both must read the same facts.
 */

/** The org path of the unit an org path ends at, and of every unit above it, as ids (paths are ids and slashes). */
export const ancestorIdsSql = (path: string) => `string_to_array(btrim(${path}, '/'), '/')::uuid[]`;

export const SCHEME_COLUMNS = `id, code, name_zh AS "nameZh", name_en AS "nameEn", region_code AS "regionCode", posts, teacher_stages AS "teacherStages",
  principal_stages AS "principalStages", unit, cycle_kind AS "cycleKind", total::float AS total, rules,
  to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom", to_char(effective_to, 'YYYY-MM-DD') AS "effectiveTo", editable, version, updated_at AS "updatedAt"`;

/** Regional schemes first, then the five-year ones, then by start: the order pages and results show them in. */
export const SCHEME_ORDER = `region_code IS NULL, array_position(ARRAY['region_cycle','probation_year','before_post'], cycle_kind), effective_from, code`;

/**
 * From clause: `q.id` the person asked for; `p` the person (null when unknown: the schemes and
 * cycles still come back, so a bad scheme or cycle code is told before an unknown person),
 * `d` their district, `k` their current kindergarten.
 */
export const bundleFrom = (personParam: string) => `(SELECT ${personParam}::uuid AS id) q
  LEFT JOIN person p ON p.id = q.id
  LEFT JOIN org_unit d ON d.id = p.district_id
  LEFT JOIN org_unit k ON k.id = p.current_org_unit_id`;

/** Where the person is counted: their kindergarten, else their district. */
export const PLACE_SQL = 'coalesce(k.path, d.path)';

/**
 * The keys and values of a json_build_object over `bundleFrom`: one JSON column, since the
 * driver's cost per column of a result is far above its cost per byte of JSON. The ledger entries,
 * a hundred or more a person, come as arrays of their fields (EntryTuple), not objects: building
 * and parsing their keys was a fifth of the statement's time. `until`: a date
 * parameter bounding the ledger (compliance as of a day), or null for the whole ledger (a
 * transcript also shows a cycle's later entries).
 */
export function bundleFields(until: string | null): string {
  return `'requestedId', q.id, 'personId', p.id, 'orgPath', ${PLACE_SQL},
    'hireDate', to_char(p.hire_date, 'YYYY-MM-DD'), 'currentPost', p.current_post, 'teacherStage', p.teacher_stage, 'principalStage', p.principal_stage,
    'regionCodes', (SELECT array_agg(a.code ORDER BY a.depth) FROM org_unit a WHERE a.id = ANY (${ancestorIdsSql(PLACE_SQL)})),
    'employments', (SELECT json_agg(json_build_object('post', x.post, 'startDate', to_char(x.start_date, 'YYYY-MM-DD'), 'endDate', to_char(x.end_date, 'YYYY-MM-DD'))
                              ORDER BY x.start_date, x.created_at)
                      FROM employment x WHERE x.person_id = p.id),
    'stages', (SELECT json_agg(json_build_object('kind', s.kind, 'stage', s.stage, 'effectiveDate', to_char(s.effective_date, 'YYYY-MM-DD'))
                         ORDER BY s.effective_date, s.created_at)
                 FROM stage_record s WHERE s.person_id = p.id),
    'entries', (SELECT json_agg(json_build_array(e.id, e.title, e.occurred_on, e.category, e.level, e.hours::float, e.credits::float, e.cycle_id, e.source)
                          ORDER BY e.occurred_on, e.recorded_at, e.id)
                  FROM credit_entry e WHERE e.person_id = p.id AND ${ENTRY_STANDS}${until ? ` AND e.occurred_on <= ${until}::date` : ''}),
    'schemes', (SELECT json_agg(s ORDER BY s."regionCode" IS NULL, array_position(ARRAY['region_cycle','probation_year','before_post'], s."cycleKind"), s."effectiveFrom", s.code)
                  FROM (SELECT ${SCHEME_COLUMNS} FROM requirement_scheme) s),
    'cycles', (SELECT json_agg(c ORDER BY c."startsOn")
                 FROM (SELECT id, code, region_code AS "regionCode", name_zh AS "nameZh", name_en AS "nameEn",
                              to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn" FROM credit_cycle) c)`;
}

/** A ledger line with what a transcript shows besides (the cycle it was filed under, where it came from). */
export interface BundleEntry extends LedgerLine {
  cycleId: string | null;
  source: CreditSource;
}

export interface ComplianceBundle {
  requestedId: string;
  /** Null when no such person. */
  person: PersonFacts | null;
  orgPath: string | null;
  schemes: SchemeRow[];
  cycles: Array<CycleRow & { id: string }>;
  /** Oldest first, net of corrections (bounded by `until` when one was given). */
  entries: BundleEntry[];
}

/** An entry's fields in the order the statement lists them: id, title, occurredOn (a JSON date), category, level, hours, credits, cycleId, source. */
type EntryTuple = [string, string, string, LedgerLine['category'], LedgerLine['level'], number, number, string | null, CreditSource];

export interface BundleRow {
  requestedId: string;
  personId: string | null;
  orgPath: string | null;
  hireDate: string | null;
  currentPost: string | null;
  teacherStage: string | null;
  principalStage: string | null;
  regionCodes: string[] | null;
  employments: PersonFacts['employments'] | null;
  stages: PersonFacts['stages'] | null;
  entries: EntryTuple[] | null;
  schemes: Array<Omit<SchemeRow, 'updatedAt'> & { updatedAt: string }> | null;
  cycles: Array<CycleRow & { id: string }> | null;
}

export function parseBundle(row: BundleRow): ComplianceBundle {
  const person: PersonFacts | null = row.personId
    ? {
      id: row.personId, hireDate: row.hireDate, currentPost: row.currentPost, teacherStage: row.teacherStage, principalStage: row.principalStage,
      regionCodes: row.regionCodes ?? [], employments: row.employments ?? [], stages: row.stages ?? [],
    }
    : null;
  return {
    requestedId: row.requestedId,
    person,
    orgPath: row.orgPath,
    schemes: (row.schemes ?? []).map((s) => ({ ...s, updatedAt: new Date(s.updatedAt) })),
    cycles: row.cycles ?? [],
    entries: (row.entries ?? []).map(([id, title, occurredOn, category, level, hours, credits, cycleId, source]) =>
      ({ id, personId: row.personId!, title, occurredOn, category, level, hours, credits, cycleId, source })),
  };
}
