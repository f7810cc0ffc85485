import { meetingsCalendar } from './calendar-ics.js';

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');

describe('meetingsCalendar', () => {
  const entry = {
    id: '0f8c2a8e-4a51-4c36-9d1e-3f5b8f2b9c10',
    summary: '幼小衔接的家园共育：第一讲，家长会的组织与沟通技巧（含案例分析与现场演练）',
    description: '第 1/3 次课，2.5 学时',
    startsAt: new Date('2026-11-23T01:00:00Z'),
    endsAt: new Date('2026-11-23T03:30:00Z'),
    place: '青浦区教师进修学院 302 室',
    onlineUrl: 'https://meeting.example.cn/j/123',
    url: null,
    stamp: new Date('2026-11-22T08:00:00Z'),
  };

  it('writes Shanghai wall-clock times with the zone defined once, a UTC stamp, and the meeting id as UID', () => {
    const ics = meetingsCalendar('我的培训课程', [entry]);
    const lines = unfold(ics);
    expect(lines).toEqual(expect.arrayContaining([
      'BEGIN:VTIMEZONE', 'TZID:Asia/Shanghai', 'TZOFFSETTO:+0800',
      `UID:${entry.id}`, 'DTSTART;TZID=Asia/Shanghai:20261123T090000', 'DTEND;TZID=Asia/Shanghai:20261123T113000',
      'DTSTAMP:20261122T080000Z', 'LOCATION:青浦区教师进修学院 302 室', 'URL;VALUE=URI:https://meeting.example.cn/j/123',
    ]));
    expect(lines.indexOf('END:VTIMEZONE')).toBeLessThan(lines.indexOf('BEGIN:VEVENT'));
    expect(lines.find((l) => l.startsWith('SUMMARY:'))).toBe(`SUMMARY:${entry.summary}`);
    expect(lines.find((l) => l.startsWith('DESCRIPTION:'))).toBe('DESCRIPTION:第 1/3 次课，2.5 学时\\nhttps://meeting.example.cn/j/123');
  });

  it('folds long lines to 75 octets, as RFC 5545 asks', () => {
    const ics = meetingsCalendar('x', [entry]);
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });

  it('is an empty but valid calendar without meetings', () => {
    const lines = unfold(meetingsCalendar('x', []));
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('END:VCALENDAR');
    expect(lines).not.toContain('BEGIN:VEVENT');
  });
});
