import { DomainError, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';

export type Form = Record<string, unknown>;

/** The named fields of a submitted form, blanks absent (so optional fields fall back to their defaults). */
export function pick(body: Form, fields: string[]): Form {
  const out: Form = {};
  for (const field of fields) {
    const value = body[field];
    if (typeof value === 'string' && value.trim() !== '') out[field] = value;
  }
  return out;
}

/** Field messages in the reader's language for a validation error (or a 422 naming a field), else null. */
export function fieldMessages(error: unknown, locale: Locale): Record<string, string> | null {
  if (error instanceof ValidationFailed) {
    const errors: Record<string, string> = {};
    for (const problem of error.problems) {
      if (errors[problem.field]) continue;
      const key = `ethics.problem.${problem.code}`;
      errors[problem.field] = translate(locale, hasTranslation(locale, key) ? key : 'ethics.problem.invalid');
    }
    return errors;
  }
  if (error instanceof DomainError && error.status === 422) return { _form: translate(locale, `errors.${error.code}`, error.params) };
  return null;
}
