import type { FieldProblem } from '../../common/errors.js';
import type { EthicsSanctionKind } from './ethics-sanction.entity.js';

/** Months the sanction itself lasts (教师〔2018〕19号); dismissal has no end. */
export const SANCTION_MONTHS: Record<EthicsSanctionKind, number | null> = { warning: 6, demerit: 12, demotion_or_removal: 24, dismissal: null };
/** Eligibility for awards, promotion, title evaluation and programmes is withdrawn for no less than this. */
export const MIN_BLOCK_MONTHS = 24;
/** Dismissal blocks for good; stored as the last date so "blocks on a date" stays one comparison. */
export const FOREVER = '9999-12-31';

/** The decisions an ethics block withdraws. Today they all share the sanction's `blocksUntil`. */
export const BLOCK_PURPOSES = ['title', 'program', 'award', 'promotion', 'enrollment'] as const;
export type BlockPurpose = (typeof BLOCK_PURPOSES)[number];

export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export interface SanctionDatesInput {
  kind: EthicsSanctionKind;
  decidedOn: string;
  sanctionUntil?: string | null;
  blocksUntil?: string | null;
}

export interface SanctionDates {
  sanctionUntil: string | null;
  blocksUntil: string;
}

/**
 * The sanction's end (by default its kind's period) and the end of the eligibility block (at
 * least 24 months after the decision and never before the sanction ends). Answers the problems
 * instead when a date given contradicts the rules.
 */
export function sanctionDates(input: SanctionDatesInput): { dates: SanctionDates; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const months = SANCTION_MONTHS[input.kind];
  let sanctionUntil: string | null = months === null ? null : addMonths(input.decidedOn, months);
  if (input.sanctionUntil) {
    if (months === null) {
      problems.push({ field: 'sanctionUntil', code: 'DISMISSAL_HAS_NO_END', message: 'A dismissal has no end date' });
    } else if (input.sanctionUntil < input.decidedOn) {
      problems.push({ field: 'sanctionUntil', code: 'END_BEFORE_START', message: 'sanctionUntil must not be before decidedOn' });
    } else {
      sanctionUntil = input.sanctionUntil;
    }
  }
  const minimum = addMonths(input.decidedOn, MIN_BLOCK_MONTHS);
  let blocksUntil = months === null ? FOREVER : [minimum, sanctionUntil ?? minimum].sort().at(-1)!;
  if (input.blocksUntil) {
    if (input.blocksUntil < input.decidedOn) {
      problems.push({ field: 'blocksUntil', code: 'END_BEFORE_START', message: 'blocksUntil must not be before decidedOn' });
    } else if (input.blocksUntil < blocksUntil) {
      problems.push({ field: 'blocksUntil', code: 'BLOCK_TOO_SHORT', message: `blocksUntil must be on or after ${blocksUntil} (at least ${MIN_BLOCK_MONTHS} months and not before the sanction ends)` });
    } else {
      blocksUntil = input.blocksUntil;
    }
  }
  return { dates: { sanctionUntil, blocksUntil }, problems };
}

export type SanctionStatus = 'active' | 'ended' | 'revoked';

/** Active while the eligibility block lasts; a sanction decided in the future is already recorded as active. */
export function sanctionStatus(sanction: { revokedAt: Date | null; blocksUntil: string }, onDate: string): SanctionStatus {
  if (sanction.revokedAt) return 'revoked';
  return sanction.blocksUntil >= onDate ? 'active' : 'ended';
}
