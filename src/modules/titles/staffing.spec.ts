import { POSTS } from '../people/person.entity.js';
import { certificateCoverage, checkStaffing, principalsAllowed, type StaffCounts, type StaffingRules } from './staffing.js';

const RULES: StaffingRules = {
  fullDay: { childrenPerStaff: [5, 7], childrenPerTeacherAndCaregiver: [7, 9] },
  halfDay: { childrenPerStaff: [8, 10], childrenPerTeacherAndCaregiver: [11, 13] },
  teachersPerClass: 2, caregiversPerClass: 1,
  principalsByClasses: [{ maxClasses: 5, principals: 1 }, { maxClasses: 9, principals: 2 }, { maxClasses: null, principals: 3 }],
  childrenPerHealthStaff: 150, childrenPerCook: [40, 45],
};
const staff = (counts: Partial<StaffCounts>): StaffCounts => ({ ...Object.fromEntries(POSTS.map((p) => [p, 0])), ...counts }) as StaffCounts;
const byCode = (checks: ReturnType<typeof checkStaffing>) => Object.fromEntries(checks.map((c) => [c.code, c]));

describe('staffing standard (2013)', () => {
  it('allows 1 principal under 6 classes, 2 for 6-9 and 3 for 10 or more', () => {
    expect([1, 5, 6, 9, 10, 20].map((n) => principalsAllowed(n, RULES))).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('passes a 9-class full-day kindergarten staffed to the standard', () => {
    // 270 children: ≥ 39 staff (1:7), ≥ 30 teachers+caregivers (1:9), 18 teachers + 9 caregivers, 2 health staff, 6 cooks.
    const checks = checkStaffing({ classes: 9, children: 270, fullDay: true },
      staff({ teacher: 18, caregiver: 12, principal: 1, vice_principal: 1, health: 2, nutrition: 6 }), RULES);
    expect(checks.every((c) => c.status === 'ok')).toBe(true);
    expect(byCode(checks).children_per_staff).toMatchObject({ required: 39, actual: 40 });
    expect(byCode(checks).health_staff.required).toBe(2);
  });

  it('accepts 3 teachers a class in place of 2 teachers and a caregiver', () => {
    const checks = byCode(checkStaffing({ classes: 4, children: 0, fullDay: true }, staff({ teacher: 12, principal: 1 }), RULES));
    expect(checks.teachers_per_class.status).toBe('ok');
    expect(checks.class_posts.status).toBe('ok');
  });

  it('names what is short and too many principals', () => {
    const checks = byCode(checkStaffing({ classes: 5, children: 151, fullDay: true },
      staff({ teacher: 9, caregiver: 5, principal: 1, vice_principal: 1, health: 1, nutrition: 3 }), RULES));
    expect(checks.teachers_per_class).toMatchObject({ required: 10, actual: 9, status: 'short' });
    expect(checks.principals).toMatchObject({ limit: 1, actual: 2, status: 'over' });
    expect(checks.health_staff).toMatchObject({ required: 2, actual: 1, status: 'short' });
    expect(checks.cooks).toMatchObject({ required: 4, status: 'short' });
  });

  it('uses the half-day ratios for a half-day kindergarten', () => {
    const checks = byCode(checkStaffing({ classes: 0, children: 100, fullDay: false }, staff({ teacher: 10 }), RULES));
    expect(checks.children_per_staff.required).toBe(10);
    expect(checks.children_per_teacher_and_caregiver.required).toBe(8);
  });

  it('counts certificate coverage only over posts that need one', () => {
    const coverage = certificateCoverage([
      { post: 'teacher', needing: 10, holding: 9 }, { post: 'principal', needing: 2, holding: 1 }, { post: 'nutrition', needing: 5, holding: 0 },
    ]);
    expect(coverage).toMatchObject({ needing: 12, holding: 10, share: 83.3 });
    expect(coverage.byPost.map((p) => p.post)).toEqual(['teacher', 'principal']);
  });
});
