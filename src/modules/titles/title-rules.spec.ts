import { addYears, evaluateEligibility, nextTitleAfter, ruleInForce, type EligibilityFacts, type RuleCandidate } from './title-rules.js';
import type { TitleConditions } from './titles.entities.js';

const senior: TitleConditions = {
  fromTitle: 'first', yearsAtPrevious: { doctorate: 2, master: 5, bachelor: 5, junior_college: 5 }, minEducation: 'junior_college',
  creditsComplete: true, certificates: ['teacher_qualification'], extra: [],
};
const rule = (conditions: TitleConditions) => ({ id: 'r1', regionCode: null, conditions });
const facts = (over: Partial<EligibilityFacts> = {}): EligibilityFacts => ({
  educationLevel: 'bachelor', hireDate: '2010-08-01', currentTitle: 'first', currentTitleSince: '2022-09-01',
  certificates: [{ kind: 'teacher_qualification', issuedOn: '2010-06-01', expiresOn: null }],
  ethicsBlockedUntil: null, creditsComplete: true, serviceByGrade: [], ...over,
});
const byCode = (r: ReturnType<typeof evaluateEligibility>, code: string) => r.conditions.find((c) => c.code === code)!;

describe('title rules', () => {
  it('counts years at the previous title by education level from its effective date', () => {
    const r = evaluateEligibility(rule(senior), 'senior', facts(), '2026-03-01');
    expect(byCode(r, 'years_at_previous')).toMatchObject({ met: false, metOn: '2027-09-01' });
    expect(r.eligibleOn).toBe('2027-09-01');
    expect(r.eligibleNow).toBe(false);
    const doctor = evaluateEligibility(rule(senior), 'senior', facts({ educationLevel: 'doctorate' }), '2026-03-01');
    expect(byCode(doctor, 'years_at_previous')).toMatchObject({ met: true, metOn: '2024-09-01' });
    expect(doctor.eligibleNow).toBe(true);
  });

  it('counts the first title from the hire date', () => {
    const third: TitleConditions = { ...senior, fromTitle: null, yearsAtPrevious: { bachelor: 1, junior_college: 1 }, creditsComplete: false };
    const r = evaluateEligibility(rule(third), 'third', facts({ currentTitle: null, currentTitleSince: null, hireDate: '2025-08-01' }), '2026-03-01');
    expect(byCode(r, 'years_at_previous').metOn).toBe('2026-08-01');
    expect(r.conditions.some((c) => c.code === 'credits_complete')).toBe(false);
  });

  it('education below the minimum is never met, with a reason', () => {
    const professorial: TitleConditions = { ...senior, fromTitle: 'senior', minEducation: 'bachelor', yearsAtPrevious: { bachelor: 5 } };
    const r = evaluateEligibility(rule(professorial), 'professorial', facts({ educationLevel: 'junior_college', currentTitle: 'senior' }), '2026-03-01');
    expect(byCode(r, 'education')).toMatchObject({ met: false, metOn: null, reason: 'education_below_minimum' });
    expect(byCode(r, 'years_at_previous')).toMatchObject({ metOn: null, reason: 'education_cannot_apply' });
    expect(r.eligibleOn).toBeNull();
  });

  it('an ethics block is met the day after it ends; dismissal never', () => {
    const r = evaluateEligibility(rule(senior), 'senior', facts({ ethicsBlockedUntil: '2028-01-31' }), '2026-03-01');
    expect(byCode(r, 'no_ethics_block')).toMatchObject({ met: false, metOn: '2028-02-01' });
    expect(r.eligibleOn).toBe('2028-02-01');
    const dismissed = evaluateEligibility(rule(senior), 'senior', facts({ ethicsBlockedUntil: '9999-12-31' }), '2026-03-01');
    expect(byCode(dismissed, 'no_ethics_block')).toMatchObject({ metOn: null, reason: 'never' });
  });

  it('missing certificates and incomplete credits have no known date', () => {
    const r = evaluateEligibility(rule(senior), 'senior', facts({ certificates: [], creditsComplete: false }), '2026-03-01');
    expect(byCode(r, 'certificate:teacher_qualification')).toMatchObject({ met: false, metOn: null, reason: 'certificate_missing' });
    expect(byCode(r, 'credits_complete')).toMatchObject({ met: false, metOn: null });
    expect(r.eligibleOn).toBeNull();
  });

  it('rural service counts served days in weaker kindergartens; unknown extra codes are not met', () => {
    const withExtra: TitleConditions = { ...senior, extra: [{ code: 'rural_service', zh: '薄弱园服务一年', en: 'A year in a weaker kindergarten', years: 1 }, { code: 'mystery', zh: '?', en: '?' }] };
    const r = evaluateEligibility(rule(withExtra), 'senior', facts({ serviceByGrade: [{ from: '2025-09-01', to: null, grade: 'third' }] }), '2026-03-01');
    expect(byCode(r, 'extra:rural_service')).toMatchObject({ met: false, metOn: '2026-09-01' });
    expect(byCode(r, 'extra:mystery')).toMatchObject({ met: false, metOn: null, reason: 'unknown_condition' });
    const served = evaluateEligibility(rule(withExtra), 'senior', facts({ serviceByGrade: [{ from: '2018-09-01', to: '2019-12-31', grade: 'unrated' }] }), '2026-03-01');
    expect(byCode(served, 'extra:rural_service').met).toBe(true);
    const demonstration = evaluateEligibility(rule(withExtra), 'senior', facts({ serviceByGrade: [{ from: '2018-09-01', to: null, grade: 'city_demonstration' }] }), '2026-03-01');
    expect(byCode(demonstration, 'extra:rural_service')).toMatchObject({ met: false, metOn: null });
  });

  it('picks the latest effective rule of the most specific region', () => {
    const base = { conditions: senior, title: 'senior' as const };
    const rules: RuleCandidate[] = [
      { ...base, id: 'national', regionCode: null, effectiveFrom: '2015-01-01' },
      { ...base, id: 'sh-old', regionCode: 'SH', effectiveFrom: '2020-01-01' },
      { ...base, id: 'sh-new', regionCode: 'SH', effectiveFrom: '2026-01-01' },
      { ...base, id: 'sh-future', regionCode: 'SH', effectiveFrom: '2030-01-01' },
    ];
    expect(ruleInForce(rules, 'senior', ['K1', 'SH-QP', 'SH'], '2026-03-01')!.id).toBe('sh-new');
    expect(ruleInForce(rules, 'senior', ['BJ'], '2026-03-01')!.id).toBe('national');
    expect(ruleInForce(rules, 'first', ['SH'], '2026-03-01')).toBeNull();
  });

  it('knows the next title and adds years on leap days', () => {
    expect(nextTitleAfter(null)).toBe('third');
    expect(nextTitleAfter('first')).toBe('senior');
    expect(nextTitleAfter('professorial')).toBeNull();
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
  });
});
