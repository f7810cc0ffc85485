import { termProgress, type CountedActivity } from './progress.js';

describe('term progress', () => {
  const targets = { mentorDemonstrations: 1, menteeOpenLessons: 1, observationsEachWay: 2, lessonPlans: 3 };
  const of = (kind: CountedActivity['kind'], actorSide: CountedActivity['actorSide'], n = 1) => Array.from({ length: n }, () => ({ kind, actorSide }));
  const byKey = (activities: CountedActivity[]) => Object.fromEntries(termProgress('2026-2027-1', targets, activities).items.map((i) => [i.key, [i.done, i.target, i.met, i.missing]]));

  it('starts with everything missing', () => {
    const progress = termProgress('2026-2027-1', targets, []);
    expect(progress.allMet).toBe(false);
    expect(byKey([])).toEqual({
      mentorDemonstrations: [0, 1, false, 1], menteeOpenLessons: [0, 1, false, 1],
      menteeObservations: [0, 2, false, 2], mentorObservations: [0, 2, false, 2], lessonPlans: [0, 3, false, 3],
    });
  });

  it('counts observations for the side that observed and lessons only for the side that gives them', () => {
    const counted = byKey([...of('observation', 'mentee', 3), ...of('observation', 'mentor'), ...of('demonstration', 'mentee'), ...of('open_lesson', 'mentee'),
      ...of('critique', 'mentor', 4), ...of('research', 'mentee')]);
    expect(counted.menteeObservations).toEqual([3, 2, true, 0]);
    expect(counted.mentorObservations).toEqual([1, 2, false, 1]);
    expect(counted.mentorDemonstrations).toEqual([0, 1, false, 1]);
    expect(counted.menteeOpenLessons).toEqual([1, 1, true, 0]);
  });

  it('counts lesson plans of either side and is met once every target is', () => {
    const all = [...of('demonstration', 'mentor'), ...of('open_lesson', 'mentee'), ...of('observation', 'mentee', 2), ...of('observation', 'mentor', 2),
      ...of('joint_planning', 'mentee', 2), ...of('joint_planning', 'mentor')];
    expect(termProgress('2026-2027-1', targets, all).allMet).toBe(true);
    expect(termProgress('2026-2027-1', targets, all.slice(1)).allMet).toBe(false);
  });
});
