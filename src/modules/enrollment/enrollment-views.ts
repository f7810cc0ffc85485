import { shanghaiDate, shanghaiDateTime } from '../../common/dates.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { createValidationPipe } from '../../common/validation.js';
import type { OfferingView } from '../catalog/catalog.service.js';
import { ACTIVE_STATUSES, type EnrollmentStatus } from './enrollment.entities.js';
import { NotEligible } from './enrollment-errors.js';
import type { Eligibility } from './eligibility.service.js';
import type { EnrollmentRow, RosterRow } from './enrollment.query.js';
import { meetingWhen } from './teaching-views.js';

const isActive = (status: EnrollmentStatus) => ACTIVE_STATUSES.includes(status);
const at = (value: Date | string | null) => (value ? shanghaiDateTime(value) : '');

function span(from: Date | null, to: Date | null): string {
  if (!from || !to) return '';
  const [a, b] = [shanghaiDate(from), shanghaiDate(to)];
  return a === b ? a : `${a} – ${b}`;
}

/** The learner's own button to leave, named for what they would leave. */
const WITHDRAW_LABELS: Partial<Record<EnrollmentStatus, string>> = {
  enrolled: 'enrollment.action.withdraw', pending_approval: 'enrollment.action.withdrawRequest',
  waitlisted: 'enrollment.action.leaveWaitlist', offered: 'enrollment.action.declineOffer',
};

export interface LearnerState {
  offering: OfferingView;
  mine: EnrollmentRow | null;
  eligibility: Eligibility | null;
  /** Why eligibility could not be asked: no person record, or the offering is not for the caller's organisation. */
  blocked: 'noPerson' | 'notForYou' | null;
  waitlisted: number;
  now: Date;
}

/** The learner's offering page: what the offering is, where they stand, and the one thing they can do next. */
export function offeringPage(state: LearnerState, error: string | null = null) {
  const { offering: o, mine, now } = state;
  const status = mine?.status ?? null;
  const active = status !== null && isActive(status);
  const mayAsk = status === null || status === 'withdrawn' || status === 'cancelled';
  const open = o.status === 'published';
  const canRequest = open && mayAsk && !state.blocked && !!state.eligibility?.eligible;
  const full = o.seatsLeft === 0;
  const beforeDeadline = now <= o.withdrawDeadline;
  return {
    title: o.course.title,
    offering: {
      id: o.id, code: o.code, label: o.label, status: o.status, course: o.course, owner: o.owner, description: o.description,
      audienceLines: o.audienceLines, trainers: o.trainers.map((t) => t.displayName).filter(Boolean).join('、'),
      approvalMode: o.approvalMode, waitlistMode: o.waitlistMode, cancelledReason: o.cancelledReason,
      dates: span(o.firstMeetingAt, o.lastMeetingAt),
      enrolWindow: `${at(o.enrolOpensAt)} – ${at(o.enrolClosesAt)}`,
      withdrawDeadline: at(o.withdrawDeadline),
      meetings: o.meetings.map((m) => ({ ...m, when: meetingWhen(m) })),
      materials: o.materials.map((m) => ({ ...m, link: m.url ?? '' })),
    },
    seats: { capacity: o.capacity, taken: o.seatsTaken, left: o.seatsLeft, waitlist: state.waitlisted, quota: o.kindergartenQuota },
    mine: mine && {
      id: mine.id, status: mine.status, waitlistPosition: mine.waitlistPosition, approvalStep: mine.approvalStep,
      offerExpiresAt: status === 'offered' ? at(mine.offerExpiresAt) : '', declineReason: status === 'declined' ? mine.declineReason : null,
      requestedAt: at(mine.requestedAt),
    },
    actions: {
      enrol: canRequest && !full,
      joinWaitlist: canRequest && full && o.waitlistMode !== 'none',
      fullNoWaitlist: canRequest && full && o.waitlistMode === 'none',
      needsApproval: canRequest && o.approvalMode !== 'none',
      withdraw: active && beforeDeadline ? WITHDRAW_LABELS[status] ?? null : null,
      withdrawClosed: active && !beforeDeadline,
      accept: status === 'offered' && !!mine?.offerExpiresAt && mine.offerExpiresAt > now,
    },
    notice: o.status === 'cancelled' ? 'cancelled' : !open ? 'notPublished' : null,
    blocked: open && mayAsk ? state.blocked : null,
    reasons: open && mayAsk && state.eligibility && !state.eligibility.eligible ? state.eligibility.reasons.map((r) => r.message) : [],
    error,
  };
}

/** One enrolment on "my learning". */
export function learningItem(row: EnrollmentRow, now: Date) {
  return {
    id: row.id, offeringId: row.offeringId, courseTitle: row.courseTitle, offering: row.offeringLabel || row.offeringCode,
    level: row.level, category: row.category, hours: row.hours, credits: row.credits, status: row.status,
    waitlistPosition: row.waitlistPosition, approvalStep: row.approvalStep, dates: span(row.firstMeetingAt, row.lastMeetingAt),
    offerOpen: row.status === 'offered' && !!row.offerExpiresAt && row.offerExpiresAt > now, offerExpiresAt: at(row.offerExpiresAt),
    declineReason: row.status === 'declined' ? row.declineReason : null,
  };
}

