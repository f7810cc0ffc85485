import { DomainError, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { EDUCATION_LEVELS, GENDERS, POSTS } from './person.entity.js';
import { CERTIFICATE_KINDS, TITLES, type StageDefinition } from './person-records.entity.js';
import type { KindergartenOption } from '../org/org-scope.service.js';
import type { PersonListItem } from './people.query.js';
import type { PersonRecord } from './people.service.js';

/** How a form field becomes an API value: text (blank → absent), a checkbox, or a whole number. */
type FieldKind = 'text' | 'bool' | 'int';
type FormSpec = Record<string, FieldKind>;

export const FORMS = {
  create: {
    fullName: 'text', nationalId: 'text', gender: 'text', birthDate: 'text', phone: 'text', educationLevel: 'text',
    preschoolMajor: 'bool', hireDate: 'text', orgUnitId: 'text', post: 'text', startDate: 'text',
  },
  edit: { fullName: 'text', phone: 'text', educationLevel: 'text', preschoolMajor: 'bool', hireDate: 'text', version: 'int' },
  title: { title: 'text', effectiveDate: 'text', approvingBody: 'text', isCorrection: 'bool', correctionReason: 'text' },
  certificate: { kind: 'text', number: 'text', issuer: 'text', issuedOn: 'text', expiresOn: 'text' },
  move: { orgUnitId: 'text', post: 'text', startDate: 'text', endCurrentOn: 'text', note: 'text' },
} satisfies Record<string, FormSpec>;
export type FormName = keyof typeof FORMS;
export type RecordFormName = Exclude<FormName, 'create'>;

export interface FormState {
  values: Record<string, string | boolean>;
  errors: Record<string, string>;
  open: boolean;
}

/** The submitted form as the API would receive it. The create form's post fields nest under `employment`. */
export function formInput(form: FormName, body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(FORMS[form]) as [string, FieldKind][]) {
    const raw = body[field];
    if (kind === 'bool') input[field] = raw === 'on' || raw === 'true' || raw === '1';
    else if (typeof raw === 'string' && raw.trim() !== '') input[field] = kind === 'int' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw.trim();
    else if (raw !== undefined && typeof raw !== 'string') input[field] = raw;
  }
  if (form !== 'create') return input;
  const { orgUnitId, post, startDate, ...person } = input;
  return { ...person, employment: { orgUnitId, post, startDate } };
}

/** The entered values, to show the form again as it was sent. */
export function formValues(form: FormName, body: Record<string, unknown>): Record<string, string | boolean> {
  return Object.fromEntries(Object.entries(FORMS[form]).map(([field, kind]) => {
    const raw = body[field];
    return [field, kind === 'bool' ? raw === 'on' || raw === 'true' : typeof raw === 'string' ? raw : ''];
  }));
}

export function emptyForm(form: FormName, values: Record<string, string | boolean> = {}): FormState {
  const blank = Object.fromEntries(Object.entries(FORMS[form]).map(([field, kind]) => [field, kind === 'bool' ? false : '']));
  return { values: { ...blank, ...values }, errors: {}, open: false };
}

/** Domain errors that belong to one field of a form rather than to the whole page. */
const CONFLICT_FIELDS: Record<string, string> = {
  PERSON_EXISTS: 'nationalId', CERTIFICATE_EXISTS: 'number', CONFLICT: '_form',
  BACKGROUND_CHECK_MISSING: 'startDate', BACKGROUND_CHECK_HIT: 'startDate',
};

/** The status a form page answers with: a domain refusal keeps its own (422), input problems and conflicts 400. */
export function formStatus(error: unknown): number {
  return error instanceof DomainError && error.status === 422 && CONFLICT_FIELDS[error.code] ? 422 : 400;
}

/** Field messages (in the reader's language) for an error a form can show, or null for any other error. */
export function formErrors(error: unknown, locale: Locale, input: Record<string, unknown>): Record<string, string> | null {
  let problems: FieldProblem[];
  if (error instanceof ValidationFailed) problems = error.problems;
  else if (error instanceof DomainError && CONFLICT_FIELDS[error.code]) problems = [{ field: CONFLICT_FIELDS[error.code], code: error.code, message: error.message }];
  else return null;
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const field = problem.field.replace(/^employment\./, '');
    if (errors[field]) continue;
    const blank = (input[field] ?? (input.employment as Record<string, unknown> | undefined)?.[field]) === undefined;
    const key = blank && /^is(String|Defined|In|Uuid|CalendarDate|NationalId|Length)$|^matches$/.test(problem.code)
      ? 'people.problem.required' : `people.problem.${problem.code}`;
    errors[field] = translate(locale, hasTranslation(locale, key) ? key : 'people.problem.invalid');
  }
  return errors;
}

/** The option lists every people form offers. */
export function choices(kindergartens: KindergartenOption[]) {
  return { posts: POSTS, titles: TITLES, genders: GENDERS, educationLevels: EDUCATION_LEVELS, certificateKinds: CERTIFICATE_KINDS, kindergartens };
}

/** A stage code's name in the reader's language, from the configurable definitions. */
export function stageNamer(stages: StageDefinition[], locale: Locale) {
  const names = new Map(stages.map((s) => [`${s.kind}:${s.code}`, locale === 'en' ? s.nameEn : s.nameZh]));
  return (kind: string, code: string | null): string | null => (code ? names.get(`${kind}:${code}`) ?? code : null);
}

export function listRows(items: PersonListItem[], stageName: ReturnType<typeof stageNamer>) {
  return items.map((item) => ({
    ...item,
    stage: [stageName('principal', item.principalStage), stageName('teacher', item.teacherStage)].filter(Boolean).join(' / '),
  }));
}

/** Everything the record page shows: the person, their histories, and the forms the viewer may use. */
export function recordView(record: PersonRecord, options: {
  locale: Locale; stages: StageDefinition[]; kindergartens: KindergartenOption[]; self: boolean; canReveal: boolean;
  forms?: Partial<Record<RecordFormName, FormState>>;
}) {
  const stageName = stageNamer(options.stages, options.locale);
  const forms: Record<RecordFormName, FormState> = {
    edit: emptyForm('edit', {
      fullName: record.fullName, phone: '', educationLevel: record.educationLevel, preschoolMajor: record.preschoolMajor,
      hireDate: record.hireDate ?? '', version: String(record.version),
    }),
    title: emptyForm('title'),
    certificate: emptyForm('certificate'),
    move: emptyForm('move', { post: record.currentPost ?? '' }),
    ...options.forms,
  };
  return {
    title: translate(options.locale, options.self ? 'people.me.title' : 'people.record.title'),
    person: {
      ...record,
      teacherStageName: stageName('teacher', record.teacherStage),
      principalStageName: stageName('principal', record.principalStage),
      stages: record.stages.map((s) => ({ ...s, name: options.locale === 'en' ? s.nameEn : s.nameZh })),
    },
    self: options.self,
    canEdit: record.viewerCanEdit && !options.self,
    canReveal: options.canReveal && !record.sensitiveRevealed,
    /** The form sent back with errors, so the page's alert can lead to it. */
    formWithErrors: (Object.keys(forms) as RecordFormName[]).find((name) => Object.keys(forms[name].errors).length > 0) ?? null,
    forms,
    ...choices(options.kindergartens),
  };
}
