import type { FieldProblem } from '../../common/errors.js';
import type { CompletionCondition, ItemKind } from './assessment.entities.js';

/** What a completion rule asks (the columns of completion_rule that judge a learner). */
export interface RuleTerms {
  minAttendanceShare: number;
  requiredItemIds: string[];
  requireEvaluation: boolean;
  combine: 'all' | 'any';
  partialCreditFloor: number | null;
}

/** Where a required item stands for one learner. */
export type ItemState = 'passed' | 'failed' | 'not_released' | 'not_graded' | 'not_submitted' | 'archived';

export interface ItemFacts {
  itemId: string;
  title: string;
  kind: ItemKind;
  archived: boolean;
  passPoints: number | null;
  submitted: boolean;
  grade: { points: number | null; passed: boolean; released: boolean } | null;
}

/** Everything a learner is judged on, read in the evaluating transaction. */
export interface LearnerFacts {
  attendedHours: number;
  scheduledHours: number;
  /** The required items by id (an id missing here was deleted and no longer counts). */
  items: Map<string, ItemFacts>;
  evaluationSubmittedAt: Date | null;
  /** The offering's last meeting has ended (partial credit, and rules without conditions, wait for it). */
  offeringEnded: boolean;
}

export type Outcome = 'complete' | 'partial' | 'incomplete';

export interface Judgement {
  conditions: CompletionCondition[];
  outcome: Outcome;
  share: number;
}

const EPSILON = 1e-9;
const round = (value: number, places: number) => Math.round(value * 10 ** places + EPSILON) / 10 ** places;

export function attendedShare(attendedHours: number, scheduledHours: number): number {
  return scheduledHours > 0 ? attendedHours / scheduledHours : 0;
}

export function itemState(item: ItemFacts): ItemState {
  if (item.archived) return 'archived';
  if (!item.grade) return item.submitted || item.kind === 'offline' ? 'not_graded' : 'not_submitted';
  if (!item.grade.released) return 'not_released';
  return item.grade.passed ? 'passed' : 'failed';
}

/**
 * Judges a learner by a rule. Attendance is a condition only when the rule asks for a share above
 * zero; a rule that asks nothing completes everyone once the offering has ended. Partial credit:
 * when the offering has ended, a share at or above the floor (but under the minimum) with every
 * other condition met completes with credit in proportion to the hours attended.
 */
export function judge(terms: RuleTerms, facts: LearnerFacts): Judgement {
  const share = attendedShare(facts.attendedHours, facts.scheduledHours);
  const conditions: CompletionCondition[] = [];
  if (terms.minAttendanceShare > 0) {
    conditions.push({
      kind: 'attendance',
      met: facts.scheduledHours > 0 && share + EPSILON >= terms.minAttendanceShare,
      detail: {
        attendedHours: round(facts.attendedHours, 2), scheduledHours: round(facts.scheduledHours, 2),
        requiredHours: round(terms.minAttendanceShare * facts.scheduledHours, 2), share: round(share, 4), minShare: terms.minAttendanceShare,
      },
    });
  }
  for (const itemId of terms.requiredItemIds) {
    const item = facts.items.get(itemId);
    if (!item) continue;
    const state = itemState(item);
    conditions.push({
      kind: 'item', itemId, met: state === 'passed' || state === 'archived',
      detail: { title: item.title, state, points: item.grade?.released ? item.grade.points : null, passPoints: item.passPoints },
    });
  }
  if (terms.requireEvaluation) {
    conditions.push({
      kind: 'evaluation', met: facts.evaluationSubmittedAt !== null,
      detail: { submittedAt: facts.evaluationSubmittedAt?.toISOString() ?? null },
    });
  }
  const met = conditions.length === 0
    ? facts.offeringEnded
    : terms.combine === 'all' ? conditions.every((c) => c.met) : conditions.some((c) => c.met);
  if (met) return { conditions, outcome: 'complete', share };
  const attendance = conditions.find((c) => c.kind === 'attendance');
  const partial = terms.partialCreditFloor !== null && facts.offeringEnded && attendance !== undefined && !attendance.met
    && facts.attendedHours > 0 && share + EPSILON >= terms.partialCreditFloor
    && conditions.filter((c) => c !== attendance).every((c) => c.met);
  if (attendance && terms.partialCreditFloor !== null) attendance.detail = { ...attendance.detail, partialFloor: terms.partialCreditFloor };
  return { conditions, outcome: partial ? 'partial' : 'incomplete', share };
}

/** Hours and credits a completion carries: the course's, or with partial credit the hours attended and credits in proportion (one decimal). */
export function awardOf(outcome: 'complete' | 'partial', course: { hours: number; credits: number }, attendedHours: number, scheduledHours: number) {
  if (outcome === 'complete') return { hours: course.hours, credits: course.credits, partial: false };
  return {
    hours: round(attendedHours, 1),
    credits: round(course.credits * attendedShare(attendedHours, scheduledHours), 1),
    partial: true,
  };
}

export interface RuleCandidate extends RuleTerms {
  effectiveFrom: Date;
}

/** What the offering offers a rule: its items, and the rule in force (a new rule may not start before it). */
export interface RuleContext {
  items: Array<{ id: string; kind: ItemKind; archived: boolean }>;
  inForceFrom: Date | null;
  takenDates: Date[];
}

/** Problems of a new rule against the offering, each naming its field; the missing survey is a separate refusal (422). */
export function ruleProblems(rule: RuleCandidate, context: RuleContext): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const byId = new Map(context.items.map((i) => [i.id, i]));
  rule.requiredItemIds.forEach((id, i) => {
    const field = `requiredItemIds[${i}]`;
    const item = byId.get(id.toLowerCase());
    if (rule.requiredItemIds.findIndex((other) => other.toLowerCase() === id.toLowerCase()) !== i) {
      problems.push({ field, code: 'duplicate', message: `${field} is given twice` });
    } else if (!item) problems.push({ field, code: 'ITEM_NOT_IN_OFFERING', message: `${field} is not an assessment item of this offering` });
    else if (item.kind === 'survey') problems.push({ field, code: 'ITEM_IS_SURVEY', message: `${field} is a survey; require the course evaluation instead` });
    else if (item.archived) problems.push({ field, code: 'ITEM_ARCHIVED', message: `${field} is archived` });
  });
  if (rule.partialCreditFloor !== null && !(rule.partialCreditFloor >= 0 && rule.partialCreditFloor < rule.minAttendanceShare)) {
    problems.push({ field: 'partialCreditFloor', code: 'FLOOR_NOT_BELOW_MINIMUM', message: 'partialCreditFloor must be at least 0 and below minAttendanceShare' });
  }
  if (context.inForceFrom && rule.effectiveFrom.getTime() <= context.inForceFrom.getTime()) {
    problems.push({ field: 'effectiveFrom', code: 'BEFORE_RULE_IN_FORCE', message: 'effectiveFrom must be after the start of the rule in force' });
  } else if (context.takenDates.some((d) => d.getTime() === rule.effectiveFrom.getTime())) {
    problems.push({ field: 'effectiveFrom', code: 'DATE_TAKEN', message: 'another rule starts at the same time' });
  }
  return problems;
}

export function needsSurvey(rule: RuleTerms, context: RuleContext): boolean {
  return rule.requireEvaluation && !context.items.some((i) => i.kind === 'survey' && !i.archived);
}
