import { Conflict, DomainError, Forbidden } from '../../common/errors.js';
import type { AssessmentResult, MemberStatus, OutputStatus, TeamPlan } from './cohort.entities.js';
import type { Program } from './programs.entities.js';

/** The five parts of a team plan, in the order the plan is written. */
export const PLAN_PARTS = ['basis', 'goals', 'content', 'schedule', 'expectedOutputs'] as const satisfies readonly (keyof TeamPlan)[];
export type PlanPart = (typeof PLAN_PARTS)[number];

export const ASSESSMENT_STAGES = ['midterm', 'final'] as const;
export type AssessmentStage = (typeof ASSESSMENT_STAGES)[number];

/** The built-in ladder seed → talent → navigator; custom tiers sit outside it. */
const TIER_RANK: Record<string, number> = { seed: 1, talent: 2, navigator: 3 };

export function tierRank(tier: string): number | null {
  return TIER_RANK[tier] ?? null;
}

/** The plan with every part present (blank when unwritten) and trimmed. */
export function normalisedPlan(input: Partial<Record<PlanPart, string | null | undefined>>, earlier: TeamPlan = {}): Required<TeamPlan> {
  return Object.fromEntries(PLAN_PARTS.map((part) => {
    const value = input[part] === undefined ? earlier[part] : input[part];
    return [part, (value ?? '').trim()];
  })) as Required<TeamPlan>;
}

/** A move goes to another tier's cohort of the same round and district, while that program still runs. */
export function moveRefusal(from: Program, to: Program): string | null {
  if (to.id === from.id) return 'MOVE_SAME_PROGRAM';
  if (to.kind !== 'cohort') return 'TRANSFER_NOT_COHORT';
  if (to.districtId !== from.districtId) return 'TRANSFER_OTHER_DISTRICT';
  if (to.status === 'closed') return 'TRANSFER_PROGRAM_CLOSED';
  if (to.tier === from.tier) return 'MOVE_SAME_TIER';
  if (from.round === null || to.round !== from.round) return 'MOVE_OTHER_ROUND';
  return null;
}

/**
 * A promotion goes to the program that names this one as its previous program, or to any later round's
 * cohort of a higher built-in tier in the same district.
 */
export function promotionRefusal(from: Program, to: Program): string | null {
  if (to.id === from.id) return 'PROMOTE_SAME_PROGRAM';
  if (to.kind !== 'cohort') return 'TRANSFER_NOT_COHORT';
  if (to.districtId !== from.districtId) return 'TRANSFER_OTHER_DISTRICT';
  if (to.status === 'closed') return 'TRANSFER_PROGRAM_CLOSED';
  if (to.previousProgramId === from.id) return null;
  const fromRank = tierRank(from.tier);
  const toRank = tierRank(to.tier);
  const laterRound = from.round !== null && to.round !== null && to.round > from.round;
  if (fromRank !== null && toRank !== null && toRank > fromRank && laterRound) return null;
  return 'PROMOTE_NOT_NEXT_TIER';
}

/** What a final result does to an active member. */
export function finalOutcome(result: AssessmentResult): Extract<MemberStatus, 'completed' | 'failed'> {
  return result === 'fail' ? 'failed' : 'completed';
}

/** The honour a completed member receives: the program's own name for it, else 「<program>结业」. */
export function completionHonourName(program: Pick<Program, 'honourName' | 'nameZh'>): string {
  return program.honourName?.trim() || `${program.nameZh}结业`;
}

/** The day a member joins a program they are moved or promoted into: today, or its start when it has not begun. */
export function joiningDay(today: string, program: Pick<Program, 'startsOn'>): string {
  return program.startsOn > today ? program.startsOn : today;
}

/** Whether an output review is a repeat (nothing to do) or refused; null: go ahead. */
export function reviewStep(status: OutputStatus, decision: 'accepted' | 'returned', comment: string | null, earlierComment: string | null): 'repeat' | null {
  if (status === decision && (decision === 'accepted' || comment === earlierComment)) return 'repeat';
  if (status === 'accepted') throw new Conflict('OUTPUT_ALREADY_ACCEPTED', 'The output was accepted; it cannot be returned');
  if (status === 'returned') throw new Conflict('OUTPUT_RETURNED', 'The output was returned; the author submits it again first');
  return null;
}

export const teamVersionConflict = (version: number) =>
  new DomainError('TEAM_VERSION_CONFLICT', 409, 'The team was changed by someone else; reload it and make your change again', { version });

export const memberNotActive = (status: MemberStatus) =>
  new DomainError('MEMBER_NOT_ACTIVE', 409, `The member is ${status}, not active`, { status }, { status });

export const hostOrStaffOnly = () => new Forbidden('TEAM_HOST_OR_STAFF_ONLY', 'Only the team host or district staff do this');

export const teamMembersOnly = () => new Forbidden('TEAM_MEMBERS_ONLY', 'Only active members of the team submit outputs');
