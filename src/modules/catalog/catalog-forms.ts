import { ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { createValidationPipe } from '../../common/validation.js';
import { fieldProblemsOf } from './catalog-errors.js';
import { fromShanghaiInput } from '../../common/dates.js';

/** How a form field becomes an API value. `list`: checkboxes or a multi-select; `tags`: free text split on commas. */
type FieldKind = 'text' | 'number' | 'int' | 'datetime' | 'bool' | 'list' | 'tags';
export type FormValues = Record<string, string | string[] | boolean>;

const AUDIENCE = ['posts', 'teacherStages', 'principalStages', 'titles', 'kindergartenGrades', 'ownerships', 'kindergartenIds', 'groupIds'] as const;

export const FORMS = {
  course: {
    code: 'text', title: 'text', description: 'text', provider: 'text', category: 'text', level: 'text', ownerOrgUnitId: 'text', mode: 'text',
    hours: 'number', credits: 'number', tags: 'tags', trainerUserIds: 'list', version: 'int',
    ...Object.fromEntries(AUDIENCE.map((d) => [d, 'list'])),
  },
  offering: {
    code: 'text', label: 'text', capacity: 'int', kindergartenQuota: 'int', enrolOpensAt: 'datetime', enrolClosesAt: 'datetime',
    withdrawDeadline: 'datetime', approvalMode: 'text', waitlistMode: 'text', offerExpiryHours: 'int', minAttendanceShare: 'number',
    trainerUserIds: 'list', version: 'int',
  },
  meeting: { title: 'text', startsAt: 'datetime', endsAt: 'datetime', place: 'text', onlineUrl: 'text', hours: 'number' },
  material: { kind: 'text', title: 'text', url: 'text', body: 'text', sortOrder: 'int', required: 'bool' },
} satisfies Record<string, Record<string, FieldKind>>;
export type FormName = keyof typeof FORMS;

/** Fields that may not be emptied; everything else blank is left out on create and cleared (null) on update. */
const REQUIRED = new Set(['code', 'title', 'category', 'level', 'mode', 'hours', 'capacity', 'enrolOpensAt', 'enrolClosesAt', 'withdrawDeadline',
  'approvalMode', 'waitlistMode', 'startsAt', 'endsAt', 'kind', 'minAttendanceShare']);
/** Fields a blank leaves out on update too (not a clearing). */
const KEEP_WHEN_BLANK = new Set(['version', 'ownerOrgUnitId', 'sortOrder']);
/** Fields that cannot be null: a blank clears them to empty text or an empty list. */
const EMPTY_WHEN_BLANK: Record<string, unknown> = { description: '', provider: '', label: '', title: '', tags: [], place: null, onlineUrl: null };

const list = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string' && v !== '');

/** What the user sent, as the form shows it again: strings, lists for multi-choice fields, booleans for checkboxes. */
export function formValues(form: FormName, body: Record<string, unknown>): FormValues {
  return Object.fromEntries(Object.entries(FORMS[form]).map(([field, kind]) => {
    const raw = body[field];
    if (kind === 'list') return [field, list(raw)];
    if (kind === 'bool') return [field, raw === 'on' || raw === 'true' || raw === true];
    return [field, typeof raw === 'string' ? raw : ''];
  }));
}

export function emptyForm(form: FormName, values: Partial<FormValues> = {}): FormValues {
  const blank = Object.fromEntries(Object.entries(FORMS[form]).map(([field, kind]) => [field, kind === 'list' ? [] : kind === 'bool' ? false : '']));
  return { ...blank, ...values } as FormValues;
}

/** The form's values as the API request: numbers and times converted, the audience nested, blanks per REQUIRED / KEEP_WHEN_BLANK. */
export function requestFromForm(form: FormName, values: FormValues, mode: 'create' | 'update'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const audience: Record<string, string[]> = {};
  for (const [field, kind] of Object.entries(FORMS[form]) as Array<[string, FieldKind]>) {
    const value = values[field];
    if (kind === 'list') {
      if ((AUDIENCE as readonly string[]).includes(field) && form === 'course') audience[field] = value as string[];
      else out[field] = value;
      continue;
    }
    if (kind === 'bool') {
      out[field] = value === true;
      continue;
    }
    const text = String(value ?? '').trim();
    if (text === '') {
      if (REQUIRED.has(field)) out[field] = mode === 'update' || kind === 'text' ? '' : undefined;
      else if (mode === 'update' && field in EMPTY_WHEN_BLANK) out[field] = EMPTY_WHEN_BLANK[field];
      else if (mode === 'update' && !KEEP_WHEN_BLANK.has(field)) out[field] = null;
      continue;
    }
    if (kind === 'number') out[field] = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    else if (kind === 'int') out[field] = /^-?\d+$/.test(text) ? Number(text) : text;
    else if (kind === 'datetime') out[field] = fromShanghaiInput(text);
    else if (kind === 'tags') out[field] = text.split(/[,，、;；\s]+/).filter(Boolean);
    else out[field] = field === 'description' || field === 'body' ? String(value) : text;
  }
  if (form === 'course') out.audience = audience;
  if (form === 'course' && mode === 'update') delete out.ownerOrgUnitId;
  if (form === 'offering' && mode === 'update') delete out.capacity;
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/** The same validation as the API on a form's request, answering the typed DTO. */
export async function validated<T>(dto: new () => T, request: Record<string, unknown>): Promise<T> {
  return (await createValidationPipe().transform(request, { type: 'body', metatype: dto, data: '' })) as T;
}

/** The form field a problem belongs to: `audience.posts` → `posts`, `tags.0` → `tags`, a conflict on the whole record → `_form`. */
function formField(field: string): string {
  const path = field.startsWith('audience.') ? field.slice('audience.'.length) : field;
  return path.split('.')[0] === 'version' ? '_form' : path.split('.')[0];
}

/** One message per field in the reader's language, or null when the error is not about fields (the page shows it instead). */
export function formErrors(error: unknown, values: FormValues, locale: Locale): Record<string, string> | null {
  const problems: FieldProblem[] | null = error instanceof ValidationFailed ? error.problems : fieldProblemsOf(error);
  if (!problems) return null;
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const field = formField(problem.field);
    if (errors[field]) continue;
    const value = values[field];
    const blank = typeof value === 'string' && value.trim() === '';
    const key = blank && REQUIRED.has(field) ? 'catalog.problem.required' : `catalog.problem.${problem.code}`;
    errors[field] = translate(locale, hasTranslation(locale, key) ? key : 'catalog.problem.invalid');
  }
  return errors;
}
