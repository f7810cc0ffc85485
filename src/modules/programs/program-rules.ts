import type { FieldProblem } from '../../common/errors.js';
import { HONOURS, TITLES, type Honour, type Title } from '../people/person-records.entity.js';
import { POSTS, type Post } from '../people/person.entity.js';
import type { ProgramCriterion, ProgramEligibility } from './programs.entities.js';

/** The three tiers every district knows; any other tier of a cohort program carries its own names. */
export const COHORT_TIERS = ['seed', 'talent', 'navigator'] as const;
export const TIER_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;
/** Suggested on the form for a seed program (种子计划 members are normally 40 or younger); never enforced unless saved. */
export const SEED_DEFAULT_MAX_AGE = 40;
export const DEFAULT_CYCLE_YEARS = 3;

/** What the record says about an applicant on the day they apply (or are nominated). */
export interface ApplicantFacts {
  birthDate: string;
  post: Post | null;
  /** The latest title in effect on the day; null: none. */
  title: Title | null;
  teacherStage: string | null;
  /** Honours held on the day (awarded, not expired). */
  honours: Honour[];
  hireDate: string | null;
  /** The last day an ethics sanction withdraws program eligibility; null: none on the day. */
  ethicsBlockedUntil: string | null;
}

/** One unmet condition: a stable code and what the reader needs to understand it. */
export interface UnmetCondition {
  code: 'age_above_max' | 'age_below_min' | 'post_not_allowed' | 'title_below_min' | 'stage_not_allowed' | 'honour_missing'
    | 'service_too_short' | 'ethics_blocked';
  params: Record<string, string | number | string[]>;
}

/** Whole years from `from` to `to` (both YYYY-MM-DD), as ages are counted. */
export function fullYears(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

export const titleRank = (title: Title | null | undefined) => (title ? TITLES.indexOf(title) + 1 : 0);

/** Every condition of the program the person does not meet on `onDate` (empty: eligible). */
export function unmetConditions(rules: ProgramEligibility, facts: ApplicantFacts, onDate: string): UnmetCondition[] {
  const unmet: UnmetCondition[] = [];
  const age = fullYears(facts.birthDate, onDate);
  if (rules.maxAge !== undefined && age > rules.maxAge) unmet.push({ code: 'age_above_max', params: { max: rules.maxAge, age } });
  if (rules.minAge !== undefined && age < rules.minAge) unmet.push({ code: 'age_below_min', params: { min: rules.minAge, age } });
  if (rules.posts?.length && !(facts.post && rules.posts.includes(facts.post))) unmet.push({ code: 'post_not_allowed', params: { posts: rules.posts } });
  if (rules.minTitle && titleRank(facts.title) < titleRank(rules.minTitle)) unmet.push({ code: 'title_below_min', params: { min: rules.minTitle } });
  if (rules.stages?.length && !(facts.teacherStage && rules.stages.includes(facts.teacherStage))) {
    unmet.push({ code: 'stage_not_allowed', params: { stages: rules.stages } });
  }
  if (rules.honours?.length && !facts.honours.some((h) => rules.honours!.includes(h))) unmet.push({ code: 'honour_missing', params: { honours: rules.honours } });
  if (rules.minYearsOfService !== undefined) {
    const years = facts.hireDate ? fullYears(facts.hireDate, onDate) : 0;
    if (years < rules.minYearsOfService) unmet.push({ code: 'service_too_short', params: { min: rules.minYearsOfService, years } });
  }
  if (rules.noEthicsBlock && facts.ethicsBlockedUntil) unmet.push({ code: 'ethics_blocked', params: { until: facts.ethicsBlockedUntil } });
  return unmet;
}

/** The last day of a cycle of `years` starting on `startsOn`. */
export function cycleEnd(startsOn: string, years: number): string {
  const [y, m, d] = startsOn.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d - 1)).toISOString().slice(0, 10);
}

export type WindowState = 'not_open' | 'open' | 'closed';

export function windowState(program: { applicationsOpenAt: Date; applicationsCloseAt: Date }, now: Date): WindowState {
  if (now < program.applicationsOpenAt) return 'not_open';
  return now <= program.applicationsCloseAt ? 'open' : 'closed';
}

const ELIGIBILITY_KEYS = ['maxAge', 'minAge', 'posts', 'minTitle', 'stages', 'honours', 'minYearsOfService', 'noEthicsBlock'];
const isInt = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Problems of an eligibility object, each named by its path (`eligibility.maxAge`, `eligibility.posts[1]`). */
export function eligibilityProblems(e: unknown, stageCodes: readonly string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const bad = (field: string, code: string, message: string) => problems.push({ field: `eligibility${field ? `.${field}` : ''}`, code, message });
  if (typeof e !== 'object' || e === null || Array.isArray(e)) {
    bad('', 'isObject', 'eligibility must be an object');
    return problems;
  }
  const rules = e as Record<string, unknown>;
  for (const key of Object.keys(rules)) if (!ELIGIBILITY_KEYS.includes(key)) bad(key, 'unknown_field', `eligibility.${key} is not an allowed field`);
  for (const key of ['maxAge', 'minAge']) {
    if (rules[key] !== undefined && !isInt(rules[key], 16, 70)) bad(key, 'range', `${key} must be a whole number from 16 to 70`);
  }
  if (isInt(rules.minAge, 16, 70) && isInt(rules.maxAge, 16, 70) && (rules.minAge as number) > (rules.maxAge as number)) {
    bad('minAge', 'range', 'minAge must not be above maxAge');
  }
  if (rules.minYearsOfService !== undefined && !isInt(rules.minYearsOfService, 0, 50)) bad('minYearsOfService', 'range', 'minYearsOfService must be a whole number from 0 to 50');
  if (rules.minTitle !== undefined && !(TITLES as readonly unknown[]).includes(rules.minTitle)) bad('minTitle', 'isIn', `minTitle must be one of ${TITLES.join(', ')}`);
  if (rules.noEthicsBlock !== undefined && typeof rules.noEthicsBlock !== 'boolean') bad('noEthicsBlock', 'isBoolean', 'noEthicsBlock must be true or false');
  const lists: Array<[string, readonly string[]]> = [['posts', POSTS], ['honours', HONOURS], ['stages', stageCodes]];
  for (const [key, allowed] of lists) {
    const value = rules[key];
    if (value === undefined) continue;
    if (!Array.isArray(value)) bad(key, 'isArray', `${key} must be a list`);
    else value.forEach((v, i) => {
      if (!allowed.includes(v as string)) bad(`${key}[${i}]`, 'isIn', `must be one of ${allowed.join(', ')}`);
    });
  }
  return problems;
}

