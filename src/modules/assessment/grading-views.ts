import { shanghaiDateTime } from '../../common/dates.js';
import { DomainError, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import type { CriterionMark } from './assessment.entities.js';
import type { GradeDto } from './grading.dto.js';
import type { GradingService } from './grading.service.js';

type GradeView = Awaited<ReturnType<GradingService['view']>>;
type QueueView = Awaited<ReturnType<GradingService['queue']>>;
type Form = Record<string, unknown>;
export type FormMode = 'mark' | 'reconcile' | 'accept';

/** What the trainer entered, shown again when a save is refused. */
export interface EnteredMark {
  levels: Record<string, string>;
  criterionPoints: Record<string, string>;
  comments: Record<string, string>;
  points: string;
  passed: string;
  feedback: string;
  reason: string;
}

export interface FormState {
  entered: EnteredMark;
  errors: Record<string, string>;
  alert: string | null;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const map = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Form).map(([k, x]) => [k, text(x)])) : {};
const pointsText = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

export function enteredOf(body: Form): EnteredMark {
  return {
    levels: map(body.level), criterionPoints: map(body.cpoints), comments: map(body.comment),
    points: text(body.points).trim(), passed: text(body.passed), feedback: text(body.feedback), reason: text(body.reason),
  };
}

/** The form as the API's body: criteria in the rubric's order, so a problem `criteria[i]` is the i-th criterion on the page. */
export function formBody(view: Pick<GradeView, 'item'>, entered: EnteredMark, version: unknown): GradeDto {
  const { item } = view;
  const body: GradeDto = { feedback: entered.feedback, ...(entered.reason.trim() ? { reason: entered.reason } : {}) };
  if (typeof version === 'string' && /^\d+$/.test(version)) body.version = Number(version);
  if (item.gradingMethod === 'rubric' || item.gradingMethod === 'guide') {
    body.criteria = (item.criteria ?? []).map((c) => ({
      criterionId: c.id,
      ...(item.gradingMethod === 'rubric'
        ? (entered.levels[c.id] ? { levelId: entered.levels[c.id] } : {})
        : (entered.criterionPoints[c.id]?.trim() ? { points: Number(entered.criterionPoints[c.id]) } : {})),
      ...(entered.comments[c.id]?.trim() ? { comment: entered.comments[c.id] } : {}),
    }));
  } else if (item.gradingMethod === 'points' && entered.points !== '') {
    body.points = Number(entered.points);
  } else if (item.gradingMethod === 'pass_fail' && (entered.passed === 'true' || entered.passed === 'false')) {
    body.passed = entered.passed === 'true';
  }
  return body;
}

/** A refused save as messages beside the fields (criteria by id), or null when it is not a refusal to show on the form. */
export function formErrors(error: unknown, view: Pick<GradeView, 'item'>, locale: Locale): Omit<FormState, 'entered'> | null {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return null;
  const errors: Record<string, string> = {};
  const problems: FieldProblem[] = error instanceof ValidationFailed ? error.problems
    : ((error.details as { fields?: FieldProblem[] } | undefined)?.fields ?? []);
  for (const p of problems) {
    const index = /^criteria\[(\d+)\]/.exec(p.field)?.[1];
    const key = index !== undefined ? `criterion:${view.item.criteria?.[Number(index)]?.id ?? ''}` : p.field.split('.')[0];
    errors[key] ??= problemText(p, locale);
  }
  const alertKey = `errors.${error.code}`;
  const alert = error instanceof ValidationFailed ? translate(locale, 'grading.page.formErrors') : translate(locale, alertKey) === alertKey ? error.message : translate(locale, alertKey);
  return { errors, alert };
}

function problemText(p: FieldProblem, locale: Locale): string {
  const key = `grading.problem.${p.code}`;
  const message = translate(locale, key);
  return message === key ? p.message : message;
}

export function queueView(queue: QueueView) {
  const toRelease = queue.learners.filter((l) => l.graded && !l.released).length;
  return {
    title: queue.item.title, item: queue.item, offering: queue.offering, toRelease,
    isSurvey: queue.item.gradingMethod === 'none',
    counts: { learners: queue.learners.length, submitted: queue.learners.filter((l) => l.submission !== 'missing').length, graded: queue.learners.filter((l) => l.graded).length },
    learners: queue.learners.map((l) => ({
      ...l, submittedAt: l.submittedAt ? shanghaiDateTime(l.submittedAt) : '', result: gradeText(queue.item.gradingMethod, l.points, l.passed),
      href: `/teaching/items/${queue.item.id}/grade/${l.enrollmentId}`,
    })),
  };
}

function gradeText(method: string, points: number | null, passed: boolean | null): string | null {
  if (passed === null) return null;
  return method === 'pass_fail' ? null : pointsText(points);
}

