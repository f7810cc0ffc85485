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
  dueAt: Date | null;
}

export interface GradebookLearner {
  enrollmentId: string;
  personId: string;
  fullName: string;
  kindergartenId: string | null;
  kindergarten: string | null;
  enrollmentStatus: string;
}

export interface SubmissionFact { itemId: string; enrollmentId: string; late: boolean; submittedAt: Date }
export interface GradeFact { itemId: string; enrollmentId: string; points: number | null; passed: boolean; releasedAt: Date | null }
export interface MarkFact { itemId: string; enrollmentId: string; count: number }

/** `missing`/`submitted`/`late` for items learners hand in; null for items graded from observation. */
export type SubmissionState = 'missing' | 'submitted' | 'late' | null;

export interface GradebookCell {
  itemId: string;
  submission: SubmissionState;
  submittedAt: Date | null;
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
  dueAt: Date | null;
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
  const key = (itemId: string, enrollmentId: string) => `${itemId}:${enrollmentId}`;
  const submitted = new Map(submissions.map((s) => [key(s.itemId, s.enrollmentId), s]));
  const graded = new Map(grades.map((g) => [key(g.itemId, g.enrollmentId), g]));
  const marked = new Map(marks.map((m) => [key(m.itemId, m.enrollmentId), m.count]));
  return learners.map((learner) => {
    const cells = items.map((item): GradebookCell => {
      const k = key(item.id, learner.enrollmentId);
      const submission = submitted.get(k);
      const grade = graded.get(k);
      return {
        itemId: item.id,
        submission: takesSubmissions(item) ? (submission ? (submission.late ? 'late' : 'submitted') : 'missing') : null,
        submittedAt: submission?.submittedAt ?? null,
        grade: grade ? { points: grade.points, passed: grade.passed, released: grade.releasedAt !== null } : null,
        marks: marked.get(k) ?? 0,
      };
    });
    let points = 0;
    let max = 0;
    let possible = 0;
    items.forEach((item, i) => {
      if (!isPointItem(item)) return;
      possible += item.maxPoints!;
      const grade = cells[i].grade;
      if (grade?.points !== null && grade?.points !== undefined) {
        points += grade.points;
        max += item.maxPoints!;
      }
    });
    const thresholds = items.map((item, i) => [item, cells[i]] as const).filter(([item]) => hasThreshold(item));
    const overall: Overall = !thresholds.length ? null
      : thresholds.some(([, c]) => c.grade && !c.grade.passed) ? 'failed'
        : thresholds.every(([, c]) => c.grade?.passed) ? 'passed' : 'pending';
    return { ...learner, cells, totals: { points: round2(points), max: round2(max), possible: round2(possible) }, overall };
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
