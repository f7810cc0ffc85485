import type { EducationLevel } from '../people/person.entity.js';
import { EDUCATION_LEVELS } from '../people/person.entity.js';
import type { CertificateKind, Title } from '../people/person-records.entity.js';
import { TITLES } from '../people/person-records.entity.js';
import type { TitleConditions } from './titles.entities.js';

/** One condition of the next title: met now or not, and the date it will be met if nothing changes (null: never or unknown). */
export interface ConditionResult {
  code: string;
  met: boolean;
  metOn: string | null;
  /** Why metOn is null, or why the condition cannot be met: 'never', 'unknown', 'education_below_minimum', 'unknown_condition', ... */
  reason: string | null;
  details: Record<string, unknown>;
}

export interface EligibilityResult {
  currentTitle: Title | null;
  currentSince: string | null;
  nextTitle: Title | null;
  ruleId: string | null;
  ruleRegion: string | null;
  conditions: ConditionResult[];
  /** The latest metOn of all conditions; null if any is never or unknown (or there is no next title). */
  eligibleOn: string | null;
  eligibleNow: boolean;
}

/** What the record says about the person, as of the evaluation date. */
export interface EligibilityFacts {
  educationLevel: EducationLevel;
  hireDate: string | null;
  currentTitle: Title | null;
  currentTitleSince: string | null;
  /** Held certificates (unexpired at asOf) by kind, with the issue date. */
  certificates: Array<{ kind: CertificateKind; issuedOn: string; expiresOn: string | null }>;
  /** The latest day any ethics sanction blocks promotion (null: none); '9999-12-31' for dismissal. */
  ethicsBlockedUntil: string | null;
  /** The person's scheme(s) complete for the current cycle; null when not known. */
  creditsComplete: boolean | null;
  /** Employment periods in kindergartens of the grades some extra condition counts (see WEAKER_GRADES). */
  serviceByGrade: Array<{ from: string; to: string | null; grade: string }>;
}

export interface RuleInForce {
  id: string;
  regionCode: string | null;
  conditions: TitleConditions;
}

const NEVER = '9999-12-31';

/** Kindergarten grades counted as "weaker" by a rural_service condition unless it lists its own `grades`. */
export const WEAKER_GRADES: readonly string[] = ['second', 'third', 'unrated'];

export function titleRank(title: Title | null): number {
  return title === null ? -1 : TITLES.indexOf(title);
}

export function nextTitleAfter(title: Title | null): Title | null {
  return TITLES[titleRank(title) + 1] ?? null;
}

export function educationRank(level: EducationLevel): number {
  return EDUCATION_LEVELS.indexOf(level);
}

/** `date` plus whole years; 29 February falls back to 28 February. */
export function addYears(date: string, years: number): string {
  return addMonths(date, Math.round(years * 12));
}

export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

