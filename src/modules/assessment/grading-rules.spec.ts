import { acceptedMark, checkMark, gradeOf, markDifferences, penalised, sameGrade, sameMark, type GradableItem, type Mark } from './grading-rules.js';

const RUBRIC = [1, 2].map((n) => ({
  id: `c${n}`, title: `C${n}`, levels: [{ id: `c${n}l1`, title: '待改进', points: 1 }, { id: `c${n}l2`, title: '优秀', points: 5 }],
}));
const GUIDE = [{ id: 'g1', title: '目标', maxPoints: 10 }, { id: 'g2', title: '反思', maxPoints: 5 }];
const base = { maxPoints: 10, passPoints: 6, latePolicy: 'accept' as const, latePenaltyPercent: null, criteria: null };
const rubric: GradableItem = { ...base, gradingMethod: 'rubric', criteria: RUBRIC };
const guide: GradableItem = { ...base, gradingMethod: 'guide', maxPoints: 15, criteria: GUIDE };
const points: GradableItem = { ...base, gradingMethod: 'points', maxPoints: 100, passPoints: 60 };
const passFail: GradableItem = { ...base, gradingMethod: 'pass_fail', maxPoints: null, passPoints: null };
const fields = (r: { problems: Array<{ field: string; code: string }> }) => r.problems.map((p) => `${p.field}:${p.code}`);

describe('checking a mark', () => {
  it('takes a rubric mark\'s points from the chosen levels, in the rubric\'s order, with comments', () => {
    const result = checkMark(rubric, { criteria: [{ criterionId: 'c2', levelId: 'c2l1' }, { criterionId: 'c1', levelId: 'c1l2', comment: ' 目标清晰 ' }], feedback: '很好' });
    expect(result.problems).toEqual([]);
    expect(result.mark).toEqual({
      criteria: [{ criterionId: 'c1', levelId: 'c1l2', points: 5, comment: '目标清晰' }, { criterionId: 'c2', levelId: 'c2l1', points: 1 }],
      points: 6, passed: null, feedback: '很好',
    });
  });

  it('names a criterion not in the rubric, a level of another criterion, a duplicate and a missing criterion', () => {
    expect(fields(checkMark(rubric, { criteria: [{ criterionId: 'c1', levelId: 'c1l1' }, { criterionId: 'c9', levelId: 'c1l1' }] })))
      .toEqual(['criteria[1].criterionId:not_in_rubric', 'criteria:missing_criteria']);
    expect(fields(checkMark(rubric, { criteria: [{ criterionId: 'c1', levelId: 'c2l2' }, { criterionId: 'c2', levelId: 'c2l2' }] })))
      .toEqual(['criteria[0].levelId:not_a_level']);
    expect(fields(checkMark(rubric, { criteria: [{ criterionId: 'c1', levelId: 'c1l1' }, { criterionId: 'c1', levelId: 'c1l2' }, { criterionId: 'c2', levelId: 'c2l2' }] })))
      .toEqual(['criteria[1].criterionId:duplicate']);
    expect(fields(checkMark(rubric, {}))).toEqual(['criteria:required']);
    expect(fields(checkMark(rubric, { criteria: [{ criterionId: 'c1', levelId: 'c1l1', points: 5, extra: 1 }, { criterionId: 'c2', levelId: 'c2l1' }] })))
      .toEqual(['criteria[0].extra:unknown_field', 'criteria[0].points:level_points']);
  });

  it('refuses a total that is not the sum of the levels, and pass/fail on a rubric', () => {
    const criteria = [{ criterionId: 'c1', levelId: 'c1l1' }, { criterionId: 'c2', levelId: 'c2l1' }];
    expect(checkMark(rubric, { criteria, points: 2 }).problems).toEqual([]);
    expect(fields(checkMark(rubric, { criteria, points: 9, passed: true }))).toEqual(['passed:not_allowed', 'points:total_mismatch']);
  });

  it('keeps a marking guide\'s points within each criterion\'s maximum', () => {
    expect(checkMark(guide, { criteria: [{ criterionId: 'g1', points: 8.5, comment: '清楚' }, { criterionId: 'g2', points: 0 }] }).mark?.points).toBe(8.5);
    expect(fields(checkMark(guide, { criteria: [{ criterionId: 'g1', points: 11 }, { criterionId: 'g2', points: -1, levelId: 'x' }] })))
      .toEqual(['criteria[0].points:above_maximum', 'criteria[1].levelId:not_allowed', 'criteria[1].points:min']);
  });

  it('keeps plain points between 0 and the maximum, to two decimals', () => {
    expect(checkMark(points, { points: 100 }).mark).toEqual({ criteria: [], points: 100, passed: null, feedback: null });
    expect(fields(checkMark(points, { points: 101 }))).toEqual(['points:above_maximum']);
    expect(fields(checkMark(points, { points: 1.234 }))).toEqual(['points:precision']);
    expect(fields(checkMark(points, {}))).toEqual(['points:required']);
    expect(fields(checkMark(points, { points: 50, passed: true, criteria: [{}] }))).toEqual(['criteria:not_allowed', 'passed:not_allowed']);
  });

  it('asks pass/fail items for passed only', () => {
    expect(checkMark(passFail, { passed: false }).mark).toEqual({ criteria: [], points: null, passed: false, feedback: null });
    expect(fields(checkMark(passFail, { points: 3 }))).toEqual(['points:not_allowed', 'passed:required']);
  });
});

