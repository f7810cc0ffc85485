import { fromShanghaiInput, shanghaiDateTime, shanghaiInputValue } from '../../common/dates.js';
import type { Locale } from '../../common/i18n/i18n.js';
import { SNIFFED_TYPES } from '../files/file-types.js';
import { GRADING_METHODS, ITEM_KINDS, LATE_POLICIES, type AssessmentItem } from './assessment.entities.js';
import { typeNames } from './assessment-views.js';
import { DEFAULT_FILE_TYPES, DEFAULT_MAX_FILES } from './item-rules.js';
import type { RubricChoice } from './items.query.js';
import { parseQuestionLines, questionLines, type SurveyResults } from './survey-rules.js';

const MB = 1024 * 1024;

/** The item form's values as typed (strings, lists of checked boxes). */
export interface ItemFormValues {
  kind: string;
  title: string;
  instructions: string;
  dueAt: string;
  latePolicy: string;
  latePenaltyPercent: string;
  submissionModes: string[];
  allowedFileTypes: string[];
  maxFileMb: string;
  maxFiles: string;
  gradingMethod: string;
  rubricId: string;
  maxPoints: string;
  passPoints: string;
  secondMarking: boolean;
  questions: string;
  version: string;
}

export const BLANK_ITEM: ItemFormValues = {
  kind: 'assignment', title: '', instructions: '', dueAt: '', latePolicy: 'accept', latePenaltyPercent: '', submissionModes: ['text', 'file'],
  allowedFileTypes: DEFAULT_FILE_TYPES, maxFileMb: '', maxFiles: String(DEFAULT_MAX_FILES), gradingMethod: 'points', rubricId: '', maxPoints: '100',
  passPoints: '60', secondMarking: false, questions: 'rating|总体满意度\nchoice|最有帮助的环节|讲座;观摩;研讨\ntext|意见和建议|optional', version: '',
};

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : []);
const numberText = (value: number | null) => (value === null || value === undefined ? '' : String(value));

export function valuesOfItem(item: AssessmentItem): ItemFormValues {
  return {
    kind: item.kind, title: item.title, instructions: item.instructions ?? '', dueAt: shanghaiInputValue(item.dueAt), latePolicy: item.latePolicy,
    latePenaltyPercent: numberText(item.latePenaltyPercent), submissionModes: item.submissionModes, allowedFileTypes: item.allowedFileTypes,
    maxFileMb: item.maxFileBytes ? String(Math.round((item.maxFileBytes / MB) * 100) / 100) : '', maxFiles: String(item.maxFiles),
    gradingMethod: item.gradingMethod, rubricId: item.rubricId ?? '', maxPoints: numberText(item.maxPoints), passPoints: numberText(item.passPoints),
    secondMarking: item.secondMarking, questions: questionLines(item.questions), version: String(item.version),
  };
}

export function valuesOfForm(body: Record<string, unknown>): ItemFormValues {
  return {
    kind: text(body.kind), title: text(body.title), instructions: text(body.instructions), dueAt: text(body.dueAt), latePolicy: text(body.latePolicy),
    latePenaltyPercent: text(body.latePenaltyPercent), submissionModes: list(body.submissionModes), allowedFileTypes: list(body.allowedFileTypes),
    maxFileMb: text(body.maxFileMb), maxFiles: text(body.maxFiles), gradingMethod: text(body.gradingMethod), rubricId: text(body.rubricId),
    maxPoints: text(body.maxPoints), passPoints: text(body.passPoints), secondMarking: body.secondMarking === 'on' || body.secondMarking === 'true',
    questions: text(body.questions), version: text(body.version),
  };
}

/** A number as typed: blank is none, a number is a number, anything else goes through for validation to name. */
function num(value: string): number | string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** The form as the API's item input: only the fields the kind uses (the whole item, so a change replaces what was). */
export function inputOfValues(values: ItemFormValues, editing: boolean): Record<string, unknown> {
  const input: Record<string, unknown> = {
    kind: values.kind, title: values.title, instructions: values.instructions.trim() || null,
    dueAt: values.dueAt.trim() ? fromShanghaiInput(values.dueAt.trim()) : null,
  };
  if (editing) input.version = Number(values.version);
  if (values.kind === 'assignment' || values.kind === 'survey') {
    Object.assign(input, { latePolicy: values.latePolicy, latePenaltyPercent: values.latePolicy === 'penalty' ? num(values.latePenaltyPercent) : null });
  }
  if (values.kind === 'assignment') {
    const mb = num(values.maxFileMb);
    Object.assign(input, {
      submissionModes: values.submissionModes, allowedFileTypes: values.allowedFileTypes,
      maxFileBytes: typeof mb === 'number' ? Math.round(mb * MB) : mb, maxFiles: num(values.maxFiles) ?? DEFAULT_MAX_FILES,
    });
  }
  if (values.kind === 'survey') input.questions = parseQuestionLines(values.questions);
  else {
    const rubric = values.gradingMethod === 'rubric' || values.gradingMethod === 'guide';
    Object.assign(input, {
      gradingMethod: values.gradingMethod, rubricId: rubric ? values.rubricId || null : null,
      maxPoints: values.gradingMethod === 'points' ? num(values.maxPoints) : null,
      passPoints: values.gradingMethod === 'pass_fail' ? null : num(values.passPoints), secondMarking: values.secondMarking,
    });
  }
  return input;
}

/** Where the form shows an API field's message. */
export function formField(field: string): string {
  if (field === 'maxFileBytes') return 'maxFileMb';
  if (field.startsWith('questions')) return 'questions';
  return field.replace(/\[\d+\]$/, '');
}

export function itemFormChoices(rubrics: RubricChoice[], locale: Locale) {
  return {
    kinds: ITEM_KINDS, latePolicies: LATE_POLICIES, gradingMethods: GRADING_METHODS.filter((m) => m !== 'none'),
    fileTypes: Object.keys(SNIFFED_TYPES).map((type) => ({ type, name: typeNames([type], locale) })),
    rubrics: rubrics.map((r) => ({ id: r.id, label: `${r.name} (${r.maxPoints})`, method: r.method })),
  };
}

export function itemRow(item: AssessmentItem) {
  return {
    id: item.id, kind: item.kind, title: item.title, dueAt: shanghaiDateTime(item.dueAt), gradingMethod: item.gradingMethod,
    maxPoints: item.maxPoints, archived: !!item.archivedAt, isSurvey: item.kind === 'survey', takesWork: item.kind !== 'offline',
  };
}

/** The results page: percentages and bar widths beside the counts. */
export function resultsView(results: SurveyResults) {
  const share = (n: number, of: number) => (of ? Math.round((n / of) * 100) : 0);
  return {
    responses: results.responses, learners: results.learners, ratePercent: Math.round(results.rate * 100),
    questions: results.questions.map((q) => ({
      id: q.id, kind: q.kind, prompt: q.prompt, answered: q.answered,
      average: q.kind === 'rating' ? q.average : null,
      bars: q.kind === 'rating' ? Object.entries(q.distribution).map(([label, count]) => ({ label, count, percent: share(count, q.answered) }))
        : q.kind === 'text' ? [] : q.counts.map((c) => ({ label: c.option, count: c.count, percent: share(c.count, q.answered) })),
      texts: q.kind === 'text' ? q.answers : [],
    })),
  };
}
