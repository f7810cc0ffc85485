import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES } from '../catalog/catalog.entities.js';
import type { ClaimView } from './claims.query.js';
import { CLAIM_STATUSES, type ClaimStatus } from './credit.entities.js';

/** The claim form's fields, in the order a refusal lists them. */
export const CLAIM_FORM_FIELDS = ['title', 'provider', 'certificateNumber', 'hours', 'credits', 'category', 'level', 'occurredOn', 'evidence'] as const;

export interface ClaimFormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** What an inbox row shows again after a refused action: why, and the reason that was typed. */
export interface RowState {
  error: string;
  reason: string;
}

/** One message per form field for a refusal about the form, in the reader's language; null when the refusal is not about fields. */
export function claimFormErrors(error: unknown, values: Record<string, string>, locale: Locale, maxBytes: number): Record<string, string> | null {
  const params = { mb: Math.floor(maxBytes / (1024 * 1024)) || 1 };
  if (error instanceof DomainError && error.code === 'CLAIM_DUPLICATE_CERTIFICATE') {
    return { certificateNumber: translate(locale, 'claims.problem.CLAIM_DUPLICATE_CERTIFICATE') };
  }
  if (!(error instanceof ValidationFailed)) return null;
  const errors: Record<string, string> = {};
  for (const problem of error.problems) {
    const field = (CLAIM_FORM_FIELDS as readonly string[]).includes(problem.field) ? problem.field : 'form';
    if (errors[field]) continue;
    const blank = field !== 'evidence' && field !== 'credits' && field !== 'form' && !values[field];
    const key = blank ? 'claims.problem.required' : `claims.problem.${problem.code}`;
    errors[field] = translate(locale, hasTranslation(locale, key) ? key : 'claims.problem.invalid', params);
  }
  return errors;
}

/** The learner's own claims. */
export function myRows(items: ClaimView[]) {
  return items.map((c) => ({ ...c, submittedOn: dateOf(c.createdAt) }));
}

/** Inbox rows with the action the caller may take on each: the kindergarten step, the district step, or none. */
export function inboxRows(items: ClaimView[], access: AccessContext, states: Record<string, RowState>) {
  return items.map((c) => {
    const own = access.isSelf(c.personId);
    const action = own ? null : c.status === 'submitted' ? 'review' : c.status === 'kindergarten_approved' && access.can('claims.decide') ? 'decide' : null;
    return { ...c, own, action, submittedOn: dateOf(c.createdAt), error: states[c.id]?.error ?? null, reason: states[c.id]?.reason ?? '' };
  });
}

/** The statuses the inbox filter offers: what waits for this reviewer first, then the rest, then all. */
export function statusChoices(step: 'review' | 'decide'): Array<ClaimStatus | 'all'> {
  const first: ClaimStatus = step === 'review' ? 'submitted' : 'kindergarten_approved';
  return [first, ...CLAIM_STATUSES.filter((s) => s !== first), 'all'];
}

export const claimChoices = { categories: CREDIT_CATEGORIES, levels: COURSE_LEVELS };

function dateOf(value: Date | string): string {
  return shanghaiDate(new Date(value));
}
