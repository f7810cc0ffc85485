import type { LearnerProfile } from '../people/people-directory.service.js';
import type { Audience, PriorityTier } from './catalog.entities.js';

/** Why an audience rule excludes someone: the dimension that failed, with the values it wanted. */
export interface AudienceMiss {
  dimension: keyof Audience;
  allowed: string[];
}

const some = (list: string[] | undefined): list is string[] => Array.isArray(list) && list.length > 0;

/**
 * The dimensions of `audience` the person does not meet (empty: they are in the audience).
 * `cohortIds` are the program cohorts the person belongs to.
 */
export function audienceMisses(audience: Audience, person: LearnerProfile, cohortIds: readonly string[] = []): AudienceMiss[] {
  const checks: Array<[keyof Audience, (allowed: string[]) => boolean]> = [
    ['posts', (allowed) => !!person.post && allowed.includes(person.post)],
    ['teacherStages', (allowed) => !!person.teacherStage && allowed.includes(person.teacherStage)],
    ['principalStages', (allowed) => !!person.principalStage && allowed.includes(person.principalStage)],
    ['titles', (allowed) => allowed.includes(person.title ?? 'none')],
    ['kindergartenGrades', (allowed) => !!person.kindergartenGrade && allowed.includes(person.kindergartenGrade)],
    ['ownerships', (allowed) => !!person.ownership && allowed.includes(person.ownership)],
    ['kindergartenIds', (allowed) => !!person.kindergartenId && allowed.includes(person.kindergartenId)],
    ['groupIds', (allowed) => !!person.groupId && allowed.includes(person.groupId)],
    ['cohortIds', (allowed) => cohortIds.some((id) => allowed.includes(id))],
  ];
  const misses: AudienceMiss[] = [];
  for (const [dimension, matches] of checks) {
    const allowed = audience[dimension];
    if (some(allowed) && !matches(allowed)) misses.push({ dimension, allowed });
  }
  return misses;
}

/** The person's waitlist tier: the index of the first tier they match, or the number of tiers when none. */
export function priorityTierOf(tiers: readonly PriorityTier[], person: LearnerProfile, cohortIds: readonly string[] = []): number {
  const index = tiers.findIndex((tier) => audienceMisses(tier.audience, person, cohortIds).length === 0);
  return index === -1 ? tiers.length : index;
}
