import type { AudienceMiss } from '../catalog/audience.js';

/** Why a person may not ask for a seat, in the order they are reported. */
export type EnrolmentBlock = 'NOT_IN_AUDIENCE' | 'ENROLLMENT_NOT_OPEN' | 'ENROLLMENT_CLOSED' | 'ALREADY_COMPLETED' | 'ETHICS_BLOCKED' | 'NO_SHOW_BLOCKED';

/** What the enrolment rules decide on, however the caller read it (one offering for a request, a list for suggestions). */
export interface EnrolmentFacts {
  /** Where the person falls outside the course's audience. */
  audienceMisses: AudienceMiss[];
  enrolOpensAt: Date;
  enrolClosesAt: Date;
  /** The person has completed the course. */
  completed: boolean;
  /** An ethics sanction blocks their enrolment now. */
  ethicsBlocked: boolean;
  /** A no-show at the course's level still blocks it now. */
  noShowBlocked: boolean;
}

/**
 * The enrolment rules, once: the request itself (EligibilityService.check, which words each block as a reason) and
 * the offerings a transcript suggests (which keeps those with none) both decide here, so a rule added here must be
 * fed by both.
 */
export function enrolmentBlocks(facts: EnrolmentFacts, now: Date): EnrolmentBlock[] {
  const blocks: EnrolmentBlock[] = [];
  if (facts.audienceMisses.length) blocks.push('NOT_IN_AUDIENCE');
  if (now < facts.enrolOpensAt) blocks.push('ENROLLMENT_NOT_OPEN');
  if (now > facts.enrolClosesAt) blocks.push('ENROLLMENT_CLOSED');
  if (facts.completed) blocks.push('ALREADY_COMPLETED');
  if (facts.ethicsBlocked) blocks.push('ETHICS_BLOCKED');
  if (facts.noShowBlocked) blocks.push('NO_SHOW_BLOCKED');
  return blocks;
}
