import { audienceProblems, describeAudience, describeMisses, normaliseAudience, type AudienceNames } from './audience-rules.js';

const names: AudienceNames = {
  stage: (kind, code) => (({ 'teacher:backbone': '骨干型', 'teacher:competent': '胜任型', 'principal:new': '新任' }) as Record<string, string>)[`${kind}:${code}`] ?? code,
  kindergarten: (id) => (id === 'k1' ? '淀山湖幼儿园' : id),
  group: (id) => (id === 'g1' ? '青浦区第一学前教育集团' : id),
};

describe('audience rules', () => {
  it('stores only listed dimensions, without duplicates', () => {
    expect(normaliseAudience({ posts: ['teacher', 'teacher'], titles: [], ownerships: undefined, groupIds: ['ABC'] })).toEqual({ posts: ['teacher'], groupIds: ['abc'] });
    expect(normaliseAudience(undefined)).toEqual({});
  });

  it('names each dimension that holds a value the district does not know', () => {
    const reference = { teacherStages: new Set(['backbone']), principalStages: new Set(['new']), kindergartenIds: new Set(['k1']), groupIds: new Set<string>() };
    expect(audienceProblems({ teacherStages: ['backbone'], kindergartenIds: ['k1'] }, reference)).toEqual([]);
    expect(audienceProblems({ teacherStages: ['guru'], principalStages: ['new'], kindergartenIds: ['k2'], groupIds: ['g9'] }, reference, 'priorityTiers.0.audience')
      .map((p) => [p.field, p.code])).toEqual([
      ['priorityTiers.0.audience.teacherStages', 'UNKNOWN_STAGE'],
      ['priorityTiers.0.audience.kindergartenIds', 'UNKNOWN_KINDERGARTEN'],
      ['priorityTiers.0.audience.groupIds', 'UNKNOWN_GROUP'],
    ]);
  });

  it('says in words, in the reader\'s language, what each missed dimension wanted', () => {
    expect(describeMisses([{ dimension: 'teacherStages', allowed: ['competent', 'backbone'] }], 'zh-CN', names))
      .toEqual([{ code: 'NOT_IN_AUDIENCE', dimension: 'teacherStages', message: '仅面向：胜任型、骨干型教师' }]);
    expect(describeMisses([{ dimension: 'posts', allowed: ['caregiver'] }, { dimension: 'titles', allowed: ['none'] }], 'en', names).map((r) => r.message))
      .toEqual(['Only for: Caregiver', 'Only for titles: no title']);
    expect(describeMisses([{ dimension: 'kindergartenIds', allowed: ['k1'] }, { dimension: 'cohortIds', allowed: ['c1'] }], 'zh-CN', names).map((r) => r.message))
      .toEqual(['仅面向指定幼儿园：淀山湖幼儿园', '仅面向指定培养项目的学员']);
  });

  it('describes a whole audience line by line, and nothing for an open one', () => {
    expect(describeAudience({}, 'zh-CN', names)).toEqual([]);
    expect(describeAudience({ posts: ['teacher'], groupIds: ['g1'], kindergartenGrades: ['first'] }, 'zh-CN', names))
      .toEqual(['岗位：专任教师', '幼儿园等级：一级', '教育集团：青浦区第一学前教育集团']);
  });
});
