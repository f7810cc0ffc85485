import { audienceMisses, priorityTierOf } from './audience.js';
import type { LearnerProfile } from '../people/people-directory.service.js';

const teacher: LearnerProfile = {
  personId: 'p1', fullName: '张老师', districtId: 'd', orgPath: '/c/d/k/', kindergartenId: 'k1', kindergartenName: '幼儿园',
  kindergartenGrade: 'first', ownership: 'public', groupId: 'g1', post: 'teacher', teacherStage: 'novice', principalStage: null, title: null,
};

describe('audienceMisses', () => {
  it('lets everyone in when no dimension is listed', () => {
    expect(audienceMisses({}, teacher)).toEqual([]);
    expect(audienceMisses({ posts: [] }, teacher)).toEqual([]);
  });

  it('names each dimension the person fails, with what it wanted', () => {
    const misses = audienceMisses({ posts: ['principal'], ownerships: ['public'], teacherStages: ['backbone'] }, teacher);
    expect(misses).toEqual([
      { dimension: 'posts', allowed: ['principal'] },
      { dimension: 'teacherStages', allowed: ['backbone'] },
    ]);
  });

  it("matches 'none' to people without a title and a listed title to its holders", () => {
    expect(audienceMisses({ titles: ['none', 'third'] }, teacher)).toEqual([]);
    expect(audienceMisses({ titles: ['senior'] }, teacher)).toHaveLength(1);
    expect(audienceMisses({ titles: ['senior'] }, { ...teacher, title: 'senior' })).toEqual([]);
  });

  it('matches named kindergartens, groups and program cohorts', () => {
    expect(audienceMisses({ kindergartenIds: ['k2'] }, teacher)).toHaveLength(1);
    expect(audienceMisses({ groupIds: ['g1'] }, teacher)).toEqual([]);
    expect(audienceMisses({ cohortIds: ['c1'] }, teacher)).toHaveLength(1);
    expect(audienceMisses({ cohortIds: ['c1'] }, teacher, ['c1'])).toEqual([]);
  });
});

describe('priorityTierOf', () => {
  const tiers = [
    { name: '骨干教师优先', audience: { teacherStages: ['backbone'] } },
    { name: '公办园', audience: { ownerships: ['public'] } },
  ];
  it('puts the person in the first tier they match, after every tier when none', () => {
    expect(priorityTierOf(tiers, teacher)).toBe(1);
    expect(priorityTierOf(tiers, { ...teacher, teacherStage: 'backbone' })).toBe(0);
    expect(priorityTierOf(tiers, { ...teacher, ownership: 'private' })).toBe(2);
    expect(priorityTierOf([], teacher)).toBe(0);
  });
});
