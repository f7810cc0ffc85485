import { monthsBetween, standingOf } from './compliance-standing.js';

const base = { windowFrom: '2026-01-01', dueOn: '2030-12-31', met: false, endedShort: false, required: 3600 };

describe('standing', () => {
  it('is met when every rule is met, whatever the date', () => {
    expect(standingOf({ ...base, asOf: '2026-03-01', met: true, needed: 0 }).standing).toBe('met');
  });

  it('is on track when the share done keeps up with the share of the cycle elapsed, else behind', () => {
    // 2028-01-01 is 730 of 1826 days in: 40% elapsed.
    expect(standingOf({ ...base, asOf: '2028-01-01', needed: 2100 })).toMatchObject({ standing: 'on_track', monthsLeft: 36 });
    expect(standingOf({ ...base, asOf: '2028-01-01', needed: 2200 }).standing).toBe('behind');
  });

  it('is at risk with under 12 months left when more is needed than twice the scheme\'s pace yields in the time left', () => {
    // 2030-01-02: 364 of 1826 days left (19.9%): twice the pace yields 39.9% of 36 = 14.35. A day earlier 12 months were left.
    expect(standingOf({ ...base, asOf: '2030-01-01', needed: 1450 })).toMatchObject({ standing: 'behind', monthsLeft: 12 });
    expect(standingOf({ ...base, asOf: '2030-01-02', needed: 1400 })).toMatchObject({ standing: 'behind', monthsLeft: 11 });
    expect(standingOf({ ...base, asOf: '2030-01-02', needed: 1450 }).standing).toBe('at_risk');
    expect(standingOf({ ...base, asOf: '2029-06-01', needed: 3000 }).standing).toBe('behind');
    expect(standingOf({ ...base, asOf: '2031-02-01', needed: 50 })).toMatchObject({ standing: 'at_risk', monthsLeft: 0, elapsedShare: 1 });
  });

  it('is at risk once a period has ended short, and behind (never on pace) without a due date', () => {
    expect(standingOf({ ...base, asOf: '2026-11-22', needed: 100, endedShort: true }).standing).toBe('at_risk');
    expect(standingOf({ ...base, asOf: '2026-11-22', dueOn: null, needed: 100 })).toMatchObject({ standing: 'behind', monthsLeft: null });
  });

  it('counts whole months', () => {
    expect(monthsBetween('2026-11-22', '2027-11-22')).toBe(12);
    expect(monthsBetween('2026-11-22', '2027-11-21')).toBe(11);
    expect(monthsBetween('2026-11-22', '2026-11-01')).toBe(0);
  });
});
