import { addDays, daysIn } from './compliance-periods.js';
import type { ComplianceResult } from './compliance.types.js';

/**
 * How a person stands against a requirement over its window (first period's start to the day it
 * falls due), at asOf:
 * - met: every period's rules are met;
 * - at_risk: a period that has already ended is not met (its entries can no longer come), or
 *   less than AT_RISK_MONTHS months remain (or the window is over) and what is still
 *   needed exceeds PLAUSIBLE_PACE times what the scheme's own pace yields in the time left
 *   (required × share of the window left) — with 12 months left of a five-year cycle that is
 *   more than 40% of the requirement, with 3 months left more than 10%; once the window has ended,
 *   anything still needed;
 * - on_track: the share of the requirement done (1 − needed ÷ required) is at least the share of
 *   the window elapsed;
 * - behind: otherwise, and always when the requirement has no due date yet (before the post, not
 *   yet appointed): nothing can be on pace without an end.
 * "Needed" is the least amount that would meet every rule, not the gap to the total.
 */
export const AT_RISK_MONTHS = 12;
export const PLAUSIBLE_PACE = 2;

export interface StandingInput {
  asOf: string;
  windowFrom: string;
  dueOn: string | null;
  met: boolean;
  /** Some period ended before asOf without being met. */
  endedShort: boolean;
  /** Hundredths. */
  required: number;
  needed: number;
}

export type Standing = Pick<ComplianceResult, 'standing' | 'progressShare' | 'elapsedShare' | 'monthsLeft'>;

/** Whole months from `from` to `to` (0 when `to` has passed). */
export function monthsBetween(from: string, to: string): number {
  if (to <= from) return 0;
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

export function standingOf(input: StandingInput): Standing {
  const progressShare = input.required > 0 ? Math.max(0, Math.min(1, 1 - input.needed / input.required)) : 1;
  if (!input.dueOn) {
    return { standing: input.met ? 'met' : 'behind', progressShare: round(progressShare), elapsedShare: 0, monthsLeft: null };
  }
  const total = daysIn(input.windowFrom, input.dueOn);
  const elapsedDays = input.asOf < input.windowFrom ? 0 : Math.min(total, daysIn(input.windowFrom, input.asOf));
  const elapsedShare = elapsedDays / total;
  const monthsLeft = monthsBetween(input.asOf, addDays(input.dueOn, 1));
  const base = { progressShare: round(progressShare), elapsedShare: round(elapsedShare), monthsLeft };
  if (input.met) return { standing: 'met', ...base };
  const closing = monthsLeft < AT_RISK_MONTHS;
  if (input.endedShort) return { standing: 'at_risk', ...base };
  if (closing && input.needed > PLAUSIBLE_PACE * input.required * (1 - elapsedShare)) return { standing: 'at_risk', ...base };
  return { standing: progressShare >= elapsedShare ? 'on_track' : 'behind', ...base };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
