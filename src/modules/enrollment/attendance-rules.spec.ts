import { checkInStatus, creditedHours, defaultPartialHours, hoursProblem, isCheckInOpen, parseRecords, summarise } from './attendance-rules.js';

const meeting = { startsAt: new Date('2026-11-23T01:00:00Z'), endsAt: new Date('2026-11-23T04:00:00Z'), hours: 3 };
const minutes = (n: number) => new Date(meeting.startsAt.getTime() + n * 60_000);
const ID = '0f8c2a8e-4a51-4c36-9d1e-3f5b8f2b9c10';

describe('attendance rules', () => {
  it('credits the whole meeting when present, part of it when late or left early, nothing when absent or excused', () => {
    expect(creditedHours('present', 3)).toBe(3);
    expect(creditedHours('late', 3)).toBe(1.5);
    expect(creditedHours('left_early', 3, 2.5)).toBe(2.5);
    expect(creditedHours('absent', 3)).toBe(0);
    expect(creditedHours('excused', 3)).toBe(0);
    expect(defaultPartialHours(2.5)).toBe(1.3);
    expect(defaultPartialHours(0.1)).toBe(0.1);
  });

  it('takes given hours only for partial marks, strictly between 0 and the meeting, to a tenth', () => {
    expect(hoursProblem('late', 3, 2.9)).toBeNull();
    expect(hoursProblem('late', 3, undefined)).toBeNull();
    expect(hoursProblem('late', 3, 3)?.code).toBe('out_of_range');
    expect(hoursProblem('left_early', 3, 0)?.code).toBe('out_of_range');
    expect(hoursProblem('late', 3, 1.25)?.code).toBe('precision');
    expect(hoursProblem('present', 3, 3)?.code).toBe('not_allowed');
  });

  it('opens check-in 30 minutes before the start until the end, and counts it late after 10 minutes', () => {
    expect(isCheckInOpen(meeting, minutes(-31))).toBe(false);
    expect(isCheckInOpen(meeting, minutes(-30))).toBe(true);
    expect(isCheckInOpen(meeting, minutes(180))).toBe(true);
    expect(isCheckInOpen(meeting, minutes(181))).toBe(false);
    expect(checkInStatus(meeting, minutes(-20))).toBe('present');
    expect(checkInStatus(meeting, minutes(10))).toBe('present');
    expect(checkInStatus(meeting, minutes(11))).toBe('late');
  });

  it('names every problem of every record by its index', () => {
    const { records, problems } = parseRecords([
      { enrollmentId: ID, status: 'present' },
      { enrollmentId: ID.toUpperCase(), status: 'late' },
      { enrollmentId: 'x', status: 'gone', hours: '2', extra: 1 },
      null,
    ]);
    expect(records).toEqual([{ index: 0, enrollmentId: ID, status: 'present' }]);
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      'records[1].enrollmentId:duplicate',
      'records[2].extra:unknown_field', 'records[2].enrollmentId:isUuid', 'records[2].status:isIn', 'records[2].hours:isNumber',
      'records[3]:isObject',
    ]);
  });

  it('summarises hours as a share of the schedule against the minimum', () => {
    expect(summarise(5, 6, 0.75)).toEqual({ hoursAttended: 5, hoursScheduled: 6, share: 0.8333, meetsMinimum: true });
    expect(summarise(4.5, 6, 0.75)).toEqual({ hoursAttended: 4.5, hoursScheduled: 6, share: 0.75, meetsMinimum: true });
    expect(summarise(0, 0, 0)).toEqual({ hoursAttended: 0, hoursScheduled: 0, share: 0, meetsMinimum: true });
  });
});
