import { gradebookRows, itemSummaries, rowIs, type GradebookItem, type GradebookLearner } from './gradebook-rules.js';

const item = (id: string, extra: Partial<GradebookItem> = {}): GradebookItem => ({
  id, title: id, kind: 'assignment', gradingMethod: 'points', submissionModes: ['text'], maxPoints: 100, passPoints: 60, secondMarking: false, dueAt: null, ...extra,
});
const learner = (id: string): GradebookLearner => ({ enrollmentId: id, personId: `p-${id}`, fullName: id, kindergartenId: null, kindergarten: null, enrollmentStatus: 'enrolled' });

describe('gradebook rules', () => {
  const items = [
    item('essay'),
    item('lesson', { kind: 'offline', submissionModes: [], gradingMethod: 'pass_fail', maxPoints: null, passPoints: null }),
    item('survey', { kind: 'survey', submissionModes: [], gradingMethod: 'none', maxPoints: null, passPoints: null }),
    item('reflection', { gradingMethod: 'rubric', maxPoints: 20, passPoints: null }),
  ];
  const released = new Date().toISOString();
  const rows = gradebookRows(items, [learner('a'), learner('b'), learner('c')], [
    { itemId: 'essay', enrollmentId: 'a', late: false, submittedAt: released },
    { itemId: 'essay', enrollmentId: 'b', late: true, submittedAt: released },
    { itemId: 'survey', enrollmentId: 'a', late: false, submittedAt: released },
    { itemId: 'reflection', enrollmentId: 'a', late: false, submittedAt: released },
  ], [
    { itemId: 'essay', enrollmentId: 'a', points: 80, passed: true, released: true },
    { itemId: 'lesson', enrollmentId: 'a', points: null, passed: true, released: false },
    { itemId: 'reflection', enrollmentId: 'a', points: 15.5, passed: true, released: false },
    { itemId: 'essay', enrollmentId: 'b', points: 40, passed: false, released: true },
  ], [{ itemId: 'reflection', enrollmentId: 'c', count: 1 }]);
  const [a, b, c] = rows;

  it('shows per cell what was handed in, the grade and whether it is released', () => {
    expect(a.cells.map((cell) => cell.submission)).toEqual(['submitted', null, 'submitted', 'submitted']);
    expect(b.cells[0]).toMatchObject({ submission: 'late', grade: { points: 40, passed: false, released: true } });
    expect(a.cells[1].grade).toEqual({ points: null, passed: true, released: false });
    expect(c.cells.map((cell) => cell.submission)).toEqual(['missing', null, 'missing', 'missing']);
    expect(c.cells[3].marks).toBe(1);
  });

  it('adds up points over graded point items, against their maximum and the maximum of all', () => {
    expect(a.totals).toEqual({ points: 95.5, max: 120, possible: 120 });
    expect(b.totals).toEqual({ points: 40, max: 100, possible: 120 });
    expect(c.totals).toEqual({ points: 0, max: 0, possible: 120 });
  });

  it('passes overall only when every item with a threshold is passed; an ungraded one is not yet', () => {
    expect([a.overall, b.overall, c.overall]).toEqual(['passed', 'failed', 'pending']);
    const none = gradebookRows([items[2]], [learner('a')], [], [], []);
    expect(none[0].overall).toBeNull();
  });

  it('filters by status overall or for one item', () => {
    const which = (status: Parameters<typeof rowIs>[2], itemId?: string) => rows.filter((r) => rowIs(r, items, status, itemId)).map((r) => r.enrollmentId);
    expect(which('passed')).toEqual(['a']);
    expect(which('failed')).toEqual(['b']);
    expect(which('missing')).toEqual(['b', 'c']);
    expect(which('ungraded')).toEqual(['b', 'c']);
    expect(which('ungraded', 'lesson')).toEqual(['b', 'c']);
    expect(which('missing', 'essay')).toEqual(['c']);
    expect(which('passed', 'essay')).toEqual(['a']);
    expect(which('passed', 'nope')).toEqual([]);
  });

  it('summarises each item: graded, pass rate and average', () => {
    expect(itemSummaries(items, rows)).toEqual([
      { itemId: 'essay', graded: 2, passed: 1, passRate: 0.5, average: 60 },
      { itemId: 'lesson', graded: 1, passed: 1, passRate: 1, average: null },
      { itemId: 'survey', graded: 0, passed: 0, passRate: null, average: null },
      { itemId: 'reflection', graded: 1, passed: 1, passRate: 1, average: 15.5 },
    ]);
  });
});
