import type { FieldProblem } from '../../common/errors.js';
import type { ProgramCriterion } from './programs.entities.js';

/** Problems of a reviewer's scores: every criterion scored, 0..maxScore, no unknown criterion; each named `scores.<code>`. */
export function scoreProblems(criteria: ProgramCriterion[], scores: unknown): FieldProblem[] {
  if (typeof scores !== 'object' || scores === null || Array.isArray(scores)) {
    return [{ field: 'scores', code: 'isObject', message: 'scores must map each criterion code to points' }];
  }
  const given = scores as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const codes = criteria.map((c) => c.code);
  for (const key of Object.keys(given)) {
    if (!codes.includes(key)) problems.push({ field: `scores.${key}`, code: 'unknown_field', message: `${key} is not a criterion of this program` });
  }
  for (const c of criteria) {
    const value = given[c.code];
    if (value === undefined || value === null || value === '') {
      problems.push({ field: `scores.${c.code}`, code: 'required', message: `score ${c.code} (0-${c.maxScore})` });
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > c.maxScore) {
      problems.push({ field: `scores.${c.code}`, code: 'range', message: `${c.code} must be a number from 0 to ${c.maxScore}` });
    } else if (Math.round(value * 100) !== value * 100) {
      problems.push({ field: `scores.${c.code}`, code: 'precision', message: `${c.code} takes at most two decimals` });
    }
  }
  return problems;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** A reviewer's total: each criterion's points times its weight, summed. */
export function weightedTotal(criteria: ProgramCriterion[], scores: Record<string, number>): number {
  return round2(criteria.reduce((sum, c) => sum + (scores[c.code] ?? 0) * c.weight, 0));
}

/** The most a reviewer's total can be, for showing a score against its scale. */
export function maxTotal(criteria: ProgramCriterion[]): number {
  return round2(criteria.reduce((sum, c) => sum + c.maxScore * c.weight, 0));
}

/**
 * The application's score from its reviewers' totals: the mean, or from `trimFrom` totals on the
 * mean without one highest and one lowest (so one outlying reviewer cannot decide). Null: no scores.
 */
export function aggregateScore(totals: number[], trimFrom: number): number | null {
  if (totals.length === 0) return null;
  const sorted = [...totals].sort((a, b) => a - b);
  const counted = sorted.length >= trimFrom && sorted.length >= 3 ? sorted.slice(1, -1) : sorted;
  return round2(counted.reduce((sum, t) => sum + t, 0) / counted.length);
}
