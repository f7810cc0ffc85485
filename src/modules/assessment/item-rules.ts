import { isZonedDateTime } from '../../common/dates.js';
import type { FieldProblem } from '../../common/errors.js';
import {
  GRADING_METHODS, ITEM_KINDS, LATE_POLICIES, SUBMISSION_MODES,
  type AssessmentItem, type GradingMethod, type ItemKind, type LatePolicy, type SubmissionMode, type SurveyQuestion,
} from './assessment.entities.js';
import { validateQuestions } from './survey-rules.js';

export const MAX_POINTS = 10_000;
export const MAX_FILES = 20;
export const DEFAULT_MAX_FILES = 5;
/** What an assignment that takes files accepts when the trainer names no types. */
export const DEFAULT_FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

/** The fields a client sets on an item (the API's names). */
export const ITEM_FIELDS = [
  'kind', 'title', 'instructions', 'position', 'submissionModes', 'dueAt', 'latePolicy', 'latePenaltyPercent',
  'allowedFileTypes', 'maxFileBytes', 'maxFiles', 'gradingMethod', 'rubricId', 'maxPoints', 'passPoints', 'secondMarking', 'questions',
] as const;

/** Changing these once an item has grades would change what the grades mean. */
export const GRADING_FIELDS = ['gradingMethod', 'rubricId', 'maxPoints', 'passPoints', 'secondMarking', 'latePenaltyPercent'] as const;

export interface ItemSettings {
  kind: ItemKind;
  title: string;
  instructions: string | null;
  position: number | null;
  submissionModes: SubmissionMode[];
  dueAt: Date | null;
  latePolicy: LatePolicy;
  latePenaltyPercent: number | null;
  allowedFileTypes: string[];
  maxFileBytes: number | null;
  maxFiles: number;
  gradingMethod: GradingMethod;
  rubricId: string | null;
  /** For rubric and guide items the service copies the rubric's maximum in. */
  maxPoints: number | null;
  passPoints: number | null;
  secondMarking: boolean;
  questions: SurveyQuestion[];
}

export interface ItemLimits {
  /** Sniffed file types the platform recognises. */
  fileTypes: readonly string[];
  /** The server's upload limit; an item may only narrow it. */
  uploadMaxBytes: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const problem = (field: string, code: string, message: string): FieldProblem => ({ field, code, message });
const given = (value: unknown) => value !== undefined && value !== null;
const decimals = (value: number) => (String(value).split('.')[1] ?? '').length;

/** The item's current settings in the API's shape, so a change can be laid over them and checked as a whole. */
export function settingsInput(item: AssessmentItem): Record<string, unknown> {
  return {
    kind: item.kind, title: item.title, instructions: item.instructions, position: item.position, submissionModes: item.submissionModes,
    dueAt: item.dueAt ? item.dueAt.toISOString() : null, latePolicy: item.latePolicy, latePenaltyPercent: item.latePenaltyPercent,
    allowedFileTypes: item.allowedFileTypes, maxFileBytes: item.maxFileBytes, maxFiles: item.maxFiles, gradingMethod: item.gradingMethod,
    rubricId: item.rubricId, maxPoints: item.maxPoints, passPoints: item.passPoints, secondMarking: item.secondMarking,
    questions: item.questions.map(({ kind, prompt, options, required }) => ({ kind, prompt, ...(options ? { options } : {}), required })),
  };
}

/**
 * Checks a whole item (every bad field listed) and answers its settings, with the fields that do not
 * apply to its kind or mode cleared. The rubric itself is checked by the service (it needs the database).
 */
export function validateItem(input: Record<string, unknown>, limits: ItemLimits, allowedExtra: readonly string[] = []): { settings: ItemSettings; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(input)) {
    if (!(ITEM_FIELDS as readonly string[]).includes(key) && !allowedExtra.includes(key)) problems.push(problem(key, 'unknown_field', `${key} is not an allowed field`));
  }
  const kind = input.kind as ItemKind;
  if (!(ITEM_KINDS as readonly unknown[]).includes(kind)) problems.push(problem('kind', 'isIn', `kind must be one of ${ITEM_KINDS.join(', ')}`));
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (!title) problems.push(problem('title', 'isNotEmpty', 'title is required'));
  else if (title.length > 200) problems.push(problem('title', 'maxLength', 'title is longer than 200 characters'));
  let instructions: string | null = null;
  if (given(input.instructions)) {
    if (typeof input.instructions !== 'string') problems.push(problem('instructions', 'isString', 'instructions must be text'));
    else if (input.instructions.length > 10_000) problems.push(problem('instructions', 'maxLength', 'instructions are longer than 10000 characters'));
    else instructions = input.instructions.trim() || null;
  }
  const position = given(input.position) ? int(input.position, 'position', 0, 10_000, problems) : null;
  let dueAt: Date | null = null;
  if (given(input.dueAt) && input.dueAt !== '') {
    if (!isZonedDateTime(input.dueAt)) problems.push(problem('dueAt', 'isZonedDateTime', 'dueAt must be a date and time with its offset, e.g. 2026-12-03T17:00:00+08:00'));
    else dueAt = new Date(input.dueAt);
  }

