import { aggregateScore, maxTotal, scoreProblems, weightedTotal } from './review-rules.js';

const CRITERIA = [
  { code: 'ethics', nameZh: '师德表现', nameEn: 'Ethics', maxScore: 20, weight: 1 },
  { code: 'teaching', nameZh: '教育教学', nameEn: 'Teaching', maxScore: 40, weight: 1.5 },
];

describe('expert scores', () => {
  it('accepts every criterion within its scale, and answers the weighted total', () => {
    expect(scoreProblems(CRITERIA, { ethics: 18, teaching: 35.5 })).toEqual([]);
    expect(weightedTotal(CRITERIA, { ethics: 18, teaching: 35.5 })).toBe(71.25);
    expect(maxTotal(CRITERIA)).toBe(80);
    expect(scoreProblems(CRITERIA, { ethics: 0, teaching: 40 })).toEqual([]);
  });

  it('names each missing, out-of-scale or unknown criterion', () => {
    const problems = scoreProblems(CRITERIA, { ethics: 21, research: 5 });
    expect(problems.map((p) => [p.field, p.code])).toEqual([['scores.research', 'unknown_field'], ['scores.ethics', 'range'], ['scores.teaching', 'required']]);
    expect(scoreProblems(CRITERIA, { ethics: -1, teaching: '30' }).map((p) => p.field)).toEqual(['scores.ethics', 'scores.teaching']);
    expect(scoreProblems(CRITERIA, [1, 2]).map((p) => p.field)).toEqual(['scores']);
  });
});

describe('aggregate score', () => {
  it('is the mean of the reviewers’ totals below the trimming threshold', () => {
    expect(aggregateScore([], 5)).toBeNull();
    expect(aggregateScore([70], 5)).toBe(70);
    expect(aggregateScore([60, 70, 80, 95], 5)).toBe(76.25);
  });

  it('drops one highest and one lowest total from the threshold on', () => {
    expect(aggregateScore([10, 70, 80, 75, 100], 5)).toBe(75);
    expect(aggregateScore([10, 70, 100], 3)).toBe(70);
    expect(aggregateScore([10, 70, 100], 4)).toBe(60);
  });
});
