import { meetingProblems, offeringProblems } from './offering-rules.js';
import { defaultMeetingHours } from './catalog-time.js';
import { fromShanghaiInput, shanghaiDate, shanghaiDateTime } from '../../common/dates.js';
import { districtPathOf, ownerPathsReaching } from './catalog-rules.js';

const at = (text: string) => new Date(text);

describe('offering rules', () => {
  const good = {
    capacity: 30, kindergartenQuota: 3, enrolOpensAt: at('2026-11-01T00:00:00+08:00'), enrolClosesAt: at('2026-12-01T00:00:00+08:00'),
    withdrawDeadline: at('2026-12-05T00:00:00+08:00'), waitlistMode: 'auto' as const, offerExpiryHours: null,
  };

  it('accepts a window that runs forward and names each field that breaks a rule', () => {
    expect(offeringProblems(good)).toEqual([]);
    expect(offeringProblems({ ...good, enrolClosesAt: good.enrolOpensAt, withdrawDeadline: at('2026-10-01T00:00:00+08:00'), waitlistMode: 'offer', kindergartenQuota: 31 })
      .map((p) => p.field)).toEqual(['enrolClosesAt', 'withdrawDeadline', 'offerExpiryHours', 'kindergartenQuota']);
  });

  it('refuses meetings that end first, happen nowhere, or count more hours than they last', () => {
    const meeting = { startsAt: at('2026-12-03T13:30:00+08:00'), endsAt: at('2026-12-03T16:30:00+08:00'), place: '报告厅', onlineUrl: null, hours: 3 };
    expect(meetingProblems(meeting, true)).toEqual([]);
    expect(meetingProblems({ ...meeting, endsAt: meeting.startsAt }, true).map((p) => p.code)).toEqual(['ENDS_BEFORE_START']);
    expect(meetingProblems({ ...meeting, hours: 3.5 }, true).map((p) => p.code)).toEqual(['HOURS_EXCEED_DURATION']);
    expect(meetingProblems({ ...meeting, hours: 3.5 }, false)).toEqual([]);
    expect(meetingProblems({ ...meeting, place: null }, true).map((p) => p.field)).toEqual(['place']);
  });
});

describe('catalog times and paths', () => {
  it('reads and shows times in Shanghai', () => {
    expect(fromShanghaiInput('2026-12-03T13:30')).toBe('2026-12-03T13:30:00+08:00');
    expect(shanghaiDateTime(new Date('2026-12-03T05:30:00Z'))).toBe('2026-12-03 13:30');
    expect(shanghaiDate(new Date('2026-11-21T17:00:00Z'))).toBe('2026-11-22');
    expect(defaultMeetingHours(at('2026-12-03T13:30:00+08:00'), at('2026-12-03T16:15:00+08:00'))).toBe(3);
    expect(defaultMeetingHours(at('2026-12-03T13:30:00+08:00'), at('2026-12-03T13:40:00+08:00'))).toBe(0.5);
  });

  it('finds the district of a path and every owner above a place', () => {
    expect(districtPathOf('/c/d/t/k/')).toBe('/c/d/');
    expect(districtPathOf('/c/')).toBeNull();
    expect(ownerPathsReaching(['/c/d/t/k/', '/c/d/'])).toEqual(['/c/', '/c/d/', '/c/d/t/', '/c/d/t/k/']);
  });
});
