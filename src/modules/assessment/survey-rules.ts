import type { FieldProblem } from '../../common/errors.js';
import { QUESTION_KINDS, type QuestionKind, type SurveyAnswers, type SurveyQuestion } from './assessment.entities.js';

export const MAX_QUESTIONS = 50;
export const MAX_PROMPT_LENGTH = 500;
export const MAX_OPTIONS = 20;
export const MAX_OPTION_LENGTH = 200;
export const MAX_TEXT_ANSWER = 2000;
export const RATINGS = [1, 2, 3, 4, 5] as const;

const problem = (field: string, code: string, message: string): FieldProblem => ({ field, code, message });
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A survey's questions, checked one by one (problems named `questions[i].prompt`). Ids are given
 * here, q1..qn in order, so answers always refer to the questions as they stand.
 */
export function validateQuestions(raw: unknown, field = 'questions'): { questions: SurveyQuestion[]; problems: FieldProblem[] } {
  if (!Array.isArray(raw)) return { questions: [], problems: [problem(field, 'isArray', `${field} must be a list of questions`)] };
  const problems: FieldProblem[] = [];
  if (raw.length === 0) problems.push(problem(field, 'arrayMinSize', 'A survey needs at least one question'));
  if (raw.length > MAX_QUESTIONS) problems.push(problem(field, 'arrayMaxSize', `A survey has at most ${MAX_QUESTIONS} questions`));
  const questions = raw.slice(0, MAX_QUESTIONS).map((entry, index): SurveyQuestion => {
    const at = `${field}[${index}]`;
    const q = isRecord(entry) ? entry : {};
    if (!isRecord(entry)) problems.push(problem(at, 'isObject', `${at} must be a question`));
    for (const key of Object.keys(q)) {
      if (!['id', 'kind', 'prompt', 'options', 'required'].includes(key)) problems.push(problem(`${at}.${key}`, 'unknown_field', `${at}.${key} is not an allowed field`));
    }
    const kind = q.kind as QuestionKind;
    if (!(QUESTION_KINDS as readonly unknown[]).includes(kind)) problems.push(problem(`${at}.kind`, 'isIn', `${at}.kind must be one of ${QUESTION_KINDS.join(', ')}`));
    const prompt = typeof q.prompt === 'string' ? q.prompt.trim() : '';
    if (!prompt) problems.push(problem(`${at}.prompt`, 'isNotEmpty', `${at}.prompt is required`));
    else if (prompt.length > MAX_PROMPT_LENGTH) problems.push(problem(`${at}.prompt`, 'maxLength', `${at}.prompt is longer than ${MAX_PROMPT_LENGTH} characters`));
    if (q.required !== undefined && typeof q.required !== 'boolean') problems.push(problem(`${at}.required`, 'isBoolean', `${at}.required must be true or false`));
    const question: SurveyQuestion = { id: `q${index + 1}`, kind, prompt, required: q.required === undefined ? true : q.required === true };
    if (kind === 'choice' || kind === 'multi') {
      const options = optionsOf(q.options, `${at}.options`, problems);
      question.options = options;
    } else if (q.options !== undefined && q.options !== null && !(Array.isArray(q.options) && q.options.length === 0)) {
      problems.push(problem(`${at}.options`, 'NOT_ALLOWED', `${at}.options are only for choice and multi questions`));
    }
    return question;
  });
  return { questions, problems };
}

function optionsOf(raw: unknown, field: string, problems: FieldProblem[]): string[] {
  if (!Array.isArray(raw) || raw.some((o) => typeof o !== 'string')) {
    problems.push(problem(field, 'isArray', `${field} must be a list of texts`));
    return [];
  }
  const options = (raw as string[]).map((o) => o.trim());
  if (options.length < 2) problems.push(problem(field, 'arrayMinSize', `${field} needs at least two options`));
  else if (options.length > MAX_OPTIONS) problems.push(problem(field, 'arrayMaxSize', `${field} has at most ${MAX_OPTIONS} options`));
  else if (options.some((o) => !o || o.length > MAX_OPTION_LENGTH)) problems.push(problem(field, 'OPTION_LENGTH', `every option needs 1 to ${MAX_OPTION_LENGTH} characters`));
  else if (new Set(options).size !== options.length) problems.push(problem(field, 'arrayUnique', `${field} repeats an option`));
  return options;
}

const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && !value.trim()) || (Array.isArray(value) && value.length === 0);