  const settings: ItemSettings = {
    kind, title, instructions, position, submissionModes: [], dueAt, latePolicy: 'accept', latePenaltyPercent: null, allowedFileTypes: [],
    maxFileBytes: null, maxFiles: DEFAULT_MAX_FILES, gradingMethod: 'none', rubricId: null, maxPoints: null, passPoints: null,
    secondMarking: false, questions: [],
  };
  if (kind !== 'survey' && given(input.questions) && !(Array.isArray(input.questions) && input.questions.length === 0)) {
    problems.push(problem('questions', 'NOT_ALLOWED', 'Only a survey has questions'));
  }
  if (kind === 'assignment') assignmentSettings(input, limits, settings, problems);
  else if (kind === 'offline' && Array.isArray(input.submissionModes) && input.submissionModes.length) {
    problems.push(problem('submissionModes', 'NOT_ALLOWED', 'An offline item is graded from observation and takes no submissions'));
  }
  if (kind === 'assignment' || kind === 'survey') latePolicySettings(input, settings, problems);
  if (kind === 'survey') {
    if (given(input.gradingMethod) && input.gradingMethod !== 'none') problems.push(problem('gradingMethod', 'isIn', 'A survey is not graded: gradingMethod must be none'));
    const checked = validateQuestions(input.questions ?? []);
    settings.questions = checked.questions;
    problems.push(...checked.problems);
  } else if (kind === 'assignment' || kind === 'offline') {
    gradingSettings(input, settings, problems);
  }
  return { settings, problems };
}

function assignmentSettings(input: Record<string, unknown>, limits: ItemLimits, settings: ItemSettings, problems: FieldProblem[]): void {
  const modes = input.submissionModes;
  if (!Array.isArray(modes) || modes.length === 0 || modes.some((m) => !(SUBMISSION_MODES as readonly unknown[]).includes(m)) || new Set(modes).size !== modes.length) {
    problems.push(problem('submissionModes', 'isIn', `submissionModes must list one or both of ${SUBMISSION_MODES.join(', ')}`));
    return;
  }
  settings.submissionModes = SUBMISSION_MODES.filter((m) => modes.includes(m));
  if (!settings.submissionModes.includes('file')) return;
  const types = given(input.allowedFileTypes) ? input.allowedFileTypes : DEFAULT_FILE_TYPES.filter((t) => limits.fileTypes.includes(t));
  if (!Array.isArray(types) || types.length === 0 || types.some((t) => !limits.fileTypes.includes(t as string))) {
    problems.push(problem('allowedFileTypes', 'isIn', `allowedFileTypes must list some of ${limits.fileTypes.join(', ')}`));
  } else settings.allowedFileTypes = [...new Set(types as string[])];
  if (given(input.maxFileBytes)) settings.maxFileBytes = int(input.maxFileBytes, 'maxFileBytes', 1, limits.uploadMaxBytes, problems);
  if (given(input.maxFiles)) settings.maxFiles = int(input.maxFiles, 'maxFiles', 1, MAX_FILES, problems) ?? DEFAULT_MAX_FILES;
}

