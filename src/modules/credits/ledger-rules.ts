import type { FieldProblem } from '../../common/errors.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES, type CourseLevel, type CreditCategory } from '../catalog/catalog.entities.js';
import { CREDIT_SOURCES, type CreditSource } from './credit.entities.js';
import type { TrainingDelivery } from './credit-conversion.service.js';

/** No single activity earns more than this; larger amounts are typing mistakes (or several activities). */
export const MAX_HOURS_PER_ENTRY = 500;
export const MAX_CREDITS_PER_ENTRY = 50;
export const EARLIEST_OCCURRED_ON = '2000-01-01';

/** What district staff may record by hand; completions and claims arrive through their own flows. */
export const MANUAL_SOURCES = ['manual_adjustment', 'contest', 'lecture_series', 'program', 'mentoring'] as const satisfies readonly CreditSource[];

/** One award to write to the ledger. `credits` omitted: converted from the hours by the region's rule. */
export interface LedgerInput {
  personId: string;
  hours: number;
  credits?: number | null;
  category: CreditCategory;
  level: CourseLevel;
  source: CreditSource;
  sourceId?: string | null;
  /** Makes the award idempotent: the same key is recorded once (e.g. `completion:<enrolment id>`, `claim:<claim id>`). */
  sourceKey?: string | null;
  title: string;
  occurredOn: string;
  recordedBy: string | null;
  approvedBy?: string | null;
  reason?: string | null;
}

/** Centralised (face-to-face, organised) training converts at the centralised rate; the rest at the other rate. */
export function deliveryOf(source: CreditSource): TrainingDelivery {
  return source === 'course_completion' || source === 'lecture_series' || source === 'contest' ? 'centralised' : 'other';
}

const decimals = (value: number) => (String(value).split('.')[1] ?? '').length;

/** An amount's problem: not a number, negative, too many decimals or absurdly large. */
export function amountProblem(field: 'hours' | 'credits', value: unknown): FieldProblem | null {
  const max = field === 'hours' ? MAX_HOURS_PER_ENTRY : MAX_CREDITS_PER_ENTRY;
  const places = field === 'hours' ? 1 : 2;
  if (typeof value !== 'number' || !Number.isFinite(value)) return { field, code: 'isNumber', message: `${field} must be a number` };
  if (value < 0) return { field, code: 'min', message: `${field} must not be negative` };
  if (value > max) return { field, code: 'AMOUNT_TOO_LARGE', message: `${field} must not exceed ${max} for one entry` };
  if (decimals(value) > places) return { field, code: 'isNumber', message: `${field} takes at most ${places} decimal place(s)` };
  return null;
}

/** A date's problem: not a date, before 2000, or after today (Shanghai). */
export function occurredOnProblem(value: unknown, today: string, field = 'occurredOn'): FieldProblem | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))
    || !new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)) {
    return { field, code: 'isCalendarDate', message: `${field} must be a date as YYYY-MM-DD` };
  }
  if (value > today) return { field, code: 'DATE_IN_FUTURE', message: `${field} must not be after today (${today})` };
  if (value < EARLIEST_OCCURRED_ON) return { field, code: 'DATE_TOO_EARLY', message: `${field} must not be before ${EARLIEST_OCCURRED_ON}` };
  return null;
}

/** Every problem of an award before anything is looked up or written (the credits may still be converted later). */
export function ledgerInputProblems(input: LedgerInput, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (problem: FieldProblem | null) => problem && problems.push(problem);
  add(amountProblem('hours', input.hours));
  if (input.credits !== undefined && input.credits !== null) add(amountProblem('credits', input.credits));
  if (!problems.length && input.hours === 0 && (input.credits ?? 0) === 0) {
    add({ field: 'hours', code: 'AMOUNT_ZERO', message: 'an entry must carry some hours or credits' });
  }
  if (!(CREDIT_CATEGORIES as readonly string[]).includes(input.category)) add({ field: 'category', code: 'isIn', message: 'unknown category' });
  if (!(COURSE_LEVELS as readonly string[]).includes(input.level)) add({ field: 'level', code: 'isIn', message: 'unknown level' });
  if (!(CREDIT_SOURCES as readonly string[]).includes(input.source)) add({ field: 'source', code: 'isIn', message: 'unknown source' });
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (title.length < 1 || title.length > 200) add({ field: 'title', code: 'isLength', message: 'title must be 1 to 200 characters' });
  if (input.reason && input.reason.length > 1000) add({ field: 'reason', code: 'maxLength', message: 'reason must be at most 1000 characters' });
  add(occurredOnProblem(input.occurredOn, today));
  return problems;
}
