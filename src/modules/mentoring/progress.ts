import type { ActivityKind, TermTargets } from './mentoring.entities.js';
import type { Side } from './activity-rules.js';

/** A confirmed activity as progress sees it: what it was and which side did it. */
export interface CountedActivity {
  kind: ActivityKind;
  actorSide: Side;
}

export const PROGRESS_KEYS = ['mentorDemonstrations', 'menteeOpenLessons', 'menteeObservations', 'mentorObservations', 'lessonPlans'] as const;
export type ProgressKey = (typeof PROGRESS_KEYS)[number];

export interface ProgressItem {
  key: ProgressKey;
  target: number;
  done: number;
  met: boolean;
  missing: number;
}

export interface TermProgress {
  term: string;
  items: ProgressItem[];
  allMet: boolean;
}

/** Which activities count towards each target: observations count separately for each side (the observer is the actor). */
const COUNTS: Record<ProgressKey, (a: CountedActivity) => boolean> = {
  mentorDemonstrations: (a) => a.kind === 'demonstration' && a.actorSide === 'mentor',
  menteeOpenLessons: (a) => a.kind === 'open_lesson' && a.actorSide === 'mentee',
  menteeObservations: (a) => a.kind === 'observation' && a.actorSide === 'mentee',
  mentorObservations: (a) => a.kind === 'observation' && a.actorSide === 'mentor',
  lessonPlans: (a) => a.kind === 'joint_planning',
};

function targetOf(key: ProgressKey, targets: TermTargets): number {
  switch (key) {
    case 'mentorDemonstrations': return targets.mentorDemonstrations;
    case 'menteeOpenLessons': return targets.menteeOpenLessons;
    case 'lessonPlans': return targets.lessonPlans;
    default: return targets.observationsEachWay;
  }
}

/** Confirmed activities of one term against the rule's targets; the caller passes only confirmed ones. */
export function termProgress(term: string, targets: TermTargets, confirmed: CountedActivity[]): TermProgress {
  const items = PROGRESS_KEYS.map((key) => {
    const target = Math.max(0, Number(targetOf(key, targets)) || 0);
    const done = confirmed.filter(COUNTS[key]).length;
    return { key, target, done, met: done >= target, missing: Math.max(0, target - done) };
  });
  return { term, items, allMet: items.every((i) => i.met) };
}
