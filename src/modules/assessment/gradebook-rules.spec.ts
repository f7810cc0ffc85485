import {
  cellObject, emptyCells, gradebookLines, itemSummaries, lineIs, setGrade, setMarks, setSubmission, type GradebookItem, type GradebookLearner,
} from './gradebook-rules.js';

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
  const at = new Date().toISOString();
  // Learners a, b, c; items essay 0, lesson 1, survey 2, reflection 3.
  const learners = [learner('a'), learner('b'), learner('c')];
  const cells = emptyCells(items, learners.length);
  setSubmission(cells[0][0], false, at);
  setSubmission(cells[1][0], true, at);
  setSubmission(cells[0][2], false, at);
  setSubmission(cells[0][3], false, at);
  setGrade(cells[0][0], 80, true, true);
  setGrade(cells[0][1], null, true, false);
  setGrade(cells[0][3], 15.5, true, false);
  setGrade(cells[1][0], 40, false, true);
  setMarks(cells[2][3], 1);
  const lines = gradebookLines(items, learners, cells);
  const [a, b, c] = lines;

  it('shows per cell what was handed in, the grade and whether it is released', () => {
    expect(cells[0].map((cell) => cell[0])).toEqual(['submitted', null, 'submitted', 'submitted']);
    expect(cells[1][0]).toEqual(['late', at, 40, false, true, 0]);
    expect(cells[0][1]).toEqual([null, null, null, true, false, 0]);
    expect(cells[2].map((cell) => cell[0])).toEqual(['missing', null, 'missing', 'missing']);
    expect(cells[2][3]).toEqual(['missing', null, null, null, null, 1]);
    expect(cellObject(items[0], cells[1][0])).toEqual({ itemId: 'essay', submission: 'late', submittedAt: at, grade: { points: 40, passed: false, released: true }, marks: 0 });
    expect(cellObject(items[3], cells[2][3])).toEqual({ itemId: 'reflection', submission: 'missing', submittedAt: null, grade: null, marks: 1 });
  });

  it('adds up points over graded point items, against their maximum and the maximum of all', () => {
    expect(a.totals).toEqual({ points: 95.5, max: 120, possible: 120 });
    expect(b.totals).toEqual({ points: 40, max: 100, possible: 120 });
    expect(c.totals).toEqual({ points: 0, max: 0, possible: 120 });
  });

  it('passes overall only when every item with a threshold is passed; an ungraded one is not yet', () => {
    expect([a.overall, b.overall, c.overall]).toEqual(['passed', 'failed', 'pending']);
    const none = gradebookLines([items[2]], [learner('a')], emptyCells([items[2]], 1));
    expect(none[0].overall).toBeNull();
  });

  it('filters by status overall or for one item', () => {
    const which = (status: Parameters<typeof lineIs>[3], itemId?: string) =>
      lines.filter((line, r) => lineIs(line, cells[r], items, status, itemId)).map((line) => line.enrollmentId);
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
    expect(itemSummaries(items, cells)).toEqual([
      { itemId: 'essay', graded: 2, passed: 1, passRate: 0.5, average: 60 },
      { itemId: 'lesson', graded: 1, passed: 1, passRate: 1, average: null },
      { itemId: 'survey', graded: 0, passed: 0, passRate: null, average: null },
      { itemId: 'reflection', graded: 1, passed: 1, passRate: 1, average: 15.5 },
    ]);
  });
});
