import { DomainError, ValidationFailed } from '../errors.js';
import { hasTranslation, translate, type Locale } from '../i18n/i18n.js';

/** What a page form shows again after a refusal: the values as sent and one message per field. */
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
 * One message per form field for a refusal the form shows (validation, or a domain refusal naming a
 * field in its details), `form` for the rest; null when the error is not the form's to show (401, 404, 5xx).
 * Validation problems read `<problemPrefix>.<CODE>`, else `<problemPrefix>.required` for an empty field or
 * `<problemPrefix>.invalid`.
 */
export function formErrors(error: unknown, fields: readonly string[], values: Record<string, string>, locale: Locale,
  problemPrefix: string): Record<string, string> | null {
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
    const own = `${problemPrefix}.${problem.code}`;
    const key = field !== 'form' && !values[field] ? `${problemPrefix}.required` : hasTranslation(locale, own) ? own : `${problemPrefix}.invalid`;
    errors[field] = translate(locale, key);
  }
  return errors;
}
