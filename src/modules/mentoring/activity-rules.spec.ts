import { actorProblem, confirmRefusal, futureDateProblem, isSameLog, sideOf, withinPeriod } from './activity-rules.js';

describe('activity rules', () => {
  const parties = { menteePersonId: 'mentee', mentorPersonIds: ['lead', 'subject'] };

  it('knows each side of the pairing', () => {
    expect([sideOf('mentee', parties), sideOf('subject', parties), sideOf('someone', parties)]).toEqual(['mentee', 'mentor', null]);
  });

  it('names the actor field when the actor is outside the pairing or on the wrong side', () => {
    expect(actorProblem('observation', 'someone', parties)?.code).toBe('ACTOR_NOT_IN_PAIRING');
    expect(actorProblem('demonstration', 'mentee', parties)?.code).toBe('ACTOR_MUST_BE_MENTOR');
    expect(actorProblem('open_lesson', 'lead', parties)?.code).toBe('ACTOR_MUST_BE_MENTEE');
    expect(actorProblem('open_lesson', 'mentee', parties)).toBeNull();
    expect(actorProblem('observation', 'subject', parties)).toBeNull();
    expect(actorProblem('demonstration', 'subject', parties)?.field ?? null).toBeNull();
  });

  it('refuses future dates and keeps to the pairing period, both ends included', () => {
    expect(futureDateProblem('2026-11-26', '2026-11-25')?.code).toBe('DATE_IN_FUTURE');
    expect(futureDateProblem('2026-11-25', '2026-11-25')).toBeNull();
    expect([withinPeriod('2026-09-01', '2026-09-01', '2027-08-31'), withinPeriod('2027-08-31', '2026-09-01', '2027-08-31')]).toEqual([true, true]);
    expect(withinPeriod('2026-08-31', '2026-09-01', '2027-08-31')).toBe(false);
  });

  it('lets only the other side confirm', () => {
    expect(confirmRefusal('mentee', 'mentee', parties)).toBe('CANNOT_CONFIRM_OWN_LOG');
    expect(confirmRefusal('mentee', 'lead', parties)).toBeNull();
    expect(confirmRefusal('lead', 'mentee', parties)).toBeNull();
    expect(confirmRefusal('lead', 'subject', parties)).toBe('CONFIRM_BY_OTHER_SIDE');
    expect(confirmRefusal('mentee', 'someone', parties)).toBe('CONFIRM_BY_OTHER_SIDE');
  });

  it('treats the same log by the same person shortly after as a repeat', () => {
    const log = { kind: 'observation', actorPersonId: 'mentee', occurredOn: '2026-11-20', durationMinutes: 40, notes: null, loggedByPersonId: 'mentee' };
    const made = new Date('2026-11-25T08:00:00Z');
    expect(isSameLog({ ...log, createdAt: made }, log, new Date('2026-11-25T08:05:00Z'))).toBe(true);
    expect(isSameLog({ ...log, createdAt: made }, log, new Date('2026-11-25T08:11:00Z'))).toBe(false);
    expect(isSameLog({ ...log, createdAt: made }, { ...log, durationMinutes: 45 }, new Date('2026-11-25T08:01:00Z'))).toBe(false);
    expect(isSameLog({ ...log, createdAt: made }, { ...log, loggedByPersonId: 'lead' }, new Date('2026-11-25T08:01:00Z'))).toBe(false);
  });
});
