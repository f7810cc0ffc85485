import { DomainError, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';

export type Form = Record<string, unknown>;

export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export const STATUS_COLOURS: Record<string, string> = {
  active: 'success', completed: 'primary', failed: 'danger', exited: 'secondary', moved: 'info',
  submitted: 'warning', accepted: 'success', returned: 'danger',
};

export const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** The named fields of a form as strings (unknown fields, like `_csrf`, are left out). */
export function pick(body: Form, fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f, typeof body[f] === 'string' ? (body[f] as string) : ''])) as Record<string, string>;
}

/** A form's values with blank ones left out, so the API's optional fields stay absent. */
export function present(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));
}

/** A checkbox group (`name`, `name[]`) as a list of strings. */
export function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

export const blankForm = (fields: readonly string[], values: Record<string, string> = {}): FormState =>
  ({ values: { ...Object.fromEntries(fields.map((f) => [f, ''])), ...values }, errors: {} });

/** A refusal in the reader's words: `errors.<CODE>` with the error's params, else its English message. */
export function refusal(error: DomainError, locale: Locale): string {
  const key = `errors.${error.code}`;
  return hasTranslation(locale, key) ? translate(locale, key, error.params) : error.message;
}

/**
 * One message per form field for a refusal the form shows (validation, or a domain refusal naming a
 * field in its details), `form` for the rest; null when the error is not the form's to show (404, 5xx).
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
    const own = `cohort.problem.${problem.code}`;
    const key = field !== 'form' && !values[field] ? 'cohort.problem.required' : hasTranslation(locale, own) ? own : 'cohort.problem.invalid';
    errors[field] = translate(locale, key);
  }
  return errors;
}

/** A tier's name: the built-in tiers from the catalogue, a district's own tier by the names on its program. */
export function tierLabel(locale: Locale, p: { tier: string; tierNameZh?: string | null; tierNameEn?: string | null }): string {
  const key = `cohort.tier.${p.tier}`;
  if (hasTranslation(locale, key)) return translate(locale, key);
  return (locale === 'en' ? p.tierNameEn : p.tierNameZh) ?? p.tier;
}

/** The status an error page answers with. */
export const statusOf = (error: unknown): number => (error instanceof DomainError ? error.status : 500);
