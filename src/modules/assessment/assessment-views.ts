import { shanghaiDateTime } from '../../common/dates.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { SNIFFED_TYPES } from '../files/file-types.js';
import type { SurveyQuestion } from './assessment.entities.js';
import type { LearnerItemView } from './learner-items.service.js';
import type { AttemptView } from './submissions.service.js';
import { RATINGS } from './survey-rules.js';

export const BADGE_COLOURS = { missing: 'secondary', submitted: 'primary', late: 'warning', graded: 'success' } as const;
const MB = 1024 * 1024;

/** A size for people: '2 MB', '0.5 MB'. */
export function megabytes(bytes: number | null): string {
  return bytes ? `${Math.round((bytes / MB) * 100) / 100} MB` : '';
}

/** 'PDF、JPG' from content types, by their usual extensions. */
export function typeNames(types: readonly string[], locale: Locale): string {
  const names = types.map((t) => (SNIFFED_TYPES as Record<string, { extension: string }>)[t]?.extension.toUpperCase() ?? t);
  return names.join(locale === 'en' ? ', ' : '、');
}

/** What the learner's file input may pick, by type and extension. */
export function acceptOf(types: readonly string[]): string {
  return types.flatMap((t) => [t, `.${(SNIFFED_TYPES as Record<string, { extension: string }>)[t]?.extension ?? ''}`]).filter((v) => v !== '.').join(',');
}

/** One row of the learner's list (and the head of the item page). */
export function learnerRow(item: LearnerItemView, locale: Locale) {
  return {
    id: item.id, kind: item.kind, title: item.title, status: item.status, badge: BADGE_COLOURS[item.status],
    dueAt: shanghaiDateTime(item.dueAt), pastDue: item.dueState === 'past', latePolicy: item.latePolicy, latePenaltyPercent: item.latePenaltyPercent,
    attempts: item.attempts, canSubmit: item.canSubmit, blockedBy: item.blockedBy,
    lastSubmittedAt: item.latest ? shanghaiDateTime(item.latest.submittedAt) : '',
    grade: item.grade && gradeView(item.grade),
    fileTypes: typeNames(item.allowedFileTypes, locale),
  };
}

function gradeView(grade: NonNullable<LearnerItemView['grade']>) {
  return {
    points: grade.points, hasPoints: grade.points !== null, maxPoints: grade.maxPoints, passed: grade.passed, feedback: grade.feedback,
    criteria: grade.criteria.map((c) => ({ title: c.title, points: c.points, comment: c.comment ?? '' })),
  };
}

/** One attempt in the history. */
export function attemptRow(attempt: AttemptView, questions: SurveyQuestion[]) {
  return {
    attempt: attempt.attempt, submittedAt: shanghaiDateTime(attempt.submittedAt), late: attempt.late, body: attempt.body ?? '',
    files: attempt.files.map((f) => ({ id: f.id, name: f.name, size: megabytes(f.sizeBytes) })),
    answers: attempt.answers ? questions.map((q) => ({ prompt: q.prompt, value: answerText(attempt.answers![q.id]) })) : [],
  };
}

function answerText(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return Array.isArray(value) ? value.join('、') : String(value);
}

/** The survey form, with what the learner entered (kept after a refusal) and each question's message. */
export function surveyForm(questions: SurveyQuestion[], entered: Record<string, unknown>, errors: Record<string, string>) {
  return questions.map((q) => {
    const value = entered[q.id];
    const chosen = Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)];
    return {
      id: q.id, kind: q.kind, prompt: q.prompt, required: q.required, error: errors[`answers.${q.id}`] ?? null,
      text: q.kind === 'text' ? chosen[0] ?? '' : '',
      choices: q.kind === 'rating'
        ? RATINGS.map((n) => ({ value: String(n), label: String(n), checked: chosen.includes(String(n)) }))
        : (q.options ?? []).map((o) => ({ value: o, label: o, checked: chosen.includes(o) })),
    };
  });
}

/** A posted survey form as the API's answers: ratings as numbers, multi answers as lists. */
export function answersFromForm(questions: SurveyQuestion[], raw: unknown): Record<string, unknown> {
  const form = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return Object.fromEntries(questions.flatMap((q) => {
    const value = form[q.id];
    if (value === undefined || value === '') return [];
    if (q.kind === 'rating') return [[q.id, typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value]];
    if (q.kind === 'multi') return [[q.id, Array.isArray(value) ? value : [value]]];
    return [[q.id, value]];
  }));
}

/**
 * One message per field for a refusal about fields, in the reader's language (the field as the form
 * names it: `rename` maps API fields such as `files[0]` or `questions[2].prompt` to form fields);
 * null when the error is not about fields.
 */
export function formErrors(error: unknown, locale: Locale, rename: (field: string) => string = (f) => f, params: Record<string, unknown> = {}): Record<string, string> | null {
  if (!(error instanceof ValidationFailed)) return null;
  const errors: Record<string, string> = {};
  for (const problem of error.problems) {
    const field = rename(problem.field);
    const key = `assessment.problem.${problem.code}`;
    const line = /^questions\[(\d+)\]/.exec(problem.field);
    const text = translate(locale, hasTranslation(locale, key) ? key : 'assessment.problem.invalid', params);
    const message = line ? translate(locale, 'assessment.problem.line', { line: Number(line[1]) + 1, message: text }) : text;
    errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  }
  return errors;
}

/** A refusal that is not about fields, in words (its `errors.<CODE>` text). */
export function refusal(error: DomainError, locale: Locale): string {
  const key = `errors.${error.code}`;
  const text = translate(locale, key, error.params);
  return text === key ? error.message : text;
}