describe('the agreed grade', () => {
  const mark: Mark = { criteria: [], points: 80, passed: null, feedback: null };

  it('applies the late penalty to late work only, keeping the raw points', () => {
    const penalty = { ...points, latePolicy: 'penalty' as const, latePenaltyPercent: 25 };
    expect(gradeOf(penalty, mark, { id: 's1', late: true })).toMatchObject({ rawPoints: 80, points: 60, passed: true, submissionId: 's1' });
    expect(gradeOf(penalty, mark, { id: 's1', late: false })).toMatchObject({ rawPoints: 80, points: 80 });
    expect(gradeOf({ ...penalty, latePolicy: 'accept' }, mark, { id: 's1', late: true }).points).toBe(80);
    expect(penalised(penalty, 7.77, true)).toBe(5.83);
  });

  it('passes against the pass mark, or as given for pass/fail, or always without a pass mark', () => {
    expect(gradeOf(points, { ...mark, points: 59.5 }, null)).toMatchObject({ passed: false, submissionId: null });
    expect(gradeOf({ ...points, passPoints: null }, { ...mark, points: 0 }, null).passed).toBe(true);
    expect(gradeOf(passFail, { ...mark, points: null, passed: true }, null)).toMatchObject({ points: null, rawPoints: null, passed: true });
  });

  it('tells identical grades apart from changed ones', () => {
    const a = gradeOf(points, mark, null);
    expect(sameGrade(a, { ...a })).toBe(true);
    expect(sameGrade(a, { ...a, feedback: '改了' })).toBe(false);
    expect(sameGrade(a, { ...a, points: 81 })).toBe(false);
  });
});

describe('second marking', () => {
  const first: Mark = { criteria: [{ criterionId: 'c1', levelId: 'c1l2', points: 5, comment: '好' }, { criterionId: 'c2', levelId: 'c2l1', points: 1 }], points: 6, passed: null, feedback: 'A' };

  it('agrees on the same levels whatever the comments, and keeps both markers\' comments when accepted', () => {
    const second: Mark = { ...first, criteria: [{ ...first.criteria[0], comment: '很好' }, { ...first.criteria[1], comment: '需反思' }], feedback: 'B' };
    expect(sameMark(first, second)).toBe(true);
    expect(acceptedMark(first, second)).toEqual({
      points: 6, passed: null, feedback: 'A\n\nB',
      criteria: [{ criterionId: 'c1', levelId: 'c1l2', points: 5, comment: '好\n\n很好' }, { criterionId: 'c2', levelId: 'c2l1', points: 1, comment: '需反思' }],
    });
  });

  it('lists the criteria the markers judged differently', () => {
    const second: Mark = { ...first, criteria: [first.criteria[0], { criterionId: 'c2', levelId: 'c2l2', points: 5 }], points: 10 };
    expect(sameMark(first, second)).toBe(false);
    expect(markDifferences(first, second).map((d) => [d.criterionId, d.first?.points, d.second?.points])).toEqual([['c2', 1, 5]]);
  });
});