/** A learner's answers checked against the questions (problems named `answers.q2`); unanswered optional questions are left out. */
export function validateAnswers(questions: SurveyQuestion[], raw: unknown): { answers: SurveyAnswers; problems: FieldProblem[] } {
  if (!isRecord(raw)) return { answers: {}, problems: [problem('answers', 'isObject', 'answers must be an object keyed by question id')] };
  const problems: FieldProblem[] = [];
  const answers: SurveyAnswers = {};
  const ids = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(raw)) {
    if (!ids.has(key)) problems.push(problem(`answers.${key}`, 'unknown_field', `answers.${key} is not a question of this survey`));
  }
  for (const q of questions) {
    const field = `answers.${q.id}`;
    const value = raw[q.id];
    if (blank(value)) {
      if (q.required) problems.push(problem(field, 'REQUIRED', `${field} is required`));
      continue;
    }
    if (q.kind === 'rating') {
      if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 5) problems.push(problem(field, 'RATING_RANGE', `${field} must be a whole number from 1 to 5`));
      else answers[q.id] = value as number;
    } else if (q.kind === 'choice') {
      if (typeof value !== 'string' || !q.options!.includes(value)) problems.push(problem(field, 'NOT_AN_OPTION', `${field} must be one of the options`));
      else answers[q.id] = value;
    } else if (q.kind === 'multi') {
      const list = Array.isArray(value) ? value : [value];
      if (list.some((v) => typeof v !== 'string' || !q.options!.includes(v)) || new Set(list).size !== list.length) {
        problems.push(problem(field, 'NOT_AN_OPTION', `${field} must be some of the options, each once`));
      } else answers[q.id] = q.options!.filter((o) => list.includes(o));
    } else {
      const text = typeof value === 'string' ? value.trim() : null;
      if (text === null) problems.push(problem(field, 'isString', `${field} must be text`));
      else if (text.length > MAX_TEXT_ANSWER) problems.push(problem(field, 'maxLength', `${field} is longer than ${MAX_TEXT_ANSWER} characters`));
      else answers[q.id] = text;
    }
  }
  return { answers, problems };
}

/** Whether two responses say the same (key order never matters). */
export function sameAnswers(a: SurveyAnswers | null, b: SurveyAnswers | null): boolean {
  const canonical = (answers: SurveyAnswers | null) => JSON.stringify(Object.entries(answers ?? {}).sort(([x], [y]) => x.localeCompare(y)));
  return canonical(a) === canonical(b);
}

export type QuestionResult =
  | { id: string; kind: 'rating'; prompt: string; answered: number; average: number | null; distribution: Record<string, number> }
  | { id: string; kind: 'choice' | 'multi'; prompt: string; answered: number; counts: Array<{ option: string; count: number }> }
  | { id: string; kind: 'text'; prompt: string; answered: number; answers: string[] };

export interface SurveyResults {
  responses: number;
  learners: number;
  /** responses / learners, 0..1 (0 when nobody is enrolled). */
  rate: number;
  questions: QuestionResult[];
}

/**
 * Counts per question. Text answers are sorted, never in the order given, so nothing ties an answer
 * to a learner (the results name no one).
 */
export function aggregate(questions: SurveyQuestion[], responses: SurveyAnswers[], learners: number): SurveyResults {
  const results = questions.map((q): QuestionResult => {
    const given = responses.map((r) => r[q.id]).filter((v) => v !== undefined && v !== null);
    if (q.kind === 'rating') {
      const ratings = given.filter((v): v is number => typeof v === 'number');
      const distribution = Object.fromEntries(RATINGS.map((n) => [String(n), ratings.filter((r) => r === n).length]));
      const average = ratings.length ? Math.round((ratings.reduce((s, r) => s + r, 0) / ratings.length) * 100) / 100 : null;
      return { id: q.id, kind: 'rating', prompt: q.prompt, answered: ratings.length, average, distribution };
    }
    if (q.kind === 'choice' || q.kind === 'multi') {
      const picked = given.flatMap((v) => (Array.isArray(v) ? v : [v]));
      return { id: q.id, kind: q.kind, prompt: q.prompt, answered: given.length, counts: (q.options ?? []).map((option) => ({ option, count: picked.filter((p) => p === option).length })) };
    }
    const texts = given.filter((v): v is string => typeof v === 'string' && v.length > 0).sort((a, b) => a.localeCompare(b, 'zh-CN'));
    return { id: q.id, kind: 'text', prompt: q.prompt, answered: texts.length, answers: texts };
  });
  return { responses: responses.length, learners, rate: learners ? Math.round((responses.length / learners) * 1000) / 1000 : 0, questions: results };
}

/**
 * The page editor's text: one question per line, `kind|prompt`, options for choice and multi after
 * another `|` separated by `;`, and a last `|optional` (or `|选填`) for a question that may be skipped.
 */
export function parseQuestionLines(text: string): unknown[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).map((line) => {
    const parts = line.split('|').map((p) => p.trim());
    const optional = parts.length > 2 && ['optional', '选填'].includes(parts[parts.length - 1].toLowerCase());
    const rest = parts.slice(2, optional ? -1 : undefined);
    const kind = parts[0].toLowerCase();
    const question: Record<string, unknown> = { kind, prompt: parts[1] ?? '', required: !optional };
    if (kind === 'choice' || kind === 'multi') question.options = (rest[0] ?? '').split(/[;；]/).map((o) => o.trim()).filter(Boolean);
    else if (rest.length) question.options = rest;
    return question;
  });
}

/** The questions back as editor lines. */
export function questionLines(questions: SurveyQuestion[]): string {
  return questions.map((q) => [q.kind, q.prompt, ...(q.options?.length ? [q.options.join(';')] : []), ...(q.required ? [] : ['optional'])].join('|')).join('\n');
}
