import type { FieldProblem } from '../../common/errors.js';
import type { AssessmentItem } from './assessment.entities.js';

export const MAX_BODY_LENGTH = 100_000;

export type DueState = 'none' | 'open' | 'past';
/** What the learner's badge says: nothing yet, handed in (on time or late), or a released grade. */
export type LearnerItemStatus = 'missing' | 'submitted' | 'late' | 'graded';
export type SubmitBlock = 'not_submittable' | 'late_refused' | 'graded' | 'answered' | 'archived' | null;

type Timing = Pick<AssessmentItem, 'dueAt' | 'latePolicy'>;

export function dueState(item: Pick<AssessmentItem, 'dueAt'>, now: Date): DueState {
  if (!item.dueAt) return 'none';
  return now.getTime() > item.dueAt.getTime() ? 'past' : 'open';
}

/** Whether work handed in now is late, and whether it is refused for that. */
export function lateness(item: Timing, now: Date): { late: boolean; refused: boolean } {
  const late = dueState(item, now) === 'past';
  return { late, refused: late && item.latePolicy === 'refuse' };
}

/** What a submission holds, after the client's text and files are read. */
export interface SubmissionContent {
  body: string | null;
  fileCount: number;
}

/** The text as stored: whitespace only counts as no text. */
export function bodyOf(raw: unknown): string | null {
  return typeof raw === 'string' && raw.trim() ? raw : null;
}

/** Problems with what was handed in, each naming its field: a mode the item does not take, too much, or nothing at all. */
export function contentProblems(item: Pick<AssessmentItem, 'submissionModes' | 'maxFiles'>, rawBody: unknown, content: SubmissionContent): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (rawBody !== undefined && rawBody !== null && typeof rawBody !== 'string') problems.push({ field: 'body', code: 'isString', message: 'body must be text' });
  if (content.body !== null && !item.submissionModes.includes('text')) {
    problems.push({ field: 'body', code: 'MODE_NOT_ALLOWED', message: 'This assignment takes files only, not text' });
  } else if (content.body !== null && content.body.length > MAX_BODY_LENGTH) {
    problems.push({ field: 'body', code: 'maxLength', message: `body is longer than ${MAX_BODY_LENGTH} characters` });
  }
  if (content.fileCount > 0 && !item.submissionModes.includes('file')) {
    problems.push({ field: 'files', code: 'MODE_NOT_ALLOWED', message: 'This assignment takes text only, not files' });
  } else if (content.fileCount > item.maxFiles) {
    problems.push({ field: 'files', code: 'TOO_MANY_FILES', message: `At most ${item.maxFiles} files` });
  }
  if (!problems.length && content.body === null && content.fileCount === 0) {
    const field = item.submissionModes.includes('text') ? 'body' : 'files';
    problems.push({ field, code: 'SUBMISSION_EMPTY', message: 'Nothing was submitted: enter text or attach a file' });
  }
  return problems;
}

/** A double click or a retry: the same text and the same files (by their hashes, in any order) as the latest attempt. */
export function sameContent(latest: { body: string | null; hashes: string[] }, next: { body: string | null; hashes: string[] }): boolean {
  const sorted = (list: string[]) => [...list].sort().join(',');
  return (latest.body ?? null) === (next.body ?? null) && sorted(latest.hashes) === sorted(next.hashes);
}

/** Why the learner cannot hand in (again) now, or null when they can. */
export function submitBlock(
  item: Pick<AssessmentItem, 'kind' | 'dueAt' | 'latePolicy' | 'archivedAt'>, now: Date, state: { graded: boolean; attempts: number },
): SubmitBlock {
  if (item.archivedAt) return 'archived';
  if (item.kind === 'offline') return 'not_submittable';
  if (item.kind === 'survey' && state.attempts > 0) return 'answered';
  if (state.graded) return 'graded';
  if (lateness(item, now).refused) return 'late_refused';
  return null;
}

/** The learner's badge; a grade counts only once released (an unreleased one is not even hinted at). */
export function learnerStatus(latest: { late: boolean } | null, releasedGrade: boolean): LearnerItemStatus {
  if (releasedGrade) return 'graded';
  if (!latest) return 'missing';
  return latest.late ? 'late' : 'submitted';
}
