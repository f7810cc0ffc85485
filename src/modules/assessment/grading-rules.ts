import type { FieldProblem } from '../../common/errors.js';
import type { CriterionMark, GradingMethod, LatePolicy, RubricCriterion } from './assessment.entities.js';

/** What grading needs to know about an item (and its rubric or marking guide). */
export interface GradableItem {
  gradingMethod: GradingMethod;
  maxPoints: number | null;
  passPoints: number | null;
  latePolicy: LatePolicy;
  latePenaltyPercent: number | null;
  /** The rubric's or guide's criteria; null for points, pass/fail and none. */
  criteria: RubricCriterion[] | null;
}

/** A marker's input as sent (unchecked beyond the DTO's types). */
export interface MarkInput {
  criteria?: unknown[];
  points?: number;
  passed?: boolean;
  feedback?: string | null;
}

/** A checked mark: criteria with the points each earns, the total before any late penalty, pass/fail as given. */
export interface Mark {
  criteria: CriterionMark[];
  points: number | null;
  passed: boolean | null;
  feedback: string | null;
}

/** The agreed grade's values, as stored. */
export interface GradeValues {
  rawPoints: number | null;
  points: number | null;
  passed: boolean;
  criteria: CriterionMark[];
  feedback: string | null;
  submissionId: string | null;
}

const CRITERION_FIELDS = new Set(['criterionId', 'levelId', 'points', 'comment']);
export const COMMENT_MAX = 2000;
export const FEEDBACK_MAX = 10000;

const round2 = (n: number) => Math.round(n * 100) / 100;
const hasTwoDecimals = (n: number) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6;

function pointsProblem(field: string, value: unknown, max: number | null): FieldProblem | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { field, code: 'isNumber', message: `${field} must be a number` };
  if (value < 0) return { field, code: 'min', message: `${field} must not be below 0` };
  if (max !== null && value > max) return { field, code: 'above_maximum', message: `${field} must not be above the maximum of ${max}` };
  if (!hasTwoDecimals(value)) return { field, code: 'precision', message: `${field} is kept to two decimals` };
  return null;
}

/**
 * Checks a mark against the item's grading method, naming every problem by its request path
 * (`criteria[2].levelId`, `points`). Rubric: every criterion exactly once with one of its own levels
 * (the level gives the points). Guide: every criterion once with points up to its maximum. Points:
 * 0..maxPoints. Pass/fail: `passed`. The method `none` is refused before this is called.
 */
export function checkMark(item: GradableItem, input: MarkInput): { mark: Mark | null; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const feedback = typeof input.feedback === 'string' && input.feedback.trim() !== '' ? input.feedback.trim() : null;
  const notAllowed = (field: string, why: string) => problems.push({ field, code: 'not_allowed', message: `${field} ${why}` });
  if (feedback && feedback.length > FEEDBACK_MAX) problems.push({ field: 'feedback', code: 'maxLength', message: `feedback is longer than ${FEEDBACK_MAX}` });
  if (item.gradingMethod === 'points' || item.gradingMethod === 'pass_fail') {
    if (input.criteria?.length) notAllowed('criteria', `is not used by ${item.gradingMethod} items`);
    if (item.gradingMethod === 'points') {
      if (input.passed !== undefined) notAllowed('passed', 'follows from the points and the pass mark');
      if (input.points === undefined) problems.push({ field: 'points', code: 'required', message: 'points is required' });
      else { const p = pointsProblem('points', input.points, item.maxPoints); if (p) problems.push(p); }
      return problems.length ? { mark: null, problems } : { mark: { criteria: [], points: round2(input.points!), passed: null, feedback }, problems };
    }
    if (input.points !== undefined) notAllowed('points', 'is not used by pass/fail items');
    if (typeof input.passed !== 'boolean') problems.push({ field: 'passed', code: 'required', message: 'passed (true or false) is required' });
    return problems.length ? { mark: null, problems } : { mark: { criteria: [], points: null, passed: input.passed!, feedback }, problems };
  }
  if (input.passed !== undefined) notAllowed('passed', 'follows from the points and the pass mark');
  const criteria = checkCriteria(item.gradingMethod === 'rubric', item.criteria ?? [], input.criteria, problems);
  const total = criteria ? round2(criteria.reduce((sum, c) => sum + c.points, 0)) : null;
  if (input.points !== undefined && total !== null && input.points !== total) {
    problems.push({ field: 'points', code: 'total_mismatch', message: `points is the sum of the criteria (${total}); leave it out or send ${total}` });
  }
  return problems.length ? { mark: null, problems } : { mark: { criteria: criteria!, points: total, passed: null, feedback }, problems };
}