function latePolicySettings(input: Record<string, unknown>, settings: ItemSettings, problems: FieldProblem[]): void {
  const policy = given(input.latePolicy) ? input.latePolicy : 'accept';
  if (!(LATE_POLICIES as readonly unknown[]).includes(policy)) {
    problems.push(problem('latePolicy', 'isIn', `latePolicy must be one of ${LATE_POLICIES.join(', ')}`));
    return;
  }
  settings.latePolicy = policy as LatePolicy;
  if (policy !== 'penalty') return;
  if (!given(input.latePenaltyPercent)) problems.push(problem('latePenaltyPercent', 'REQUIRED', 'latePenaltyPercent is required when late work loses points'));
  else settings.latePenaltyPercent = int(input.latePenaltyPercent, 'latePenaltyPercent', 1, 100, problems);
}

function gradingSettings(input: Record<string, unknown>, settings: ItemSettings, problems: FieldProblem[]): void {
  const method = input.gradingMethod;
  const methods = GRADING_METHODS.filter((m) => m !== 'none');
  if (!(methods as readonly unknown[]).includes(method)) {
    problems.push(problem('gradingMethod', 'isIn', `gradingMethod must be one of ${methods.join(', ')}`));
    return;
  }
  settings.gradingMethod = method as GradingMethod;
  if (input.secondMarking !== undefined && typeof input.secondMarking !== 'boolean') problems.push(problem('secondMarking', 'isBoolean', 'secondMarking must be true or false'));
  settings.secondMarking = input.secondMarking === true;
  if (method === 'rubric' || method === 'guide') {
    if (typeof input.rubricId !== 'string' || !UUID.test(input.rubricId)) problems.push(problem('rubricId', 'REQUIRED', `rubricId is required for a ${method} item`));
    else settings.rubricId = input.rubricId.toLowerCase();
  } else if (method === 'points') {
    if (!given(input.maxPoints)) problems.push(problem('maxPoints', 'REQUIRED', 'maxPoints is required for a points item'));
    else settings.maxPoints = points(input.maxPoints, 'maxPoints', problems, 0.01);
  }
  if (method !== 'pass_fail' && given(input.passPoints)) {
    settings.passPoints = points(input.passPoints, 'passPoints', problems, 0);
    const over = passPointsProblem(settings.passPoints, settings.maxPoints);
    if (over) problems.push(over);
  }
}

/** The pass mark may not be above the maximum. */
export function passPointsProblem(passPoints: number | null, maxPoints: number | null): FieldProblem | null {
  return passPoints !== null && maxPoints !== null && passPoints > maxPoints
    ? problem('passPoints', 'PASS_ABOVE_MAX', `passPoints (${passPoints}) must not be above maxPoints (${maxPoints})`) : null;
}

/** The grading fields whose value differs between two settings. */
export function changedGradingFields(before: Pick<ItemSettings, (typeof GRADING_FIELDS)[number]>, after: Pick<ItemSettings, (typeof GRADING_FIELDS)[number]>): string[] {
  return GRADING_FIELDS.filter((f) => (before[f] ?? null) !== (after[f] ?? null));
}

/** Whether the questions changed (what learners answered would no longer match). */
export function questionsChanged(before: SurveyQuestion[], after: SurveyQuestion[]): boolean {
  const canonical = (list: SurveyQuestion[]) => JSON.stringify(list.map(({ id, kind, prompt, options, required }) => [id, kind, prompt, options ?? [], required]));
  return canonical(before) !== canonical(after);
}

function int(value: unknown, field: string, min: number, max: number, problems: FieldProblem[]): number | null {
  if (!Number.isInteger(value)) problems.push(problem(field, 'isInt', `${field} must be a whole number`));
  else if ((value as number) < min) problems.push(problem(field, 'min', `${field} must be at least ${min}`));
  else if ((value as number) > max) problems.push(problem(field, 'max', `${field} must be at most ${max}`));
  else return value as number;
  return null;
}

function points(value: unknown, field: string, problems: FieldProblem[], min: number): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || decimals(value) > 2) problems.push(problem(field, 'isNumber', `${field} must be a number with at most two decimals`));
  else if (value < min) problems.push(problem(field, 'min', `${field} must be at least ${min}`));
  else if (value > MAX_POINTS) problems.push(problem(field, 'max', `${field} must be at most ${MAX_POINTS}`));
  else return value;
  return null;
}
