import { criteriaChanged, normaliseCriteria, parsePoints } from './rubric-rules.js';

const level = (title: string, points: unknown, extra: Record<string, unknown> = {}) => ({ title, points, ...extra });
const lesson = [
  { title: '教学目标', levels: [level('待改进', 1), level('合格', 3), level('优秀', 5)] },
  { title: '师幼互动', description: '回应幼儿', levels: [level('待改进', 0), level('优秀', 4.5)] },
];

describe('rubric rules', () => {
  const problems = (method: 'rubric' | 'guide', input: unknown) => normaliseCriteria(method, input).problems.map((p) => `${p.field}:${p.code}`);

  it('assigns short ids and adds up the highest level of each criterion', () => {
    const { criteria, maxPoints, problems: found } = normaliseCriteria('rubric', lesson);
    expect(found).toEqual([]);
    expect(maxPoints).toBe(9.5);
    expect(criteria.map((c) => [c.id, c.levels!.map((l) => l.id)])).toEqual([['c1', ['c1l1', 'c1l2', 'c1l3']], ['c2', ['c2l1', 'c2l2']]]);
    expect(criteria[1]).toMatchObject({ title: '师幼互动', description: '回应幼儿' });
  });

  it('names every bad field by its path', () => {
    expect(problems('rubric', [
      { title: ' ', levels: [level('合格', -1), level('合格', 'abc')] },
      { title: '反思', levels: [level('好', 1)] },
      { title: '反思', levels: [level('好', ''), level('很好', 1.234)] },
    ])).toEqual([
      'criteria[0].title:REQUIRED', 'criteria[0].levels[0].points:POINTS_NEGATIVE', 'criteria[0].levels[1].title:DUPLICATE_TITLE',
      'criteria[0].levels[1].points:POINTS_NOT_NUMBER', 'criteria[1].levels:TOO_FEW_LEVELS', 'criteria[2].title:DUPLICATE_TITLE',
      'criteria[2].levels[0].points:POINTS_REQUIRED', 'criteria[2].levels[1].points:POINTS_PRECISION',
    ]);
    expect(problems('rubric', [])).toEqual(['criteria:TOO_FEW_CRITERIA']);
    expect(problems('rubric', 'x')).toEqual(['criteria:REQUIRED']);
    expect(problems('rubric', Array.from({ length: 21 }, (_, i) => ({ title: `c${i}`, levels: [level('a', 0), level('b', 1)] })))).toEqual(['criteria:TOO_MANY_CRITERIA']);
    expect(problems('rubric', [{ title: 'x', levels: Array.from({ length: 11 }, (_, i) => level(`l${i}`, i)) }])).toEqual(['criteria[0].levels:TOO_MANY_LEVELS']);
    expect(problems('rubric', [{ title: 'x', levels: [level('a', 0), level('b', 0)] }])).toEqual(['criteria:RUBRIC_MAX_ZERO']);
  });

  it('checks a marking guide: a maximum above zero per criterion', () => {
    const guide = normaliseCriteria('guide', [{ title: '教案', description: '目标清楚', maxPoints: '10' }, { title: '反思', maxPoints: 5 }]);
    expect(guide.problems).toEqual([]);
    expect(guide.maxPoints).toBe(15);
    expect(guide.criteria).toEqual([{ id: 'c1', title: '教案', description: '目标清楚', maxPoints: 10 }, { id: 'c2', title: '反思', maxPoints: 5 }]);
    expect(problems('guide', [{ title: '教案', maxPoints: 0 }, { title: '反思' }])).toEqual(['criteria[0].maxPoints:MAX_POINTS_NOT_POSITIVE', 'criteria[1].maxPoints:POINTS_REQUIRED']);
  });

  it('keeps the ids of criteria and levels that stay (by id or by title) and numbers new ones after the highest', () => {
    const first = normaliseCriteria('rubric', lesson).criteria;
    const edited = normaliseCriteria('rubric', [
      { title: '新标准', levels: [level('低', 0), level('高', 2)] },
      { ...first[1], title: '师幼互动（改）', levels: [...first[1].levels!, level('良好', 3)] },
      { title: '教学目标', levels: [level('合格', 3), level('优秀', 5)] },
    ], first).criteria;
    expect(edited.map((c) => c.id)).toEqual(['c3', 'c2', 'c1']);
    expect(edited[1].levels!.map((l) => l.id)).toEqual(['c2l1', 'c2l2', 'c2l3']);
    expect(edited[2].levels!.map((l) => l.id)).toEqual(['c1l2', 'c1l3']);
    // An id the server never gave is not trusted.
    expect(normaliseCriteria('rubric', [{ id: 'c9', title: 'x', levels: [level('a', 0), level('b', 1)] }], first).criteria[0].id).toBe('c3');
  });

  it('tells a scoring change from a wording change', () => {
    const before = normaliseCriteria('rubric', lesson).criteria;
    const reworded = before.map((c) => ({ ...c, description: '新的说明', levels: c.levels!.map((l) => ({ ...l, description: '更清楚' })) }));
    expect(criteriaChanged(before, reworded)).toBe(false);
    const rescored = before.map((c, i) => (i ? c : { ...c, levels: c.levels!.map((l) => ({ ...l, points: l.points + 1 })) }));
    expect(criteriaChanged(before, rescored)).toBe(true);
    expect(criteriaChanged(before, before.slice(1))).toBe(true);
  });

  it('reads points from numbers and numeric text only', () => {
    expect(parsePoints(' 2.5 ')).toEqual({ points: 2.5, code: null });
    expect(parsePoints('1e3').code).toBe('POINTS_NOT_NUMBER');
    expect(parsePoints(1001).code).toBe('POINTS_TOO_LARGE');
    expect(parsePoints(null).code).toBe('POINTS_REQUIRED');
  });
});