function checkCriteria(rubric: boolean, defined: RubricCriterion[], raw: unknown[] | undefined, problems: FieldProblem[]): CriterionMark[] | null {
  if (!Array.isArray(raw)) {
    problems.push({ field: 'criteria', code: 'required', message: 'criteria is required: one entry per criterion' });
    return null;
  }
  const byId = new Map(defined.map((c) => [c.id, c]));
  const seen = new Set<string>();
  const marks: CriterionMark[] = [];
  const start = problems.length;
  raw.forEach((entry, i) => {
    const at = (field: string) => `criteria[${i}].${field}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({ field: `criteria[${i}]`, code: 'isObject', message: `criteria[${i}] must be an object` });
      return;
    }
    const value = entry as Record<string, unknown>;
    for (const key of Object.keys(value)) if (!CRITERION_FIELDS.has(key)) problems.push({ field: at(key), code: 'unknown_field', message: `${at(key)} is not an allowed field` });
    const criterion = typeof value.criterionId === 'string' ? byId.get(value.criterionId) : undefined;
    if (!criterion) {
      problems.push({ field: at('criterionId'), code: 'not_in_rubric', message: `${at('criterionId')} is not a criterion of this item's ${rubric ? 'rubric' : 'marking guide'}` });
      return;
    }
    if (seen.has(criterion.id)) {
      problems.push({ field: at('criterionId'), code: 'duplicate', message: `${at('criterionId')} is marked twice` });
      return;
    }
    seen.add(criterion.id);
    let comment: string | undefined;
    if (value.comment !== undefined && value.comment !== null) {
      if (typeof value.comment !== 'string') problems.push({ field: at('comment'), code: 'isString', message: `${at('comment')} must be text` });
      else if (value.comment.length > COMMENT_MAX) problems.push({ field: at('comment'), code: 'maxLength', message: `${at('comment')} is longer than ${COMMENT_MAX}` });
      else if (value.comment.trim()) comment = value.comment.trim();
    }
    if (rubric) {
      const level = typeof value.levelId === 'string' ? criterion.levels?.find((l) => l.id === value.levelId) : undefined;
      if (!level) {
        problems.push({ field: at('levelId'), code: value.levelId === undefined ? 'required' : 'not_a_level', message: `${at('levelId')} must be one of the levels of criterion ${criterion.id}` });
        return;
      }
      if (value.points !== undefined && value.points !== level.points) {
        problems.push({ field: at('points'), code: 'level_points', message: `${at('points')} comes from the level (${level.points}); leave it out` });
        return;
      }
      marks.push({ criterionId: criterion.id, levelId: level.id, points: level.points, ...(comment ? { comment } : {}) });
    } else {
      if (value.levelId !== undefined) problems.push({ field: at('levelId'), code: 'not_allowed', message: `${at('levelId')} is not used by a marking guide` });
      const p = pointsProblem(at('points'), value.points, criterion.maxPoints ?? null);
      if (p) problems.push(p);
      else marks.push({ criterionId: criterion.id, points: round2(value.points as number), ...(comment ? { comment } : {}) });
    }
  });
  const missing = defined.filter((c) => !seen.has(c.id));
  if (missing.length) {
    problems.push({ field: 'criteria', code: 'missing_criteria', message: `criteria must mark every criterion; missing: ${missing.map((c) => c.id).join(', ')}` });
  }
  if (problems.length > start) return null;
  // Stored in the rubric's order, whatever order they were sent in.
  return defined.map((c) => marks.find((m) => m.criterionId === c.id)!);
}