const CRITERION_KEYS = ['code', 'nameZh', 'nameEn', 'maxScore', 'weight'];
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Problems of the scoring criteria (`criteria[0].maxScore`); a cohort program needs at least one. */
export function criteriaProblems(criteria: unknown, required: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const bad = (field: string, code: string, message: string) => problems.push({ field: `criteria${field}`, code, message });
  if (!Array.isArray(criteria)) return [{ field: 'criteria', code: 'isArray', message: 'criteria must be a list' }];
  if (required && criteria.length === 0) bad('', 'arrayNotEmpty', 'name at least one scoring criterion');
  if (criteria.length > 20) bad('', 'arrayMaxSize', 'at most 20 criteria');
  const seen = new Set<string>();
  criteria.forEach((c: unknown, i) => {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return bad(`[${i}]`, 'isObject', 'each criterion is an object');
    const x = c as Record<string, unknown>;
    for (const key of Object.keys(x)) if (!CRITERION_KEYS.includes(key)) bad(`[${i}].${key}`, 'unknown_field', `${key} is not an allowed field`);
    if (typeof x.code !== 'string' || !/^[a-z][a-z0-9_]{0,39}$/.test(x.code)) bad(`[${i}].code`, 'matches', 'code must be lowercase letters, digits or _');
    else if (seen.has(x.code)) bad(`[${i}].code`, 'duplicate', `${x.code} is used twice`);
    else seen.add(x.code);
    for (const key of ['nameZh', 'nameEn']) {
      if (typeof x[key] !== 'string' || !(x[key] as string).trim() || (x[key] as string).length > 100) bad(`[${i}].${key}`, 'length', `${key} must be 1-100 characters`);
    }
    if (!isNumber(x.maxScore) || x.maxScore <= 0 || x.maxScore > 1000) bad(`[${i}].maxScore`, 'range', 'maxScore must be more than 0 and at most 1000');
    if (!isNumber(x.weight) || x.weight <= 0 || x.weight > 100) bad(`[${i}].weight`, 'range', 'weight must be more than 0 and at most 100');
  });
  return problems;
}

/** The criteria as stored: trimmed names, numbers kept. */
export function normaliseCriteria(criteria: ProgramCriterion[]): ProgramCriterion[] {
  return criteria.map((c) => ({ code: c.code, nameZh: c.nameZh.trim(), nameEn: c.nameEn.trim(), maxScore: c.maxScore, weight: c.weight }));
}

/** A whole program definition as it would be stored (the fields cross-checked here). */
export interface DefinitionShape {
  kind: 'cohort' | 'contest';
  tier: string;
  tierNameZh?: string | null;
  tierNameEn?: string | null;
  startsOn: string;
  endsOn: string;
  applicationsOpenAt: string;
  applicationsCloseAt: string;
  eligibility: unknown;
  criteria: unknown;
  contestPosts: unknown;
}

/** What a valid definition needs beyond each field's own format: tiers and their names, contests' posts, dates in order. */
export function definitionProblems(d: DefinitionShape, stageCodes: readonly string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const bad = (field: string, code: string, message: string) => problems.push({ field, code, message });
  if (d.kind === 'contest') {
    if (d.tier !== 'contest') bad('tier', 'isIn', 'a contest has the tier contest');
    if (!Array.isArray(d.contestPosts) || d.contestPosts.length === 0) bad('contestPosts', 'arrayNotEmpty', 'name the posts that may enter the contest');
  } else {
    if (d.tier === 'contest') bad('tier', 'isIn', 'the tier contest is for contests');
    if (Array.isArray(d.contestPosts) && d.contestPosts.length) bad('contestPosts', 'isEmpty', 'only contests name posts that may enter');
    if (!(COHORT_TIERS as readonly string[]).includes(d.tier)) {
      if (!d.tierNameZh) bad('tierNameZh', 'required', 'a custom tier needs its Chinese name');
      if (!d.tierNameEn) bad('tierNameEn', 'required', 'a custom tier needs its English name');
    }
  }
  if (Array.isArray(d.contestPosts)) d.contestPosts.forEach((p, i) => {
    if (!(POSTS as readonly unknown[]).includes(p)) bad(`contestPosts[${i}]`, 'isIn', `must be one of ${POSTS.join(', ')}`);
  });
  if (d.endsOn <= d.startsOn) bad('endsOn', 'isAfter', 'endsOn must be after startsOn');
  if (new Date(d.applicationsCloseAt).getTime() <= new Date(d.applicationsOpenAt).getTime()) {
    bad('applicationsCloseAt', 'isAfter', 'applicationsCloseAt must be after applicationsOpenAt');
  }
  problems.push(...eligibilityProblems(d.eligibility, stageCodes), ...criteriaProblems(d.criteria, d.kind === 'cohort'));
  return problems;
}
