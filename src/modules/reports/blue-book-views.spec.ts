import type { KindergartenRow, StaffRow } from './blue-book.query.js';
import { complianceFigures, kindergartenFigures, percent, shares, workforceFigures } from './blue-book-views.js';

const person = (over: Partial<StaffRow>): StaffRow => ({
  personId: 'p', post: 'teacher', kindergartenId: 'k1', ownership: 'public', educationLevel: 'bachelor', preschoolMajor: true,
  title: null, teacherStage: null, principalStage: null, ...over,
});

describe('blue book figures', () => {
  it('rounds shares to one decimal and counts nothing as 0', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(0, 0)).toBe(0);
  });

  it('lists every key in order, unseen ones as 0, unexpected ones last', () => {
    expect(shares(['b', 'x', 'b'], ['a', 'b'], (k) => k.toUpperCase())).toEqual([
      { key: 'a', label: 'A', count: 0, share: 0 },
      { key: 'b', label: 'B', count: 2, share: 66.7 },
      { key: 'x', label: 'X', count: 1, share: 33.3 },
    ]);
  });

  it('counts titles, senior titles, the preschool major among full-time teachers and stages by post', () => {
    const staff = [
      person({ personId: '1', title: 'senior', teacherStage: 'backbone' }),
      person({ personId: '2', title: 'first', preschoolMajor: false, teacherStage: 'competent' }),
      person({ personId: '3', title: 'professorial', post: 'principal', principalStage: 'expert', preschoolMajor: false }),
      person({ personId: '4', post: 'caregiver', educationLevel: 'junior_college' }),
    ];
    const stages = [
      { kind: 'teacher' as const, code: 'competent', nameZh: '胜任型', nameEn: 'Competent', sortOrder: 2 },
      { kind: 'teacher' as const, code: 'backbone', nameZh: '骨干型', nameEn: 'Backbone', sortOrder: 3 },
      { kind: 'principal' as const, code: 'expert', nameZh: '专家型', nameEn: 'Expert', sortOrder: 5 },
    ];
    const f = workforceFigures(staff, stages, 'zh-CN');
    expect(f.total).toBe(4);
    expect(f.byTitle.map((s) => [s.label, s.count])).toEqual([['未定职称', 1], ['三级', 0], ['二级', 0], ['一级', 1], ['高级', 1], ['正高级', 1]]);
    expect(f.seniorTitles).toEqual({ count: 2, share: 50 });
    expect(f.preschoolMajor).toEqual({ teachers: 2, count: 1, share: 50 });
    expect(f.byTeacherStage.map((s) => [s.label, s.count])).toEqual([['胜任型', 1], ['骨干型', 1], ['未认定', 0]]);
    expect(f.byPrincipalStage.map((s) => [s.label, s.count])).toEqual([['专家型', 1], ['未认定', 0]]);
    expect(f.byPost.find((s) => s.key === 'caregiver')).toMatchObject({ label: '保育员', count: 1, share: 25 });
  });

  it('counts kindergartens by ownership and grade, and public ones in groups', () => {
    const kg = (id: string, over: Partial<KindergartenRow>): KindergartenRow => ({ id, ownership: 'public', grade: 'first', inclusive: true, groupId: null, ...over });
    const f = kindergartenFigures(
      [kg('a', { groupId: 'g1' }), kg('b', {}), kg('c', { ownership: 'private', inclusive: false, groupId: 'g1' })],
      [{ id: 'g1', name: '第一集团' }, { id: 'g2', name: '空集团' }], 'en');
    expect(f.total).toBe(3);
    expect(f.byOwnership.map((s) => [s.label, s.count])).toEqual([['Public', 2], ['Private', 1]]);
    expect(f.inclusive).toEqual({ count: 2, share: 66.7 });
    expect(f.groups).toEqual([{ id: 'g1', name: '第一集团', members: 2, publicMembers: 1 }]);
    expect(f.publicInGroups).toEqual({ count: 1, total: 2, share: 50 });
  });

  it('counts people a scheme applies to, complete when their worst standing is met', () => {
    const staff = [person({ personId: '1' }), person({ personId: '2' }), person({ personId: '3', ownership: 'private' }), person({ personId: '4' })];
    const standing: Record<string, string> = { 1: 'met', 2: 'behind', 3: 'met', 4: 'not_applicable' };
    const f = complianceFigures(staff, (id) => standing[id], null, 'zh-CN');
    expect(f.total).toEqual({ people: 3, complete: 2, share: 66.7 });
    expect(f.byOwnership).toEqual([
      { key: 'public', label: '公办', people: 2, complete: 1, share: 50 },
      { key: 'private', label: '民办', people: 1, complete: 1, share: 100 },
    ]);
    expect(f.byStanding.map((s) => [s.key, s.count])).toEqual([['met', 2], ['on_track', 0], ['behind', 1], ['at_risk', 0]]);
  });
});
