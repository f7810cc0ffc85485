import { criteriaProblems, cycleEnd, eligibilityProblems, fullYears, unmetConditions, windowState, type ApplicantFacts } from './program-rules.js';

const FACTS: ApplicantFacts = {
  birthDate: '1990-06-15', post: 'teacher', title: 'first', teacherStage: 'competent', honours: [], hireDate: '2012-09-01', ethicsBlockedUntil: null,
};
const codes = (rules: Parameters<typeof unmetConditions>[0], facts: Partial<ApplicantFacts> = {}, on = '2026-06-14') =>
  unmetConditions(rules, { ...FACTS, ...facts }, on).map((u) => u.code);

describe('program eligibility', () => {
  it('counts ages and years of service in whole years, turning on the birthday', () => {
    expect(fullYears('1990-06-15', '2030-06-14')).toBe(39);
    expect(fullYears('1990-06-15', '2030-06-15')).toBe(40);
    expect(fullYears('2000-02-29', '2001-02-28')).toBe(0);
  });

  it('is eligible when no condition is set, and for a seed teacher of 40 but not of 41', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ maxAge: 40 }, {}, '2030-06-15')).toEqual([]);
    expect(unmetConditions({ maxAge: 40 }, FACTS, '2031-06-15')).toEqual([{ code: 'age_above_max', params: { max: 40, age: 41 } }]);
    expect(codes({ minAge: 36 })).toEqual(['age_below_min']);
  });

  it('lists every unmet condition at once', () => {
    const rules = { maxAge: 30, posts: ['principal' as const], minTitle: 'senior' as const, stages: ['backbone'], honours: ['district_backbone' as const],
      minYearsOfService: 15, noEthicsBlock: true };
    expect(codes(rules, { ethicsBlockedUntil: '2027-01-01' })).toEqual([
      'age_above_max', 'post_not_allowed', 'title_below_min', 'stage_not_allowed', 'honour_missing', 'service_too_short', 'ethics_blocked']);
  });

  it('meets each condition with the right record', () => {
    expect(codes({ posts: ['teacher'], minTitle: 'first', stages: ['competent', 'backbone'], honours: ['subject_leader', 'district_backbone'], minYearsOfService: 13 },
      { honours: ['district_backbone'] })).toEqual([]);
    expect(codes({ minTitle: 'third' }, { title: null })).toEqual(['title_below_min']);
    expect(codes({ minYearsOfService: 1 }, { hireDate: null })).toEqual(['service_too_short']);
    expect(codes({ posts: ['teacher'] }, { post: null })).toEqual(['post_not_allowed']);
  });

  it('lets an ethics block count only when the program refuses blocked people', () => {
    expect(codes({ noEthicsBlock: false }, { ethicsBlockedUntil: '2027-01-01' })).toEqual([]);
    expect(codes({ noEthicsBlock: true }, { ethicsBlockedUntil: '2027-01-01' })).toEqual(['ethics_blocked']);
  });
});

describe('program definitions', () => {
  it('ends a three-year cycle the day before its third anniversary', () => {
    expect(cycleEnd('2026-09-01', 3)).toBe('2029-08-31');
    expect(cycleEnd('2026-03-01', 1)).toBe('2027-02-28');
  });

  it('opens applications inside the window only', () => {
    const window = { applicationsOpenAt: new Date('2026-03-01T00:00:00Z'), applicationsCloseAt: new Date('2026-03-31T00:00:00Z') };
    expect(windowState(window, new Date('2026-02-28T23:59:59Z'))).toBe('not_open');
    expect(windowState(window, new Date('2026-03-31T00:00:00Z'))).toBe('open');
    expect(windowState(window, new Date('2026-03-31T00:00:01Z'))).toBe('closed');
  });

  it('names every bad eligibility field by its path', () => {
    const fields = eligibilityProblems({ maxAge: 200, posts: ['teacher', 'pilot'], minTitle: 'great', stages: ['novice'], colour: 'red', noEthicsBlock: 'yes' }, ['competent'])
      .map((p) => p.field);
    expect(fields.sort()).toEqual(['eligibility.colour', 'eligibility.maxAge', 'eligibility.minTitle', 'eligibility.noEthicsBlock', 'eligibility.posts[1]',
      'eligibility.stages[0]'].sort());
    expect(eligibilityProblems({ minAge: 45, maxAge: 40 }, []).map((p) => p.field)).toEqual(['eligibility.minAge']);
    expect(eligibilityProblems({ maxAge: 40, noEthicsBlock: true }, [])).toEqual([]);
  });

  it('requires named criteria with positive scales and weights, codes used once', () => {
    expect(criteriaProblems([], true).map((p) => p.field)).toEqual(['criteria']);
    expect(criteriaProblems([], false)).toEqual([]);
    const fields = criteriaProblems([
      { code: 'ethics', nameZh: '师德', nameEn: 'Ethics', maxScore: 30, weight: 1 },
      { code: 'ethics', nameZh: '', nameEn: 'Again', maxScore: 0, weight: -1 },
    ], true).map((p) => p.field);
    expect(fields).toEqual(['criteria[1].code', 'criteria[1].nameZh', 'criteria[1].maxScore', 'criteria[1].weight']);
  });
});
