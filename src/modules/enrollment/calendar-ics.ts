import ical from 'ical-generator';

export const CALENDAR_TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3_600_000;

/**
 * Shanghai has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact. The zone
 * is written out once in the file so every client reads DTSTART;TZID=Asia/Shanghai the same way.
 */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE', `TZID:${CALENDAR_TIME_ZONE}`, `X-LIC-LOCATION:${CALENDAR_TIME_ZONE}`,
  'BEGIN:STANDARD', 'TZOFFSETFROM:+0800', 'TZOFFSETTO:+0800', 'TZNAME:CST', 'DTSTART:19700101T000000', 'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

/**
 * An instant that reads as Shanghai wall-clock time. ical-generator formats zoned dates through
 * the date's own local getters (the protocol of zoned Date classes), so these answer in UTC+8.
 */
class ShanghaiTime extends Date {
  get internal(): Date {
    return new Date(this.getTime());
  }
  get timeZone(): string {
    return CALENDAR_TIME_ZONE;
  }
  withTimeZone(): ShanghaiTime {
    return this;
  }
  tzComponents(): number[] {
    return [];
  }
  private wall(): Date {
    return new Date(this.getTime() + OFFSET_MS);
  }
  override getFullYear() { return this.wall().getUTCFullYear(); }
  override getMonth() { return this.wall().getUTCMonth(); }
  override getDate() { return this.wall().getUTCDate(); }
  override getHours() { return this.wall().getUTCHours(); }
  override getMinutes() { return this.wall().getUTCMinutes(); }
  override getSeconds() { return this.wall().getUTCSeconds(); }
}

export interface CalendarEntry {
  /** The meeting id: the event's UID, stable across downloads so clients update rather than duplicate. */
  id: string;
  summary: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  onlineUrl: string | null;
  /** The meeting's page in the app, when known. */
  url: string | null;
  stamp: Date;
}

/** A calendar file (text/calendar) with one event per meeting. */
export function meetingsCalendar(name: string, entries: CalendarEntry[]): string {
  const calendar = ical({ name, prodId: { company: 'teacher-growth', product: 'meetings', language: 'ZH' } });
  calendar.x('X-WR-TIMEZONE', CALENDAR_TIME_ZONE);
  for (const entry of entries) {
    const links = [entry.onlineUrl, entry.url].filter((l): l is string => !!l);
    calendar.createEvent({
      id: entry.id,
      stamp: entry.stamp,
      timezone: CALENDAR_TIME_ZONE,
      start: new ShanghaiTime(entry.startsAt.getTime()),
      end: new ShanghaiTime(entry.endsAt.getTime()),
      summary: entry.summary,
      description: [entry.description, ...links].filter(Boolean).join('\n'),
      location: entry.place ?? entry.onlineUrl ?? null,
      url: entry.onlineUrl ?? entry.url ?? null,
    });
  }
  // The calendar itself carries no zone (so DTSTAMP stays in UTC, as RFC 5545 asks); the zone its events use goes before them.
  const text = calendar.toString();
  const at = text.indexOf('BEGIN:VEVENT');
  return at < 0 ? text : `${text.slice(0, at)}${VTIMEZONE}\r\n${text.slice(at)}`;
}
