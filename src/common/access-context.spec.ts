import { AccessContext, type Grant } from './access-context.js';

const context = (grants: Grant[], personId: string | null = null) =>
  new AccessContext('u1', 's1', 'user', 'User', personId, 'zh-CN', grants, false);

describe('AccessContext', () => {
  it('reaches a subtree of the org tree and nothing beside it', () => {
    const access = context([{ role: 'district_admin', orgUnitId: 'd', groupId: null, orgPaths: ['/c/d/'] }]);
    expect(access.canAt('people.write', '/c/d/t/k/')).toBe(true);
    expect(access.canAt('people.write', '/c/other/k/')).toBe(false);
    expect(access.canAt('people.write', '/c/')).toBe(false);
  });

  it('grants a kindergarten admin no district-only permissions', () => {
    const access = context([{ role: 'kindergarten_admin', orgUnitId: 'k', groupId: null, orgPaths: ['/c/d/k/'] }]);
    expect(access.can('people.read')).toBe(true);
    expect(access.can('people.sensitive')).toBe(false);
    expect(access.scopePaths('org.write')).toEqual([]);
  });

  it('collapses nested scopes to the broadest', () => {
    const access = context([
      { role: 'kindergarten_admin', orgUnitId: 'k', groupId: null, orgPaths: ['/c/d/k/'] },
      { role: 'district_admin', orgUnitId: 'd', groupId: null, orgPaths: ['/c/d/'] },
    ]);
    expect(access.scopePaths('people.read')).toEqual(['/c/d/']);
  });

  it('gives a teacher only their own record', () => {
    const access = context([{ role: 'teacher', orgUnitId: null, groupId: null, orgPaths: [] }], 'p1');
    expect(access.can('people.read')).toBe(false);
    expect(access.isSelf('p1')).toBe(true);
    expect(access.isSelf('p2')).toBe(false);
  });
});
