import type { GradingMethod, ItemKind } from './assessment.entities.js';

export const GRADEBOOK_STATUSES = ['passed', 'failed', 'ungraded', 'missing'] as const;
export type GradebookStatus = (typeof GRADEBOOK_STATUSES)[number];

export interface GradebookItem {
  id: string;
  title: string;
  kind: ItemKind;
  gradingMethod: GradingMethod;
  submissionModes: string[];
  maxPoints: number | null;
  passPoints: number | null;
  secondMarking: boolean;
  /** ISO 8601, as the answer shows it. */
  dueAt: string | null;
}

export interface GradebookLearner {
  enrollmentId: string;
  personId: string;
  fullName: string;
  kindergartenId: string | null;
  kindergarten: string | null;
  enrollmentStatus: string;
}

/** `submittedAt` in ISO 8601, as the answer shows it. */
export interface SubmissionFact { itemId: string; enrollmentId: string; late: boolean; submittedAt: string }
export interface GradeFact { itemId: string; enrollmentId: string; points: number | null; passed: boolean; released: boolean }
export interface MarkFact { itemId: string; enrollmentId: string; count: number }

/** `missing`/`submitted`/`late` for items learners hand in; null for items graded from observation. */
export type SubmissionState = 'missing' | 'submitted' | 'late' | null;

export interface GradebookCell {
  itemId: string;
  submission: SubmissionState;
  submittedAt: string | null;
  grade: { points: number | null; passed: boolean; released: boolean } | null;
  /** Markers' marks given so far (second marking: two before the grade is agreed). */
  marks: number;
}

export interface GradebookColumn {
  id: string;
  title: string;
  kind: ItemKind;
  gradingMethod: GradingMethod;
  maxPoints: number | null;
  passPoints: number | null;
  /** Passing it counts toward the overall result: a pass mark, or a pass/fail item. */
  hasThreshold: boolean;
  secondMarking: boolean;
  dueAt: string | null;
}

/** `pending` while an item with a threshold has no grade yet; null when no item has a threshold. */
export type Overall = 'passed' | 'failed' | 'pending' | null;

export interface GradebookRow extends GradebookLearner {
  cells: GradebookCell[];
  /** Points over graded point items, their maximum, and the maximum over all point items. */
  totals: { points: number; max: number; possible: number };
  overall: Overall;
}

export interface ItemSummary {
  itemId: string;
  graded: number;
  passed: number;
  /** Of the graded; null before any grade. */
  passRate: number | null;
  average: number | null;
}

export const takesSubmissions = (item: GradebookItem) => item.kind === 'survey' || (item.kind === 'assignment' && item.submissionModes.length > 0);
const isPointItem = (item: GradebookItem) => item.gradingMethod !== 'pass_fail' && item.gradingMethod !== 'none' && item.maxPoints !== null;
const hasThreshold = (item: GradebookItem) => item.gradingMethod === 'pass_fail' || (item.gradingMethod !== 'none' && item.passPoints !== null);

export function columnOf(item: GradebookItem): GradebookColumn {
  return {
    id: item.id, title: item.title, kind: item.kind, gradingMethod: item.gradingMethod, maxPoints: item.maxPoints, passPoints: item.passPoints,
    hasThreshold: hasThreshold(item), secondMarking: item.secondMarking, dueAt: item.dueAt,
  };
}

