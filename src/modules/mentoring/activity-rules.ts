import type { FieldProblem } from '../../common/errors.js';
import type { ActivityKind } from './mentoring.entities.js';

/** A second identical log by the same person within this window is the same click, answered with the first. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;
export const MAX_EVIDENCE_FILES = 10;

export interface Parties {
  menteePersonId: string;
  mentorPersonIds: string[];
}

export type Side = 'mentee' | 'mentor';

export function sideOf(personId: string, parties: Parties): Side | null {
  if (personId === parties.menteePersonId) return 'mentee';
  return parties.mentorPersonIds.includes(personId) ? 'mentor' : null;
}

/** Only a mentor gives a demonstration lesson (示范课) and only the mentee an open lesson (公开课). */
const ACTOR_SIDE: Partial<Record<ActivityKind, Side>> = { demonstration: 'mentor', open_lesson: 'mentee' };

/** Why the actor cannot be named on this kind of activity, or null. */
export function actorProblem(kind: ActivityKind, actorPersonId: string, parties: Parties): FieldProblem | null {
  const side = sideOf(actorPersonId, parties);
  if (!side) return { field: 'actorPersonId', code: 'ACTOR_NOT_IN_PAIRING', message: 'actorPersonId must be the mentee or a mentor of this pairing' };
  const wanted = ACTOR_SIDE[kind];
  if (wanted && wanted !== side) {
    return { field: 'actorPersonId', code: `ACTOR_MUST_BE_${wanted.toUpperCase()}`, message: `a ${kind} is given by the ${wanted}` };
  }
  return null;
}

export function futureDateProblem(occurredOn: string, today: string): FieldProblem | null {
  return occurredOn > today ? { field: 'occurredOn', code: 'DATE_IN_FUTURE', message: `occurredOn must not be after today (${today})` } : null;
}

export function withinPeriod(date: string, startsOn: string, endsOn: string): boolean {
  return date >= startsOn && date <= endsOn;
}

/**
 * Why this person cannot confirm a log, or null: the other side confirms (the mentee a mentor's
 * log, a mentor the mentee's); one's own log never.
 */
export function confirmRefusal(loggedByPersonId: string, confirmerPersonId: string, parties: Parties): 'CANNOT_CONFIRM_OWN_LOG' | 'CONFIRM_BY_OTHER_SIDE' | null {
  if (loggedByPersonId === confirmerPersonId) return 'CANNOT_CONFIRM_OWN_LOG';
  const loggerSide = sideOf(loggedByPersonId, parties);
  const confirmerSide = sideOf(confirmerPersonId, parties);
  return confirmerSide && loggerSide !== confirmerSide ? null : 'CONFIRM_BY_OTHER_SIDE';
}

export interface LogKey {
  kind: string;
  actorPersonId: string;
  occurredOn: string;
  durationMinutes: number;
  notes: string | null;
  loggedByPersonId: string;
}

/** The same log again (a double click or a retry), made shortly after the first. */
export function isSameLog(earlier: LogKey & { createdAt: Date }, again: LogKey, now: Date): boolean {
  return earlier.kind === again.kind && earlier.actorPersonId === again.actorPersonId && earlier.occurredOn === again.occurredOn
    && earlier.durationMinutes === again.durationMinutes && (earlier.notes ?? null) === (again.notes ?? null)
    && earlier.loggedByPersonId === again.loggedByPersonId && now.getTime() - earlier.createdAt.getTime() <= DUPLICATE_WINDOW_MS;
}
