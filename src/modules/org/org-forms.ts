import { ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { createValidationPipe } from '../../common/validation.js';
import { KINDERGARTEN_GRADES, KINDERGARTEN_STATUSES, ORG_UNIT_KINDS, OWNERSHIPS, type OrgUnitKind } from './org-unit.entity.js';
import { KINDERGARTEN_FIELDS, kindergartenFieldProblems } from './org-rules.js';
import type { MemberInput } from './org-rules.js';

/** The choices the org pages offer in their selects. */
export const ORG_CHOICES = {
  kinds: ORG_UNIT_KINDS.filter((k) => k !== 'city'),
  grades: KINDERGARTEN_GRADES,
  ownerships: OWNERSHIPS,
  statuses: KINDERGARTEN_STATUSES,
};

const NUMBER_FIELDS = new Set(['foundedYear', 'openingYear', 'kindergartenClasses', 'nurseryClasses', 'childrenEnrolled', 'version']);
/** Columns that may not be emptied: a blank input for them is an error, not a clearing. */
const REQUIRED_FIELDS = new Set(['kind', 'parentId', 'code', 'name', 'ownership', 'inclusive', 'grade', 'status']);

export type FormValues = Record<string, string>;

/** The fields the create or edit form shows for a unit of `kind`. */
export function unitFormFields(kind: OrgUnitKind, mode: 'create' | 'update'): string[] {
  const base = mode === 'create' ? ['kind', 'parentId', 'code', 'name', 'nameEn'] : ['code', 'name', 'nameEn', 'version'];
  return kind === 'kindergarten' ? [...base, ...KINDERGARTEN_FIELDS] : base;
}

/** What the user typed, as strings, for the form's fields only (anything else in the body is ignored). */
export function typedValues(body: Record<string, unknown>, fields: string[]): FormValues {
  return Object.fromEntries(fields.map((field) => [field, typeof body[field] === 'string' ? (body[field] as string) : '']));
}

/** A unit's current values, as the edit form shows them. */
export function valuesOf(unit: object, fields: string[]): FormValues {
  const record = unit as Record<string, unknown>;
  return Object.fromEntries(fields.map((field) => [field, record[field] === null || record[field] === undefined ? '' : String(record[field])]));
}

/**
 * Form strings to the API's request shape: whole numbers and booleans converted, a blank left
 * out on create and cleared (null) on update, except required fields, which stay '' so
 * validation names them.
 */
export function requestFromForm(values: FormValues, mode: 'create' | 'update'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(values)) {
    const text = raw.trim();
    if (text === '') {
      if (REQUIRED_FIELDS.has(field)) out[field] = mode === 'update' ? '' : undefined;
      else if (mode === 'update' && field !== 'version') out[field] = null;
      continue;
    }
    if (NUMBER_FIELDS.has(field)) out[field] = /^-?\d+$/.test(text) ? Number(text) : text;
    else if (field === 'inclusive') out[field] = text === 'true' ? true : text === 'false' ? false : text;
    else out[field] = raw;
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/** Checked boxes `member` and `lead` (one value or several) to a member list; a lead is a member. */
export function membersFromForm(body: Record<string, unknown>): { members: MemberInput[] } {
  const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
  const leads = new Set(list(body.lead));
  const ids = [...new Set([...list(body.member), ...leads])];
  return { members: ids.map((kindergartenId) => ({ kindergartenId, isLead: leads.has(kindergartenId) })) };
}

/**
 * Runs the same validation as the API on a form's request, answering the typed DTO. With a
 * unit kind, the kindergarten-field rules the service applies later are reported at once too,
 * so the form marks every bad field in one round.
 */
export async function validated<T>(dto: new () => T, request: Record<string, unknown>, kind?: OrgUnitKind): Promise<T> {
  const kindProblems = kind ? kindergartenFieldProblems(kind, request) : [];
  try {
    return (await createValidationPipe().transform(request, { type: 'body', metatype: dto, data: '' })) as T;
  } catch (error) {
    if (error instanceof ValidationFailed && kindProblems.length) throw new ValidationFailed([...error.problems, ...kindProblems]);
    throw error;
  }
}

/** One message per field, in the reader's language; a blank required field says so. */
export function fieldErrors(problems: FieldProblem[], values: FormValues, locale: Locale): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const field = problem.field.split('.')[0];
    if (errors[field]) continue;
    const blank = field in values && values[field].trim() === '';
    const key = blank && REQUIRED_FIELDS.has(field) ? 'org.problem.required' : `org.problem.${problem.code}`;
    errors[field] = translate(locale, hasTranslation(locale, key) ? key : 'org.problem.invalid');
  }
  return errors;
}

export interface FormInput {
  name: string;
  label: string;
  type: 'text' | 'number';
  value: string;
  error: string | null;
  options: Array<{ value: string; label: string; selected: boolean }> | null;
  half: boolean;
}

const SELECTS: Record<string, { values: readonly string[]; prefix: string }> = {
  ownership: { values: OWNERSHIPS, prefix: 'org.ownership.' },
  inclusive: { values: ['true', 'false'], prefix: 'org.inclusive.' },
  grade: { values: KINDERGARTEN_GRADES, prefix: 'org.grade.' },
  status: { values: KINDERGARTEN_STATUSES, prefix: 'org.status.' },
};
/** Chosen elsewhere on the page (kind, parent) or carried in a hidden input (version). */
const NOT_INPUTS = new Set(['kind', 'parentId', 'version']);

/** The visible inputs of a unit form, in order, each with its value and error, for one loop in the template. */
export function formInputs(fields: string[], values: FormValues, errors: Record<string, string>): FormInput[] {
  return fields.filter((name) => !NOT_INPUTS.has(name)).map((name) => {
    const select = SELECTS[name];
    return {
      name,
      label: `org.field.${name}`,
      type: NUMBER_FIELDS.has(name) ? 'number' : 'text',
      value: values[name] ?? '',
      error: errors[name] ?? null,
      options: select ? select.values.map((value) => ({ value, label: `${select.prefix}${value}`, selected: values[name] === value })) : null,
      half: name !== 'address' && name !== 'name',
    };
  });
}
