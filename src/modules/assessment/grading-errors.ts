import { DomainError, NotFound } from '../../common/errors.js';
import type { SheetProblem } from './grade-sheet.js';

const fieldError = (code: string, status: number, field: string, message: string) =>
  new DomainError(code, status, message, { field, fields: [{ field, code, message }] });

export const itemNotFound = (id?: string) => new NotFound('assessment item', id);
export const enrollmentNotFound = (id?: string) => new NotFound('enrollment', id);
export const notGradable = () => new DomainError('GRADING_NOT_APPLICABLE', 422, 'This item is not graded (a course evaluation survey)');
export const enrollmentNotGradable = (status: string) =>
  new DomainError('ENROLLMENT_NOT_GRADABLE', 422, `Only enrolled or completed learners are graded; this enrolment is ${status}`, { status }, { status });
export const reasonRequired = () => fieldError('REASON_REQUIRED', 422, 'reason', 'The grade has been released: give a reason for the change');
export const staleGrade = (current: number) =>
  new DomainError('STALE_GRADE', 409, 'The grade was changed by someone else; reload it', { currentVersion: current, fields: [{ field: 'version', code: 'STALE_GRADE', message: 'stale version' }] });
export const markersFull = () => new DomainError('SECOND_MARKING_FULL', 409, 'Two trainers have already marked this work');
export const notSecondMarked = () => new DomainError('NOT_SECOND_MARKED', 422, 'This item is graded by one trainer; save the grade instead of reconciling');
export const secondMarkMissing = () => new DomainError('SECOND_MARK_MISSING', 422, 'Both trainers must mark the work before it is reconciled');
export const marksDiffer = () => new DomainError('MARKS_DIFFER', 422, 'The two marks differ; choose the agreed grade');
export const importProblems = (problems: SheetProblem[]) =>
  new DomainError('GRADE_IMPORT_PROBLEMS', 400, `The sheet has ${problems.length} problem(s); nothing was imported`, { problems }, { count: problems.length });
