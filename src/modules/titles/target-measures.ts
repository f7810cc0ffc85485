import type { AccessContext } from '../../common/access-context.js';

/** The measures a workforce target can name; each is computed live from the record (target-measures.query.ts). */
export const MEASURES = [
  'kindergartens_with_senior_title',
  'teachers_with_preschool_education',
  'professorial_or_special_principal',
  'caregiving_studio_members',
  'principals_with_dual_certificates',
  'public_kindergartens_in_groups',
] as const;
export type Measure = (typeof MEASURES)[number];

export const TARGET_STATUSES = ['met', 'on_track', 'behind', 'overdue'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/**
 * 保育带头人工作室 membership has no table of its own: it is recorded as an honour of kind `other`
 * whose name contains this phrase (e.g. "上海市保育带头人工作室成员"), active on the day counted.
 */
export const CAREGIVING_STUDIO_PHRASE = '保育带头人工作室';

/** Targets carry no start date; progress is judged against a straight line over the plan period before the deadline. */
export const PLAN_YEARS = 3;

/** What a measure counted: a percent measure has a numerator and a denominator, a count measure only a count. */
export interface MeasureCount {
  numerator: number;
  denominator: number | null;
  /** Extra figures a reader may want (e.g. the number of groups). */
  details?: Record<string, number>;
}

export interface TargetOutcome {
  value: number;
  met: boolean;
  status: TargetStatus;
  /** Where a straight line from zero at the plan start to the threshold at the deadline stands on `asOf`. */
  expected: number;
}

/** Percent with one decimal; an empty population has nothing to miss, so it counts as 100%. */
export function percent(numerator: number, denominator: number): number {
  if (denominator <= 0) return 100;
  return Math.round((numerator / denominator) * 1000) / 10;
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

function yearsBefore(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) - years}${date.slice(4)}`;
}

/** The value against the threshold, and the status on `asOf`: met, on track (at or above the straight line), behind, or overdue after the deadline. */
export function judge(unit: 'percent' | 'count', count: MeasureCount, threshold: number, deadline: string, asOf: string): TargetOutcome {
  const value = unit === 'percent' ? percent(count.numerator, count.denominator ?? 0) : count.numerator;
  const start = yearsBefore(deadline, PLAN_YEARS);
  const span = daysBetween(start, deadline);
  const elapsed = Math.min(Math.max(daysBetween(start, asOf), 0), span);
  const expected = Math.round(threshold * (elapsed / span) * 10) / 10;
  const met = value >= threshold;
  const status: TargetStatus = met ? 'met' : asOf > deadline ? 'overdue' : value >= expected ? 'on_track' : 'behind';
  return { value, met, status, expected };
}

export interface ScopeUnit {
  id: string;
  kind: string;
  path: string;
  districtId: string | null;
  name: string;
}

/**
 * The org paths a report covers: the asked unit when the caller reads targets there, else every
 * subtree where they do; null when the asked unit is out of scope (the caller answers 404).
 */
export function readPaths(access: AccessContext, unit: ScopeUnit | null | undefined, asked: boolean): string[] | null {
  if (!asked) return access.scopePaths('targets.read');
  if (!unit || !access.canAt('targets.read', unit.path)) return null;
  return [unit.path];
}

/** The `ownership` a target's scope asks for: public, private, or every kindergarten. */
export function scopeOwnership(scope: Record<string, unknown>): 'public' | 'private' | null {
  return scope.ownership === 'public' || scope.ownership === 'private' ? scope.ownership : null;
}