/** The grading page: the work beside the rubric, guide or input, both marks when second marking, and the history. */
export function gradePageView(view: GradeView, queue: QueueView, userId: string, state: FormState | null) {
  const { item, grade } = view;
  const index = queue.learners.findIndex((l) => l.enrollmentId === view.learner.enrollmentId);
  const at = (i: number) => (i >= 0 && i < queue.learners.length ? `/teaching/items/${item.id}/grade/${queue.learners[i].enrollmentId}` : null);
  const own = view.marks.find((m) => m.markerUserId === userId) ?? null;
  const [first, second] = [view.marks.find((m) => m.role === 'first') ?? null, view.marks.find((m) => m.role === 'second') ?? null];
  const reconciler = item.secondMarking && !own && !!first && !!second;
  // The form starts from what was entered, else the caller's own mark (second marking), else the agreed grade, else the first mark.
  const base = item.secondMarking ? own ?? (reconciler ? grade ?? first : null) : grade;
  const entered = state?.entered ?? enteredFromMark(base);
  const errors = state?.errors ?? {};
  const [latest, ...earlier] = view.submissions;
  const criteria = (item.criteria ?? []).map((c, n) => ({
    id: c.id, number: n + 1, title: c.title, description: c.description ?? '', maxPoints: c.maxPoints ?? null,
    levels: (c.levels ?? []).map((l, k) => ({ ...l, description: l.description ?? '', key: k + 1, checked: entered.levels[c.id] === l.id })),
    pointsText: entered.criterionPoints[c.id] ?? '', comment: entered.comments[c.id] ?? '', error: errors[`criterion:${c.id}`] ?? null,
    first: markCell(first?.criteria, c.id, c.levels), second: markCell(second?.criteria, c.id, c.levels),
    differs: !!view.reconciliation?.differences.some((d) => d.criterionId === c.id),
  }));
  return {
    title: `${view.learner.fullName} · ${item.title}`,
    item, offering: view.offering, learner: view.learner,
    method: { rubric: item.gradingMethod === 'rubric', guide: item.gradingMethod === 'guide', points: item.gradingMethod === 'points', passFail: item.gradingMethod === 'pass_fail' },
    learnerNav: { position: index + 1, total: queue.learners.length, prev: at(index - 1), next: at(index + 1), queue: `/teaching/items/${item.id}/grade` },
    submission: latest ? submissionView(latest) : null,
    earlier: earlier.map(submissionView),
    criteria, entered, errors: { points: errors.points ?? null, passed: errors.passed ?? null, feedback: errors.feedback ?? null, reason: errors.reason ?? null, criteria: errors.criteria ?? null },
    alert: state?.alert ?? null,
    version: grade?.version ?? 0,
    total: runningTotal(item.gradingMethod, criteria),
    grade: grade ? {
      points: pointsText(grade.points), rawPoints: grade.rawPoints !== grade.points ? pointsText(grade.rawPoints) : null, passed: grade.passed,
      released: !!grade.releasedAt, releasedAt: grade.releasedAt ? shanghaiDateTime(grade.releasedAt) : '', gradedAt: shanghaiDateTime(grade.gradedAt),
    } : null,
    second: {
      enabled: item.secondMarking, myRole: own?.role ?? null, reconciler,
      first: first ? markSummary(first) : null, second: second ? markSummary(second) : null,
      both: !!first && !!second, agree: view.reconciliation?.agree ?? false,
    },
    history: view.history.map((h: { changedAt: Date; changedByName: string | null; reason: string; before: Form; after: Form }) => ({
      when: shanghaiDateTime(h.changedAt), who: h.changedByName ?? '', reason: h.reason,
      before: historyValue(h.before), after: historyValue(h.after),
    })),
    keyboardHelp: true,
  };
}

function runningTotal(method: string, criteria: Array<{ levels: Array<{ points: number; checked: boolean }>; pointsText: string }>): string {
  const sum = method === 'rubric'
    ? criteria.reduce((total, c) => total + (c.levels.find((l) => l.checked)?.points ?? 0), 0)
    : criteria.reduce((total, c) => total + (Number.isFinite(Number(c.pointsText)) ? Number(c.pointsText) : 0), 0);
  return String(Math.round(sum * 100) / 100);
}

function enteredFromMark(mark: { criteria: CriterionMark[]; points: number | null; passed: boolean | null; feedback: string | null } | null): EnteredMark {
  const criteria = mark?.criteria ?? [];
  return {
    levels: Object.fromEntries(criteria.filter((c) => c.levelId).map((c) => [c.criterionId, c.levelId!])),
    criterionPoints: Object.fromEntries(criteria.map((c) => [c.criterionId, String(c.points)])),
    comments: Object.fromEntries(criteria.filter((c) => c.comment).map((c) => [c.criterionId, c.comment!])),
    points: pointsText(mark?.points), passed: mark?.passed === null || mark?.passed === undefined ? '' : String(mark.passed),
    feedback: mark?.feedback ?? '', reason: '',
  };
}

function markCell(criteria: CriterionMark[] | undefined, criterionId: string, levels: Array<{ id: string; title: string }> | undefined) {
  const c = criteria?.find((m) => m.criterionId === criterionId);
  if (!c) return null;
  return { points: c.points, level: levels?.find((l) => l.id === c.levelId)?.title ?? '', comment: c.comment ?? '' };
}

function markSummary(m: GradeView['marks'][number]) {
  return { markerName: m.markerName, points: pointsText(m.points), passed: m.passed, feedback: m.feedback ?? '', markedAt: shanghaiDateTime(m.markedAt) };
}

function submissionView(s: GradeView['submissions'][number]) {
  return { attempt: s.attempt, late: s.late, submittedAt: shanghaiDateTime(s.submittedAt), body: s.body ?? '', files: s.files.map((f) => ({ ...f, size: fileSize(f.sizeBytes), href: `/api/files/${f.id}` })) };
}

function fileSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function historyValue(v: Form): { points: string; passed: boolean } {
  return { points: v.points === null || v.points === undefined ? '' : String(v.points), passed: v.passed === true };
}