/** Every learner's cells, totals and overall result (the trainer's view: unreleased grades count too). */
export function gradebookRows(items: GradebookItem[], learners: GradebookLearner[], submissions: SubmissionFact[], grades: GradeFact[], marks: MarkFact[]): GradebookRow[] {
  // Facts by enrolment, then by item position: a gradebook is learners × items cells, so no per-cell string keys.
  const position = new Map(items.map((item, i) => [item.id, i]));
  const facts = new Map<string, { submissions: Array<SubmissionFact | undefined>; grades: Array<GradeFact | undefined>; marks: number[] }>();
  const of = (enrollmentId: string) => {
    let found = facts.get(enrollmentId);
    if (!found) facts.set(enrollmentId, (found = { submissions: [], grades: [], marks: [] }));
    return found;
  };
  for (const s of submissions) { const i = position.get(s.itemId); if (i !== undefined) of(s.enrollmentId).submissions[i] = s; }
  for (const g of grades) { const i = position.get(g.itemId); if (i !== undefined) of(g.enrollmentId).grades[i] = g; }
  for (const m of marks) { const i = position.get(m.itemId); if (i !== undefined) of(m.enrollmentId).marks[i] = m.count; }
  const takes = items.map(takesSubmissions);
  const pointItems = items.map(isPointItem);
  const thresholds = items.map(hasThreshold);
  const anyThreshold = thresholds.some(Boolean);
  const possible = round2(items.reduce((sum, item, i) => sum + (pointItems[i] ? item.maxPoints! : 0), 0));
  const none = { submissions: [], grades: [], marks: [] };
  return learners.map((learner) => {
    const mine = facts.get(learner.enrollmentId) ?? none;
    let points = 0;
    let max = 0;
    let failed = false;
    let pending = false;
    const cells = items.map((item, i): GradebookCell => {
      const submission = mine.submissions[i];
      const grade = mine.grades[i];
      if (pointItems[i] && grade && grade.points !== null) {
        points += grade.points;
        max += item.maxPoints!;
      }
      if (thresholds[i]) {
        if (!grade) pending = true;
        else if (!grade.passed) failed = true;
      }
      return {
        itemId: item.id,
        submission: takes[i] ? (submission ? (submission.late ? 'late' : 'submitted') : 'missing') : null,
        submittedAt: submission?.submittedAt ?? null,
        grade: grade ? { points: grade.points, passed: grade.passed, released: grade.released } : null,
        marks: mine.marks[i] ?? 0,
      };
    });
    const overall: Overall = !anyThreshold ? null : failed ? 'failed' : pending ? 'pending' : 'passed';
    return { ...learner, cells, totals: { points: round2(points), max: round2(max), possible }, overall };
  });
}

/** One item's cell against a status: passed, failed, handed in (or observed) but not graded, or not handed in. */
export function cellIs(cell: GradebookCell, item: GradebookItem, status: GradebookStatus): boolean {
  switch (status) {
    case 'passed': return !!cell.grade?.passed;
    case 'failed': return !!cell.grade && !cell.grade.passed;
    case 'ungraded': return !cell.grade && item.gradingMethod !== 'none' && cell.submission !== 'missing';
    case 'missing': return !cell.grade && cell.submission === 'missing';
  }
}

/** A learner against a status: on the one item asked for, or overall (passed/failed) and on any item (ungraded/missing). */
export function rowIs(row: GradebookRow, items: GradebookItem[], status: GradebookStatus, itemId?: string): boolean {
  if (itemId) {
    const index = items.findIndex((i) => i.id === itemId);
    return index >= 0 && cellIs(row.cells[index], items[index], status);
  }
  if (status === 'passed' || status === 'failed') return row.overall === status;
  return row.cells.some((cell, i) => cellIs(cell, items[i], status));
}

export function itemSummaries(items: GradebookItem[], rows: GradebookRow[]): ItemSummary[] {
  return items.map((item, i) => {
    const grades = rows.map((r) => r.cells[i].grade).filter((g): g is NonNullable<GradebookCell['grade']> => !!g);
    const passed = grades.filter((g) => g.passed).length;
    const pointed = grades.filter((g) => g.points !== null);
    return {
      itemId: item.id, graded: grades.length, passed,
      passRate: grades.length ? round2(passed / grades.length) : null,
      average: pointed.length ? round2(pointed.reduce((sum, g) => sum + g.points!, 0) / pointed.length) : null,
    };
  });
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
