import type { Locale } from '../../common/i18n/i18n.js';
import { formErrors as sharedFormErrors } from '../../common/web/form-state.js';
import type { ActivityView } from './activities.query.js';
import { confirmRefusal, type Parties } from './activity-rules.js';
import type { PairingContext } from './pairings-directory.service.js';
import type { TermProgress } from './progress.js';
import type { ReviewView } from './reviews.query.js';
import { termHasStarted, termsBetween } from './terms.js';

export const LOG_FIELDS = ['kind', 'actorPersonId', 'occurredOn', 'durationMinutes', 'notes'] as const;
export const REVIEW_FIELDS = ['term', 'mentorComment'] as const;
export const ROTATION_FIELDS = ['personId', 'hostKindergartenId', 'kind', 'startsOn', 'endsOn', 'countAt', 'note'] as const;

export { blankForm, refusal, type FormState } from '../../common/web/form-state.js';

/** The shared form-error mapping with this page family's problem messages (`mentoring.work.problem.*`). */
export const formErrors = (error: unknown, fields: readonly string[], values: Record<string, string>, locale: Locale) =>
  sharedFormErrors(error, fields, values, locale, 'mentoring.work.problem');

/** The pairing as a page's heading shows it. */
export function pairingHeader(context: PairingContext, names: Map<string, string>) {
  const { pairing } = context;
  return {
    id: pairing.id, kind: pairing.kind, status: pairing.status, startsOn: pairing.startsOn, endsOn: pairing.endsOn,
    menteeName: names.get(pairing.menteePersonId) ?? '', finalGrade: pairing.finalGrade, finalComment: pairing.finalComment,
    mentors: context.links.map((l) => ({ personId: l.mentorPersonId, name: names.get(l.mentorPersonId) ?? '', role: l.role })),
  };
}

/** The people who may be named as the actor of a log: the mentee first, then the mentors. */
export function actorChoices(context: PairingContext, names: Map<string, string>) {
  return [
    { id: context.pairing.menteePersonId, name: names.get(context.pairing.menteePersonId) ?? '', side: 'mentee' },
    ...context.links.map((l) => ({ id: l.mentorPersonId, name: names.get(l.mentorPersonId) ?? '', side: 'mentor' })),
  ];
}

/** Log rows with the answer buttons for the other side; `errorFor` shows a refusal on one row. */
export function activityRows(items: ActivityView[], parties: Parties, personId: string | null, errorFor: { id: string; message: string } | null = null) {
  return items.map((a) => ({
    ...a,
    canAnswer: !!personId && a.status !== 'confirmed' && confirmRefusal(a.loggedByPersonId, personId, parties) === null,
    own: a.loggedByPersonId === personId,
    error: errorFor?.id === a.id ? errorFor.message : null,
  }));
}

export function progressView(progress: TermProgress) {
  return { term: progress.term, allMet: progress.allMet, items: progress.items.map((i) => ({ ...i, percent: i.target ? Math.min(100, Math.round((i.done / i.target) * 100)) : 100 })) };
}

/** Terms the lead mentor may review now: those of the period that have started and have no accepted review. */
export function reviewableTerms(startsOn: string, endsOn: string, today: string, reviews: ReviewView[]): string[] {
  return termsBetween(startsOn, endsOn).filter((t) => termHasStarted(t, today) && !reviews.some((r) => r.term === t && r.status === 'accepted'));
}

export function reviewRows(reviews: ReviewView[], canDecide: boolean, errorFor: { id: string; message: string; comment: string } | null = null) {
  return reviews.map((r) => ({
    ...r,
    items: ((r.progress as { items?: Array<{ key: string; done: number; target: number; met: boolean }> }).items ?? []),
    canDecide: canDecide && r.status === 'submitted',
    error: errorFor?.id === r.id ? errorFor.message : null,
    comment: errorFor?.id === r.id ? errorFor.comment : '',
  }));
}
