import {
  ancestorIds, buildTree, childKindsOf, depthOf, flattenTree, groupMemberProblems, isWithin, kindAllowedUnder,
  kindergartenFieldProblems, rewrittenPath,
} from './org-rules.js';

describe('org rules', () => {
  it('allows city → district → town / zone → kindergarten and nothing else', () => {
    expect(kindAllowedUnder('district', 'city')).toBe(true);
    expect(kindAllowedUnder('town', 'district')).toBe(true);
    expect(kindAllowedUnder('zone', 'town')).toBe(true);
    expect(kindAllowedUnder('kindergarten', 'zone')).toBe(true);
    expect(kindAllowedUnder('kindergarten', 'kindergarten')).toBe(false);
    expect(kindAllowedUnder('town', 'town')).toBe(false);
    expect(kindAllowedUnder('city', 'city')).toBe(false);
    expect(childKindsOf('district')).toEqual(['town', 'zone', 'kindergarten']);
    expect(childKindsOf('kindergarten')).toEqual([]);
  });

  it('requires the kindergarten fields of a kindergarten and refuses them on other kinds', () => {
    const complete = { ownership: 'public', inclusive: false, grade: 'first', status: 'operating' };
    expect(kindergartenFieldProblems('kindergarten', complete)).toEqual([]);
    expect(kindergartenFieldProblems('kindergarten', { ...complete, inclusive: null, grade: undefined }).map((p) => p.field)).toEqual(['inclusive', 'grade']);
    expect(kindergartenFieldProblems('kindergarten', { ...complete, status: 'planned' })).toEqual([
      expect.objectContaining({ field: 'openingYear', code: 'ORG_OPENING_YEAR_REQUIRED' }),
    ]);
    expect(kindergartenFieldProblems('kindergarten', { ...complete, status: 'planned', openingYear: 2027 })).toEqual([]);
    expect(kindergartenFieldProblems('town', { grade: 'first', address: null, nurseryClasses: 0 }).map((p) => p.field)).toEqual(['grade', 'nurseryClasses']);
  });

  it('rewrites a moved subtree by swapping the path prefix', () => {
    expect(isWithin('/c/d/t/k/', '/c/d/t/')).toBe(true);
    expect(isWithin('/c/d/t/', '/c/d/t/')).toBe(true);
    expect(isWithin('/c/d/t2/', '/c/d/t/')).toBe(false);
    expect(rewrittenPath('/c/d/t/z/k/', '/c/d/t/z/', '/c/d/t2/z/')).toBe('/c/d/t2/z/k/');
    expect(() => rewrittenPath('/c/x/', '/c/d/', '/c/e/')).toThrow();
    expect(ancestorIds('/c/d/t/k/')).toEqual(['c', 'd', 't']);
    expect(depthOf('/c/')).toBe(0);
    expect(depthOf('/c/d/t/k/')).toBe(3);
  });

  it('nests rows into a tree with roots where the parent is out of view, siblings by code', () => {
    const rows = [
      { id: 'd', parentId: 'c', code: 'D', kind: 'district' },
      { id: 't2', parentId: 'd', code: 'T2', kind: 'town' },
      { id: 't1', parentId: 'd', code: 'T1', kind: 'town' },
      { id: 'k', parentId: 't1', code: 'K', kind: 'kindergarten' },
    ];
    const roots = buildTree(rows);
    expect(roots.map((r) => r.id)).toEqual(['d']);
    expect(roots[0].children.map((c) => c.id)).toEqual(['t1', 't2']);
    expect(roots[0].children[0].children[0]).toEqual({ id: 'k', code: 'K', kind: 'kindergarten', children: [] });
    const areas = flattenTree(roots, (n) => n.kind !== 'kindergarten').map(({ node, level }) => `${node.id}@${level}`);
    expect(areas).toEqual(['d@0', 't1@1', 't2@1']);
  });

  it('wants one or two lead kindergartens, each kindergarten once', () => {
    const m = (kindergartenId: string, isLead = false) => ({ kindergartenId, isLead });
    expect(groupMemberProblems([m('a', true), m('b')])).toEqual([]);
    expect(groupMemberProblems([m('a', true), m('b', true)])).toEqual([]);
    expect(groupMemberProblems([m('a'), m('b')]).map((p) => p.code)).toEqual(['GROUP_LEAD_COUNT']);
    expect(groupMemberProblems([m('a', true), m('b', true), m('c', true)]).map((p) => p.field)).toEqual(['members']);
    expect(groupMemberProblems([m('a', true), m('a')]).map((p) => p.field)).toEqual(['members.1.kindergartenId']);
    expect(groupMemberProblems([]).map((p) => p.code)).toEqual(['GROUP_LEAD_COUNT']);
  });
});
