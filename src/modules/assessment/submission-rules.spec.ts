import { bodyOf, contentProblems, dueState, learnerStatus, lateness, sameContent, submitBlock } from './submission-rules.js';

const due = new Date('2030-06-01T09:00:00Z');
const before = new Date('2030-06-01T08:59:59Z');
const after = new Date('2030-06-01T09:00:01Z');
const item = { submissionModes: ['text', 'file'] as Array<'text' | 'file'>, maxFiles: 2 };
const fields = (problems: Array<{ field: string; code: string }>) => problems.map((p) => `${p.field}:${p.code}`);

describe('due dates and late work', () => {
  it('is open until the due instant and past after it; no due date is never late', () => {
    expect(dueState({ dueAt: due }, before)).toBe('open');
    expect(dueState({ dueAt: due }, due)).toBe('open');
    expect(dueState({ dueAt: due }, after)).toBe('past');
    expect(dueState({ dueAt: null }, after)).toBe('none');
  });

  it('refuses late work only under the refuse policy', () => {
    expect(lateness({ dueAt: due, latePolicy: 'refuse' }, after)).toEqual({ late: true, refused: true });
    expect(lateness({ dueAt: due, latePolicy: 'penalty' }, after)).toEqual({ late: true, refused: false });
    expect(lateness({ dueAt: due, latePolicy: 'refuse' }, before)).toEqual({ late: false, refused: false });
  });
});

describe('what is handed in', () => {
  it('counts whitespace as no text', () => {
    expect(bodyOf('  \n')).toBeNull();
    expect(bodyOf(' 观察 ')).toBe(' 观察 ');
    expect(bodyOf(7)).toBeNull();
  });

  it('names the field of a mode the item does not take, of too many files, and of an empty submission', () => {
    expect(fields(contentProblems({ ...item, submissionModes: ['file'] }, 'text', { body: 'text', fileCount: 1 }))).toEqual(['body:MODE_NOT_ALLOWED']);
    expect(fields(contentProblems({ ...item, submissionModes: ['text'] }, 'text', { body: 'text', fileCount: 1 }))).toEqual(['files:MODE_NOT_ALLOWED']);
    expect(fields(contentProblems(item, undefined, { body: null, fileCount: 3 }))).toEqual(['files:TOO_MANY_FILES']);
    expect(fields(contentProblems(item, '', { body: null, fileCount: 0 }))).toEqual(['body:SUBMISSION_EMPTY']);
    expect(fields(contentProblems({ ...item, submissionModes: ['file'] }, undefined, { body: null, fileCount: 0 }))).toEqual(['files:SUBMISSION_EMPTY']);
    expect(fields(contentProblems(item, 12, { body: null, fileCount: 1 }))).toEqual(['body:isString']);
    expect(contentProblems(item, 'ok', { body: 'ok', fileCount: 2 })).toEqual([]);
  });

  it('sees the same work in the same text and the same files in any order', () => {
    expect(sameContent({ body: 'a', hashes: ['1', '2'] }, { body: 'a', hashes: ['2', '1'] })).toBe(true);
    expect(sameContent({ body: 'a', hashes: ['1'] }, { body: 'a', hashes: ['1', '1'] })).toBe(false);
    expect(sameContent({ body: 'a', hashes: [] }, { body: 'b', hashes: [] })).toBe(false);
    expect(sameContent({ body: null, hashes: ['1'] }, { body: null, hashes: ['1'] })).toBe(true);
  });
});

describe('whether the learner can hand in', () => {
  const assignment = { kind: 'assignment' as const, dueAt: due, latePolicy: 'refuse' as const, archivedAt: null };
  it('blocks after the due date when refused, once graded, for offline items, and a survey once answered', () => {
    expect(submitBlock(assignment, before, { graded: false, attempts: 3 })).toBeNull();
    expect(submitBlock(assignment, after, { graded: false, attempts: 0 })).toBe('late_refused');
    expect(submitBlock({ ...assignment, latePolicy: 'accept' }, after, { graded: false, attempts: 0 })).toBeNull();
    expect(submitBlock(assignment, before, { graded: true, attempts: 1 })).toBe('graded');
    expect(submitBlock({ ...assignment, kind: 'offline' }, before, { graded: false, attempts: 0 })).toBe('not_submittable');
    expect(submitBlock({ ...assignment, kind: 'survey' }, before, { graded: false, attempts: 1 })).toBe('answered');
    expect(submitBlock({ ...assignment, archivedAt: before }, before, { graded: false, attempts: 0 })).toBe('archived');
  });

  it('shows a grade in the badge only once released', () => {
    expect(learnerStatus(null, false)).toBe('missing');
    expect(learnerStatus({ late: false }, false)).toBe('submitted');
    expect(learnerStatus({ late: true }, false)).toBe('late');
    expect(learnerStatus({ late: false }, true)).toBe('graded');
  });
});