export function addDaysTo(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const result = (code: string, metOn: string | null, asOf: string, details: Record<string, unknown>, reason: string | null = null): ConditionResult => ({
  code, met: metOn !== null && metOn <= asOf, metOn, reason: metOn === null ? (reason ?? 'unknown') : null, details,
});

function educationCondition(c: TitleConditions, facts: EligibilityFacts, asOf: string): ConditionResult {
  const ok = educationRank(facts.educationLevel) >= educationRank(c.minEducation);
  return result('education', ok ? asOf : null, asOf, { educationLevel: facts.educationLevel, minEducation: c.minEducation }, ok ? null : 'education_below_minimum');
}

function yearsCondition(c: TitleConditions, facts: EligibilityFacts, asOf: string): ConditionResult {
  const years = c.yearsAtPrevious[facts.educationLevel];
  // The first title counts from starting work; later ones from the effective date of the current title.
  const since = c.fromTitle === null ? facts.hireDate : facts.currentTitleSince;
  const details = { years: years ?? null, since, educationLevel: facts.educationLevel, fromTitle: c.fromTitle };
  if (years === undefined) return result('years_at_previous', null, asOf, details, 'education_cannot_apply');
  if (c.fromTitle !== null && facts.currentTitle !== c.fromTitle) return result('years_at_previous', null, asOf, details, 'previous_title_missing');
  if (!since) return result('years_at_previous', null, asOf, details, 'start_date_missing');
  return result('years_at_previous', addYears(since, years), asOf, details);
}

function creditsCondition(facts: EligibilityFacts, asOf: string): ConditionResult {
  // Future credits cannot be foreseen: met now, or an unknown date.
  return result('credits_complete', facts.creditsComplete ? asOf : null, asOf, { complete: facts.creditsComplete }, 'credits_incomplete');
}

function certificateCondition(kind: CertificateKind, facts: EligibilityFacts, asOf: string): ConditionResult {
  const held = facts.certificates
    .filter((x) => x.kind === kind && x.issuedOn <= asOf && (x.expiresOn === null || x.expiresOn >= asOf))
    .sort((a, b) => a.issuedOn.localeCompare(b.issuedOn))[0];
  return result(`certificate:${kind}`, held ? held.issuedOn : null, asOf, { kind, issuedOn: held?.issuedOn ?? null }, 'certificate_missing');
}

function ethicsCondition(facts: EligibilityFacts, asOf: string): ConditionResult {
  const until = facts.ethicsBlockedUntil;
  if (until === null || until < asOf) return result('no_ethics_block', asOf, asOf, { blockedUntil: null });
  if (until >= NEVER) return result('no_ethics_block', null, asOf, { blockedUntil: null }, 'never');
  return result('no_ethics_block', addDaysTo(until, 1), asOf, { blockedUntil: until });
}

/** 'rural_service': `years` (default 1) served in kindergartens counted as weaker or rural. */
function ruralService(code: string, years: number, grades: readonly string[], facts: EligibilityFacts, asOf: string): ConditionResult {
  const needDays = Math.round(years * 365);
  let served = 0;
  let ongoing = false;
  for (const p of facts.serviceByGrade.filter((x) => grades.includes(x.grade))) {
    if (p.from > asOf) continue;
    const end = p.to === null || p.to >= asOf ? asOf : p.to;
    served += daysBetween(p.from, end) + (end === asOf ? 0 : 1);
    if (p.to === null || p.to >= asOf) ongoing = true;
  }
  const details = { years, grades, servedDays: served, neededDays: needDays };
  if (served >= needDays) return result(`extra:${code}`, asOf, asOf, details);
  return result(`extra:${code}`, ongoing ? addDaysTo(asOf, needDays - served) : null, asOf, details, 'not_serving');
}

export function gradesOf(extra: TitleConditions['extra'][number]): readonly string[] {
  return Array.isArray(extra.grades) && extra.grades.every((g) => typeof g === 'string') ? (extra.grades as string[]) : WEAKER_GRADES;
}

function extraCondition(extra: TitleConditions['extra'][number], facts: EligibilityFacts, asOf: string): ConditionResult {
  const label = { zh: extra.zh, en: extra.en };
  if (extra.code === 'rural_service') {
    const years = typeof extra.years === 'number' && extra.years > 0 ? extra.years : 1;
    const r = ruralService(extra.code, years, gradesOf(extra), facts, asOf);
    return { ...r, details: { ...r.details, ...label } };
  }
  return result(`extra:${extra.code}`, null, asOf, label, 'unknown_condition');
}

/** Every condition of the rule for the next title, with the date each is met, and the date all are. */
export function evaluateEligibility(rule: RuleInForce | null, nextTitle: Title | null, facts: EligibilityFacts, asOf: string): EligibilityResult {
  const base = { currentTitle: facts.currentTitle, currentSince: facts.currentTitleSince, nextTitle };
  if (!rule || !nextTitle) return { ...base, ruleId: null, ruleRegion: null, conditions: [], eligibleOn: null, eligibleNow: false };
  const c = rule.conditions;
  const conditions: ConditionResult[] = [educationCondition(c, facts, asOf), yearsCondition(c, facts, asOf)];
  if (c.creditsComplete) conditions.push(creditsCondition(facts, asOf));
  for (const kind of c.certificates ?? []) conditions.push(certificateCondition(kind, facts, asOf));
  conditions.push(ethicsCondition(facts, asOf));
  for (const extra of c.extra ?? []) conditions.push(extraCondition(extra, facts, asOf));
  const dates = conditions.map((x) => x.metOn);
  const eligibleOn = dates.some((d) => d === null) ? null : (dates as string[]).reduce((a, b) => (a > b ? a : b));
  return { ...base, ruleId: rule.id, ruleRegion: rule.regionCode, conditions, eligibleOn, eligibleNow: eligibleOn !== null && eligibleOn <= asOf };
}

export interface RuleCandidate extends RuleInForce {
  title: Title;
  effectiveFrom: string;
}

/**
 * The rule in force for a title: of the regions on the person's org path (most specific first, then
 * the national defaults), the first with a rule effective by asOf; of its rules, the latest.
 */
export function ruleInForce(rules: RuleCandidate[], title: Title, regionCodesMostSpecificFirst: string[], asOf: string): RuleCandidate | null {
  const effective = rules.filter((r) => r.title === title && r.effectiveFrom <= asOf);
  for (const region of [...regionCodesMostSpecificFirst, null]) {
    const own = effective.filter((r) => r.regionCode === region).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
    if (own[0]) return own[0];
  }
  return null;
}
