import { DomainError } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { formErrors as sharedFormErrors } from '../../common/web/form-state.js';

export type Form = Record<string, unknown>;

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

export { blankForm, refusal, type FormState } from '../../common/web/form-state.js';

/** The shared form-error mapping with this page family's problem messages (`cohort.problem.*`). */
export const formErrors = (error: unknown, fields: readonly string[], values: Record<string, string>, locale: Locale) =>
  sharedFormErrors(error, fields, values, locale, 'cohort.problem');

/** A tier's name: the built-in tiers from the catalogue, a district's own tier by the names on its program. */
export function tierLabel(locale: Locale, p: { tier: string; tierNameZh?: string | null; tierNameEn?: string | null }): string {
  const key = `cohort.tier.${p.tier}`;
  if (hasTranslation(locale, key)) return translate(locale, key);
  return (locale === 'en' ? p.tierNameEn : p.tierNameZh) ?? p.tier;
}

/** The status an error page answers with. */
export const statusOf = (error: unknown): number => (error instanceof DomainError ? error.status : 500);
