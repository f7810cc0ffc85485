import { DomainError, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import type { ActivityView } from './activities.query.js';
import { confirmRefusal, type Parties } from './activity-rules.js';
import type { PairingContext } from './pairings-directory.service.js';
import type { TermProgress } from './progress.js';
import type { ReviewView } from './reviews.query.js';
import { termHasStarted, termsBetween } from './terms.js';

export const LOG_FIELDS = ['kind', 'actorPersonId', 'occurredOn', 'durationMinutes', 'notes'] as const;
export const REVIEW_FIELDS = ['term', 'mentorComment'] as const;
export const ROTATION_FIELDS = ['personId', 'hostKindergartenId', 'kind', 'startsOn', 'endsOn', 'countAt', 'note'] as const;

export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export const blankForm = (fields: readonly string[], values: Record<string, string> = {}): FormState =>
  ({ values: { ...Object.fromEntries(fields.map((f) => [f, ''])), ...values }, errors: {} });

/** A refusal in the reader's words: `errors.<CODE>` with the error's params, else its English message. */
export function refusal(error: DomainError, locale: Locale): string {
  const key = `errors.${error.code}`;
  return hasTranslation(locale, key) ? translate(locale, key, error.params) : error.message;
}

/**
 * One message per form field for a refusal about the form (validation, or a domain refusal naming
 * a field in its details); `form` for the rest; null when the error is not the form's to show.
 */
export function formErrors(error: unknown, fields: readonly string[], values: Record<string, string>, locale: Locale): Record<string, string> | null {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404 || error.status === 401) return null;
  if (!(error instanceof ValidationFailed)) {
    const field = (error.details as { field?: string } | undefined)?.field;
    return { [field && fields.includes(field) ? field : 'form']: refusal(error, locale) };
  }
  const errors: Record<string, string> = {};
  for (const problem of error.problems) {
    const base = problem.field.split(/[.[]/)[0];
    const field = fields.includes(base) ? base : 'form';
    if (errors[field]) continue;
    const own = `mentoring.work.problem.${problem.code}`;
    const key = field !== 'form' && !values[field] ? 'mentoring.work.problem.required' : hasTranslation(locale, own) ? own : 'mentoring.work.problem.invalid';
    errors[field] = translate(locale, key);
  }
  return errors;
}

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
