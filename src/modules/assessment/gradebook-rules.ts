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

/** `missing`/`submitted`/`late` for items learners hand in; null for items graded from observation. */
export type SubmissionState = 'missing' | 'submitted' | 'late' | null;

/** What each cell tuple holds, in order (the API names them in `cellFields`). */
export const CELL_FIELDS = ['submission', 'submittedAt', 'points', 'passed', 'released', 'marks'] as const;

/**
 * One learner on one item: what was handed in and when (ISO 8601), the grade's points (null for pass/fail),
 * whether it passed and is released (both null before a grade), and the markers' marks so far (second
 * marking: two before the grade is agreed). A gradebook is learners × items of these: small arrays, no
 * per-cell keys, so a large one is cheap to build and to send.
 */
export type GradebookCellTuple = [
  submission: SubmissionState, submittedAt: string | null, points: number | null, passed: boolean | null, released: boolean | null, marks: number,
];

/** A cell as pages and exports read it. */
export interface GradebookCell {
  itemId: string;
  submission: SubmissionState;
  submittedAt: string | null;
  grade: { points: number | null; passed: boolean; released: boolean } | null;
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

/** A learner with their results over the items. */
export interface GradebookLine extends GradebookLearner {
  /** Points over graded point items, their maximum, and the maximum over all point items. */
  totals: { points: number; max: number; possible: number };
  overall: Overall;
}

export interface GradebookRow extends GradebookLine {
  cells: GradebookCell[];
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

/**
 * Every learner's cells before any fact: nothing handed in where the item takes submissions, no grade, no
 * marks. The facts are then written into them (`setSubmission`, `setGrade`, `setMarks`).
 */
export function emptyCells(items: GradebookItem[], learners: number): GradebookCellTuple[][] {
  const first = items.map((item): SubmissionState => (takesSubmissions(item) ? 'missing' : null));
  return Array.from({ length: learners }, () => first.map((submission): GradebookCellTuple => [submission, null, null, null, null, 0]));
}

/** The latest submission: handed in late or on time, for items that take submissions. */
export function setSubmission(cell: GradebookCellTuple, late: boolean, submittedAt: string): void {
  if (cell[0] !== null) cell[0] = late ? 'late' : 'submitted';
  cell[1] = submittedAt;
}

export function setGrade(cell: GradebookCellTuple, points: number | null, passed: boolean, released: boolean): void {
  cell[2] = points;
  cell[3] = passed;
  cell[4] = released;
}

export function setMarks(cell: GradebookCellTuple, count: number): void {
  cell[5] = count;
}

/** Each learner's totals and overall result (the trainer's view: unreleased grades count too). */
export function gradebookLines(items: GradebookItem[], learners: GradebookLearner[], cells: GradebookCellTuple[][]): GradebookLine[] {
  const pointItems = items.map(isPointItem);
  const thresholds = items.map(hasThreshold);
  const anyThreshold = thresholds.some(Boolean);
  const possible = round2(items.reduce((sum, item, i) => sum + (pointItems[i] ? item.maxPoints! : 0), 0));
  return learners.map((learner, r) => {
    let points = 0;
    let max = 0;
    let failed = false;
    let pending = false;
    const row = cells[r];
    for (let i = 0; i < row.length; i++) {
      const cell = row[i];
      const graded = cell[3] !== null;
      if (pointItems[i] && graded && cell[2] !== null) {
        points += cell[2];
        max += items[i].maxPoints!;
      }
      if (thresholds[i]) {
        if (!graded) pending = true;
        else if (!cell[3]) failed = true;
      }
    }
    const overall: Overall = !anyThreshold ? null : failed ? 'failed' : pending ? 'pending' : 'passed';
    // Properties written out: an object spread here cost ten times more over a large gradebook.
    return {
      enrollmentId: learner.enrollmentId, personId: learner.personId, fullName: learner.fullName, kindergartenId: learner.kindergartenId,
      kindergarten: learner.kindergarten, enrollmentStatus: learner.enrollmentStatus, totals: { points: round2(points), max: round2(max), possible }, overall,
    };
  });
}

/** One item's cell against a status: passed, failed, handed in (or observed) but not graded, or not handed in. */
export function cellIs(cell: GradebookCellTuple, item: GradebookItem, status: GradebookStatus): boolean {
  const graded = cell[3] !== null;
  switch (status) {
    case 'passed': return cell[3] === true;
    case 'failed': return cell[3] === false;
    case 'ungraded': return !graded && item.gradingMethod !== 'none' && cell[0] !== 'missing';
    case 'missing': return !graded && cell[0] === 'missing';
  }
}

/** A learner against a status: on the one item asked for, or overall (passed/failed) and on any item (ungraded/missing). */
export function lineIs(line: GradebookLine, cells: GradebookCellTuple[], items: GradebookItem[], status: GradebookStatus, itemId?: string): boolean {
  if (itemId) {
    const index = items.findIndex((i) => i.id === itemId);
    return index >= 0 && cellIs(cells[index], items[index], status);
  }
  if (status === 'passed' || status === 'failed') return line.overall === status;
  return cells.some((cell, i) => cellIs(cell, items[i], status));
}

/** Per item over the learners given: how many are graded, how many passed, the pass rate and the average points. */
export function itemSummaries(items: GradebookItem[], cells: GradebookCellTuple[][]): ItemSummary[] {
  return items.map((item, i) => {
    let graded = 0;
    let passed = 0;
    let pointed = 0;
    let sum = 0;
    for (const row of cells) {
      const cell = row[i];
      if (cell[3] === null) continue;
      graded += 1;
      if (cell[3]) passed += 1;
      if (cell[2] !== null) {
        pointed += 1;
        sum += cell[2];
      }
    }
    return {
      itemId: item.id, graded, passed,
      passRate: graded ? round2(passed / graded) : null,
      average: pointed ? round2(sum / pointed) : null,
    };
  });
}

/** A cell as pages and exports read it. */
export function cellObject(item: GradebookItem, cell: GradebookCellTuple): GradebookCell {
  return {
    itemId: item.id, submission: cell[0], submittedAt: cell[1],
    grade: cell[3] === null ? null : { points: cell[2], passed: cell[3], released: cell[4] ?? false }, marks: cell[5],
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