export function myLearning(rows: EnrollmentRow[], now: Date) {
  const items = rows.map((r) => learningItem(r, now));
  return { current: items.filter((i) => isActive(i.status)), past: items.filter((i) => !isActive(i.status)) };
}

export interface ApprovalState {
  /** A refusal of the action itself (e.g. someone else already decided). */
  error?: string | null;
  /** The message beside the decline reason, and what was typed there. */
  reasonError?: string | null;
  reason?: string;
  /** The status the request has after the approver's action; the row then shows the outcome instead of buttons. */
  done?: EnrollmentStatus | null;
}

export function approvalRow(row: EnrollmentRow, state: ApprovalState = {}) {
  return {
    id: row.id, offeringId: row.offeringId, personName: row.personName, kindergartenName: row.kindergartenName ?? '',
    courseTitle: row.courseTitle, offering: row.offeringLabel || row.offeringCode, dates: span(row.firstMeetingAt, row.lastMeetingAt),
    requestedAt: at(row.requestedAt), step: row.approvalStep,
    error: state.error ?? null, reasonError: state.reasonError ?? null, reason: state.reason ?? '', done: state.done ?? null,
  };
}

const ROSTER_ORDER: readonly EnrollmentStatus[] = ['enrolled', 'offered', 'waitlisted', 'pending_approval', 'completed', 'no_show', 'declined', 'withdrawn', 'cancelled'];

/** The roster by status, in the query's order (the waitlist in its order), with the counts that matter for seats. */
export function rosterSections(items: RosterRow[], seats: Partial<Record<EnrollmentStatus, number>>) {
  const sections = ROSTER_ORDER.map((status) => ({
    status,
    rows: items.filter((r) => r.status === status).map((r) => ({
      id: r.id, personName: r.personName, kindergartenName: r.kindergartenName ?? '', status: r.status, active: isActive(r.status),
      position: r.waitlistPosition, requestedAt: at(r.requestedAt), offerExpiresAt: r.status === 'offered' ? at(r.offerExpiresAt) : '',
      declineReason: r.status === 'declined' ? r.declineReason : null,
    })),
  })).filter((s) => s.rows.length > 0);
  const n = (status: EnrollmentStatus) => seats[status] ?? 0;
  return { sections, counts: { held: n('enrolled') + n('offered'), waitlisted: n('waitlisted'), pending: n('pending_approval') } };
}

// ---- forms ------------------------------------------------------------------------------------

/** Just the named fields of a posted form (never `_csrf`), trimmed strings or absent. */
export function pick(body: Record<string, unknown>, fields: string[]): Record<string, string> {
  return Object.fromEntries(fields.flatMap((f) => (typeof body[f] === 'string' ? [[f, (body[f] as string).trim()]] : [])));
}

/** The API's validation for a form's values, answering the typed DTO or throwing ValidationFailed. */
export async function validated<T>(dto: new () => T, request: Record<string, unknown>): Promise<T> {
  return (await createValidationPipe().transform(request, { type: 'body', metatype: dto, data: '' })) as T;
}

/** Message keys by validation code, the most telling first: "enter a whole number" before "too large". */
const PROBLEM_KEYS: Array<[string, string]> = [
  ['isInt', 'enrollment.problem.isInt'], ['min', 'enrollment.problem.min'], ['max', 'enrollment.problem.max'],
  ['isLength', 'enrollment.problem.tooLong'], ['maxLength', 'enrollment.problem.tooLong'],
];

/**
 * One message per form field for a refusal about fields (validation, or a capacity below the seats
 * taken), in the reader's language; null when the error is not about fields.
 */
export function fieldMessages(error: unknown, values: Record<string, string>, locale: Locale, requiredKey = 'enrollment.problem.required'): Record<string, string> | null {
  if (error instanceof DomainError && error.code === 'CAPACITY_BELOW_ENROLLED') return { capacity: errorMessage(error, locale) };
  if (!(error instanceof ValidationFailed)) return null;
  const codes = new Map<string, string[]>();
  for (const problem of error.problems) {
    const field = problem.field.split('.')[0];
    codes.set(field, [...(codes.get(field) ?? []), problem.code]);
  }
  return Object.fromEntries([...codes].map(([field, found]) => {
    const own = found.map((code) => `errors.${code}`).find((key) => hasTranslation(locale, key));
    const key = !values[field] ? requiredKey : own ?? PROBLEM_KEYS.find(([code]) => found.includes(code))?.[1] ?? 'enrollment.problem.invalid';
    return [field, translate(locale, key)];
  }));
}

/** A refusal from the enrolment services in words: every reason of an ineligible request, or the error's own message. */
export function errorMessage(error: DomainError, locale: Locale): string {
  if (error instanceof NotEligible) return error.reasons.map((r) => r.message).join(locale === 'en' ? '; ' : '；');
  const key = `errors.${error.code}`;
  const text = translate(locale, key, error.params);
  return text === key ? error.message : text;
}

/** A refusal in words for a page's alert: the field messages, or the error's own message. */
export function refusalText(error: DomainError, values: Record<string, string>, locale: Locale): string {
  const messages = fieldMessages(error, values, locale);
  return messages ? Object.values(messages).join(' ') : errorMessage(error, locale);
}

/** A refusal the page shows in place (4xx other than "not found"); anything else goes to the error page. */
export function shownInPlace(error: unknown): error is DomainError {
  return error instanceof DomainError && error.status >= 400 && error.status < 500 && error.status !== 404 && error.status !== 401;
}
