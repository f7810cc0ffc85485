import type { RotationAssignment } from '../mentoring/rotations.query.js';
import type { SeniorHolder, TitledPerson } from './coverage.query.js';
import { rotated, seniorsAt } from './coverage.service.js';

const staff = (personId: string, kindergartenId: string, title: TitledPerson['title'] = 'senior'): TitledPerson =>
  ({ personId, name: `name ${personId}`, post: 'teacher', title, kindergartenId });
const rotation = (personId: string, home: string, host: string, countAt: RotationAssignment['countAt']): RotationAssignment => ({
  rotationId: `r-${personId}`, personId, personName: `name ${personId}`, homeKindergartenId: home, hostKindergartenId: host,
  kind: 'exchange' as RotationAssignment['kind'], countAt, startsOn: '2026-01-01', lastDay: '2026-12-31',
});
const ids = (at: Map<string, SeniorHolder[]>) => Object.fromEntries([...at].map(([k, list]) => [k, list.map((h) => `${h.personId}${h.rotatedFrom ? `<${h.rotatedFrom}` : ''}`)]));

describe('senior-title holders counted at each kindergarten', () => {
  it('keeps staff at home, moves one counted at the host, adds one counted at both, and ignores other titles', () => {
    const titles = new Map([['a', 'senior' as const], ['b', 'professorial' as const], ['c', 'senior' as const]]);
    const at = seniorsAt(
      [staff('a', 'K1'), staff('b', 'K1'), staff('c', 'K2'), staff('d', 'K2'), staff('e', 'K3', 'first')],
      [rotation('a', 'K1', 'K3', 'host'), rotation('c', 'K2', 'K3', 'both'), rotation('x', 'K4', 'K3', 'home')],
      titles,
    );
    expect(ids(at)).toEqual({ K1: ['b'], K2: ['c', 'd'], K3: ['a<K1', 'c<K2'] });
  });

  it('leaves a kindergarten out when its only holder is counted away, and keeps untouched lists as they are', () => {
    const own = new Map<string, SeniorHolder[]>([
      ['K1', [{ personId: 'a', name: 'A', title: 'senior', post: 'teacher', rotatedFrom: null }]],
      ['K2', [{ personId: 'b', name: 'B', title: 'senior', post: 'teacher', rotatedFrom: null }]],
    ]);
    const at = rotated(own, [rotation('a', 'K1', 'K2', 'host')], new Map([['a', 'first' as const]]));
    // Counted at the host but below 高级 there: no longer counted anywhere.
    expect(ids(at)).toEqual({ K2: ['b'] });
    expect(at.get('K2')).toBe(own.get('K2'));
  });
});
