import { donorCapacity, planCoverage, rotationOptions, type Donor, type GapKindergarten } from './gap-planning.js';

const gap = (code: string, groupIds: string[], candidates: GapKindergarten['candidates'] = []): GapKindergarten =>
  ({ id: `k-${code}`, code, name: `园${code}`, groupIds, candidates });
const donor = (code: string, groupIds: string[], seniorCount: number, movable = seniorCount): Donor => ({
  kindergartenId: `k-${code}`, code, name: `园${code}`, groupIds, seniorCount,
  movable: Array.from({ length: movable }, (_, i) => ({ personId: `p-${code}-${i}`, name: `师${code}${i}` })),
});

describe('gap planning', () => {
  it('promotes the earliest own 一级 teacher eligible by the date, and not one eligible later', () => {
    const plan = planCoverage([
      gap('A', ['g1'], [{ personId: 'a1', name: '甲', eligibleOn: '2027-03-01' }, { personId: 'a2', name: '乙', eligibleOn: '2026-09-01' }]),
      gap('B', ['g1'], [{ personId: 'b1', name: '丙', eligibleOn: '2028-01-01' }, { personId: 'b2', name: '丁', eligibleOn: null }]),
    ], [], '2027-06-30');
    expect(plan.promotions).toEqual([{ kindergartenId: 'k-A', personId: 'a2', name: '乙', eligibleOn: '2026-09-01' }]);
    expect(plan.uncovered).toEqual([{ kindergartenId: 'k-B', reason: 'not_eligible_by_date' }]);
    expect(plan.covered).toBe(1);
  });

  it('never takes a donor below one senior-title teacher', () => {
    expect(donorCapacity(donor('D', ['g1'], 1))).toBe(0);
    expect(donorCapacity(donor('D', ['g1'], 3))).toBe(2);
    expect(donorCapacity(donor('D', ['g1'], 3, 1))).toBe(1);
    const plan = planCoverage([gap('A', ['g1']), gap('B', ['g1']), gap('C', ['g1'])], [donor('D', ['g1'], 2)], '2027-01-01');
    expect(plan.rotations).toHaveLength(1);
    expect(plan.uncovered.map((u) => u.reason)).toEqual(['donors_taken', 'donors_taken']);
  });

  it('only rotates within a shared group', () => {
    expect(rotationOptions(gap('A', ['g1']), [donor('D', ['g2'], 3), donor('E', ['g1', 'g2'], 2)]).map((d) => d.code)).toEqual(['E']);
    const plan = planCoverage([gap('A', ['g1'])], [donor('D', ['g2'], 3)], '2027-01-01');
    expect(plan.uncovered).toEqual([{ kindergartenId: 'k-A', reason: 'no_options' }]);
  });

  it('finds the maximum where a greedy pass would not', () => {
    // A (first by code) could take D1 or D2; B only D1. Greedy gives D1 to A and leaves B out.
    const plan = planCoverage([gap('A', ['g1', 'g2']), gap('B', ['g1'])], [donor('D1', ['g1'], 2), donor('D2', ['g2'], 2)], '2027-01-01');
    expect(plan.covered).toBe(2);
    expect(plan.rotations.map((r) => [r.kindergartenId, r.fromKindergartenId])).toEqual([['k-A', 'k-D2'], ['k-B', 'k-D1']]);
    expect(plan.uncovered).toEqual([]);
  });

  it('gives each rotated teacher to one kindergarten only', () => {
    const plan = planCoverage([gap('A', ['g1']), gap('B', ['g1']), gap('C', ['g1'])], [donor('D', ['g1'], 3)], '2027-01-01');
    expect(plan.rotations.map((r) => r.kindergartenId)).toEqual(['k-A', 'k-B']);
    expect(new Set(plan.rotations.map((r) => r.personId)).size).toBe(2);
  });

  it('prefers promotions so donors stay free for kindergartens that need them', () => {
    const plan = planCoverage([
      gap('A', ['g1'], [{ personId: 'a1', name: '甲', eligibleOn: '2026-01-01' }]),
      gap('B', ['g1']),
    ], [donor('D', ['g1'], 2)], '2027-01-01');
    expect(plan.promotions.map((p) => p.kindergartenId)).toEqual(['k-A']);
    expect(plan.rotations.map((r) => r.kindergartenId)).toEqual(['k-B']);
  });
});