/** Late work under the penalty policy loses the item's percentage; other work keeps its points. */
export function penalised(item: Pick<GradableItem, 'latePolicy' | 'latePenaltyPercent'>, rawPoints: number, late: boolean): number {
  if (!late || item.latePolicy !== 'penalty' || !item.latePenaltyPercent) return rawPoints;
  return round2(rawPoints * (1 - item.latePenaltyPercent / 100));
}

/** The agreed grade a mark makes: late penalty applied to points, passed from pass/fail or the pass mark. */
export function gradeOf(item: GradableItem, mark: Mark, submission: { id: string; late: boolean } | null): GradeValues {
  const rawPoints = mark.points;
  const points = rawPoints === null ? null : penalised(item, rawPoints, submission?.late ?? false);
  const passed = item.gradingMethod === 'pass_fail' ? mark.passed === true : item.passPoints === null || (points ?? 0) >= item.passPoints;
  return { rawPoints, points, passed, criteria: mark.criteria, feedback: mark.feedback, submissionId: submission?.id ?? null };
}

/** Two grades are the same when nothing a learner would see (or the work it grades) differs. */
export function sameGrade(a: GradeValues, b: GradeValues): boolean {
  return a.rawPoints === b.rawPoints && a.points === b.points && a.passed === b.passed && a.feedback === b.feedback
    && a.submissionId === b.submissionId && sameCriteria(a.criteria, b.criteria);
}

/** Two markers agree when they gave the same levels and points (their comments may differ). */
export function sameMark(a: Mark, b: Mark): boolean {
  return a.points === b.points && a.passed === b.passed && sameCriteria(a.criteria, b.criteria, false);
}

/** The same mark in every detail, comments and feedback included (re-saving it changes nothing). */
export function identicalMark(a: Mark, b: Mark): boolean {
  return a.points === b.points && a.passed === b.passed && a.feedback === b.feedback && sameCriteria(a.criteria, b.criteria);
}

/** The agreed mark when both markers agree: their levels and points, with both markers' comments kept. */
export function acceptedMark(first: Mark, second: Mark): Mark {
  const join = (a: string | null | undefined, b: string | null | undefined) => (a && b && a !== b ? `${a}\n\n${b}` : a || b || null);
  return {
    points: first.points, passed: first.passed, feedback: join(first.feedback, second.feedback),
    criteria: first.criteria.map((c) => {
      const comment = join(c.comment, second.criteria.find((o) => o.criterionId === c.criterionId)?.comment);
      return { criterionId: c.criterionId, ...(c.levelId ? { levelId: c.levelId } : {}), points: c.points, ...(comment ? { comment } : {}) };
    }),
  };
}

function sameCriteria(a: CriterionMark[], b: CriterionMark[], withComments = true): boolean {
  const key = (list: CriterionMark[]) => JSON.stringify(list.map((c) => [c.criterionId, c.levelId ?? null, c.points, withComments ? c.comment ?? null : null]));
  return key(a) === key(b);
}

/** Per-criterion differences between two marks, for reconciliation. */
export function markDifferences(first: Mark, second: Mark): Array<{ criterionId: string; first: CriterionMark | null; second: CriterionMark | null }> {
  const ids = [...new Set([...first.criteria, ...second.criteria].map((c) => c.criterionId))];
  return ids.map((criterionId) => ({
    criterionId, first: first.criteria.find((c) => c.criterionId === criterionId) ?? null, second: second.criteria.find((c) => c.criterionId === criterionId) ?? null,
  })).filter((d) => d.first?.points !== d.second?.points || d.first?.levelId !== d.second?.levelId);
}
