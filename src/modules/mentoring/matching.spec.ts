import { rankCandidates, scoreCandidate, stageRank, type MatchProfile, type MentorCandidate } from './matching.js';

const mentee: MatchProfile = {
  personId: 'mentee', post: 'teacher', teacherStage: 'novice', title: 'second', kindergartenId: 'k1', groupId: 'g1', townId: 't1', subjectArea: null,
};
const candidate = (over: Partial<MentorCandidate>): MentorCandidate => ({
  personId: 'c', fullName: '张老师', kindergartenName: 'K', post: 'teacher', teacherStage: 'backbone', title: 'first', kindergartenId: 'k9',
  groupId: null, townId: null, subjectArea: null, honours: [], openMentees: 3, maxMentees: 3, pastExcellent: 0, pastPass: 0, pastFail: 0, ...over,
});

describe('matching score', () => {
  it('explains every point, in the reader\'s language', () => {
    const scored = scoreCandidate(mentee, candidate({ title: 'senior', kindergartenId: 'k1', openMentees: 1, pastExcellent: 2, honours: ['district_backbone'] }), 'zh-CN');
    expect(scored.reasons.map((r) => [r.factor, r.points])).toEqual([
      ['title_gap', 20], ['honour', 10], ['stage_gap', 20], ['same_post', 10], ['proximity', 15], ['free_capacity', 6], ['past_results', 10],
    ]);
    expect(scored.score).toBe(91);
    expect(scored.reasons.find((r) => r.factor === 'title_gap')!.text).toBe('职称高级，比徒弟高 2 级');
    expect(scored.reasons.find((r) => r.factor === 'proximity')!.text).toBe('同一所幼儿园');
    const english = scoreCandidate(mentee, candidate({ groupId: 'g1' }), 'en');
    expect(english.reasons.find((r) => r.factor === 'proximity')!.text).toBe('Same kindergarten group');
  });

  it('prefers the nearest place only once, skips an unrecorded subject, and counts poor results down', () => {
    const town = scoreCandidate(mentee, candidate({ townId: 't1' }), 'en');
    expect(town.reasons.filter((r) => r.factor === 'proximity')).toEqual([{ factor: 'proximity', points: 5, text: 'Same town or zone, nearby' }]);
    expect(town.reasons.some((r) => r.factor === 'same_subject')).toBe(false);
    const subject = scoreCandidate({ ...mentee, subjectArea: 'music' }, candidate({ subjectArea: 'music' }), 'en');
    expect(subject.reasons.some((r) => r.factor === 'same_subject')).toBe(true);
    expect(scoreCandidate(mentee, candidate({ pastFail: 1 }), 'en').reasons.find((r) => r.factor === 'past_results')!.points).toBe(-5);
  });

  it('ranks best first, ties by name, and puts principals without a teacher stage at the top stage', () => {
    expect(stageRank({ post: 'principal', teacherStage: null })).toBe(3);
    expect(stageRank({ post: 'caregiver', teacherStage: null })).toBe(0);
    const ranked = rankCandidates(mentee, [
      candidate({ personId: 'b', fullName: '乙' }), candidate({ personId: 'a', fullName: '甲' }), candidate({ personId: 'top', fullName: '丙', kindergartenId: 'k1' }),
    ], 'zh-CN', 2);
    expect(ranked.map((r) => r.candidate.personId)).toEqual(['top', 'a']);
  });
});
