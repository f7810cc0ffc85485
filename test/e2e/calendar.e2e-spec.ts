import { startTestApp, type TestApp } from '../support/test-app.js';
import { catalogFixtures, type CatalogFixtures } from '../support/catalog-fixtures.js';
import { JobHandlerRegistry } from '../../src/queue/job-queue.js';
import { addDays, shanghaiDate } from '../../src/common/dates.js';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
/** An instant given as Shanghai wall-clock time. */
const shanghai = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`);
/** The property lines of an iCalendar text, long lines unfolded. */
const lines = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');
const events = (ics: string) => lines(ics).filter((l) => l === 'BEGIN:VEVENT').length;
/** The values of one property in the events (the time zone block has a DTSTART of its own). */
const values = (ics: string, name: string) => {
  const all = lines(ics);
  return all.slice(all.indexOf('BEGIN:VEVENT')).filter((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
};

describe('calendars and day-before reminders', () => {
  let t: TestApp;
  let fx: CatalogFixtures;
  let offeringId: string;
  let meetings: string[];
  const tomorrow = shanghaiDate(addDays(new Date(), 1));
  const dayAfter = shanghaiDate(addDays(new Date(), 2));

  beforeAll(async () => {
    t = await startTestApp();
    fx = catalogFixtures(t.db.pool);
    offeringId = await fx.createOffering(await fx.createCourse({ title: '幼小衔接的家园共育' }), { trainers: ['trainer'] });
    meetings = [
      await fx.addMeeting(offeringId, { startsAt: shanghai(tomorrow, '09:00'), endsAt: shanghai(tomorrow, '11:30'), hours: 2.5, title: '第一讲', place: '青浦区教师进修学院 302 室' }),
      await fx.addMeeting(offeringId, { startsAt: shanghai(tomorrow, '23:30'), endsAt: shanghai(dayAfter, '00:30'), hours: 1, place: null, onlineUrl: 'https://meeting.example.cn/j/123' }),
      await fx.addMeeting(offeringId, { startsAt: shanghai(dayAfter, '00:30'), endsAt: shanghai(dayAfter, '02:00'), hours: 1.5 }),
    ];
    for (const username of ['t00020', 't00021', 't00022']) await fx.enrolUser(offeringId, username);
    await fx.enrolUser(offeringId, 't00023', 'waitlisted');
  });
  afterAll(() => t?.close());

  it('serves an offering\'s meetings as iCalendar in Shanghai time with the meeting ids as UIDs', async () => {
    const res = await t.http().get(`/api/offerings/${offeringId}/calendar.ics`).set(auth(await t.token('trainer'))).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar; charset=utf-8/);
    const ics = res.text;
    expect(lines(ics)[0]).toBe('BEGIN:VCALENDAR');
    expect(events(ics)).toBe(3);
    expect(values(ics, 'UID')).toEqual(meetings.map((id) => `UID:${id}`));
    const compact = (date: string) => date.replaceAll('-', '');
    expect(values(ics, 'DTSTART')).toEqual([
      `DTSTART;TZID=Asia/Shanghai:${compact(tomorrow)}T090000`,
      `DTSTART;TZID=Asia/Shanghai:${compact(tomorrow)}T233000`,
      `DTSTART;TZID=Asia/Shanghai:${compact(dayAfter)}T003000`,
    ]);
    expect(values(ics, 'DTEND')[0]).toBe(`DTEND;TZID=Asia/Shanghai:${compact(tomorrow)}T113000`);
    expect(lines(ics)).toContain('TZID:Asia/Shanghai');
    expect(values(ics, 'SUMMARY')[0]).toBe('SUMMARY:幼小衔接的家园共育: 第一讲');
    expect(values(ics, 'LOCATION')).toEqual(['LOCATION:青浦区教师进修学院 302 室', 'LOCATION:https://meeting.example.cn/j/123', 'LOCATION:青浦区教师进修学院 302 室']);
    expect(values(ics, 'DTSTAMP').every((l) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(l))).toBe(true);
    const again = await t.http().get(`/api/offerings/${offeringId}/calendar.ics`).set(auth(await t.token('t00020'))).expect(200);
    expect(values(again.text, 'UID')).toEqual(values(ics, 'UID'));
  });

  it('puts every meeting of the caller\'s enrolled offerings in their own calendar', async () => {
    const other = await fx.createOffering(await fx.createCourse({ title: '保育员技能提升' }));
    await fx.addMeeting(other, { startsAt: shanghai(dayAfter, '14:00'), hours: 2 });
    await fx.enrolUser(other, 't00020');
    const cancelled = await fx.createOffering(await fx.createCourse(), { status: 'cancelled' });
    await fx.addMeeting(cancelled, { startsAt: shanghai(dayAfter, '15:00'), hours: 2 });
    await fx.enrolUser(cancelled, 't00020');

    const mine = await t.http().get('/api/me/calendar.ics').set(auth(await t.token('t00020'))).expect(200);
    expect(mine.headers['content-type']).toMatch(/^text\/calendar/);
    expect(events(mine.text)).toBe(4);
    expect(values(mine.text, 'SUMMARY').at(-1)).toBe('SUMMARY:保育员技能提升');
    const waiting = await t.http().get('/api/me/calendar.ics').set(auth(await t.token('t00023'))).expect(200);
    expect(events(waiting.text)).toBe(0);
    expect(lines(waiting.text)).toContain('END:VCALENDAR');
  });

  it('shows an offering\'s calendar only to those who may see the offering', async () => {
    const draft = await fx.createOffering(await fx.createCourse(), { status: 'draft' });
    await t.http().get(`/api/offerings/${draft}/calendar.ics`).set(auth(await t.token('t00030'))).expect(404);
    await t.http().get(`/api/offerings/${draft}/calendar.ics`).set(auth(await t.token('district_admin'))).expect(200);
    const kindergartenOwn = await fx.createOffering(await fx.createCourse({ ownerCode: 'SH-QP-K001' }));
    await t.http().get(`/api/offerings/${kindergartenOwn}/calendar.ics`).set(auth(await t.token('teacher'))).expect(200);
    const outsider = (await t.db.pool.query(
      `SELECT u.username FROM app_user u JOIN person p ON p.id = u.person_id JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE k.code <> 'SH-QP-K001' AND u.username LIKE 't0%' ORDER BY u.username LIMIT 1`)).rows[0].username;
    await t.http().get(`/api/offerings/${kindergartenOwn}/calendar.ics`).set(auth(await t.token(outsider))).expect(404);
    await t.http().get(`/api/offerings/${offeringId}/calendar.ics`).set(auth(await t.token(outsider))).expect(200);
    await t.http().get(`/api/offerings/${offeringId}/calendar.ics`).expect(401);
  });

  it('reminds each enrolled learner once of tomorrow\'s meetings, however often the job runs', async () => {
    const registry = t.app.get(JobHandlerRegistry);
    const reminders = () => t.db.pool.query(
      `SELECT n.dedupe_key, u.username, n.title FROM notification n JOIN app_user u ON u.id = n.user_id
        WHERE n.kind = 'meeting.reminder' AND n.dedupe_key LIKE ANY($1::text[]) ORDER BY n.dedupe_key`,
      [meetings.map((id) => `meeting-reminder:${id}:%`)]);
    await registry.run('meeting.remind', {});
    await registry.run('meeting.remind', {});
    const sent = (await reminders()).rows;
    // The two meetings starting tomorrow (Shanghai's day), three enrolled learners each; not the one after midnight, not the waitlisted.
    expect(sent).toHaveLength(6);
    expect(new Set(sent.map((r) => r.username))).toEqual(new Set(['t00020', 't00021', 't00022']));
    expect(sent.every((r) => r.dedupe_key.startsWith(`meeting-reminder:${meetings[0]}:`) || r.dedupe_key.startsWith(`meeting-reminder:${meetings[1]}:`))).toBe(true);
    expect(sent[0].title).toBe('明天上课：幼小衔接的家园共育');
    const reminded = (await t.db.pool.query(`SELECT id FROM meeting WHERE id = ANY($1::uuid[]) AND reminded_at IS NOT NULL`, [meetings])).rows.map((r) => r.id);
    expect(reminded.sort()).toEqual([meetings[0], meetings[1]].sort());

    // A retry after a crash between notifying and marking sends nothing twice.
    await t.db.pool.query(`UPDATE meeting SET reminded_at = NULL WHERE id = $1`, [meetings[0]]);
    await registry.run('meeting.remind', {});
    expect((await reminders()).rows).toHaveLength(6);
  });
});
