import type { FieldProblem } from '../../common/errors.js';
import { ATTENDANCE_STATUSES, type AttendanceStatus, type EnrollmentStatus } from './enrollment.entities.js';

/** Enrolments that belong on a roster: the current learners, and those whose run is over (history). */
export const LEARNER_STATUSES: readonly EnrollmentStatus[] = ['enrolled', 'completed', 'no_show'];

/** Self check-in opens this long before a meeting starts and closes when it ends. */
export const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;
/** A check-in later than this after the start counts as late. */
export const LATE_AFTER_MS = 10 * 60_000;

const PARTIAL: readonly AttendanceStatus[] = ['late', 'left_early'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RECORD_FIELDS = new Set(['enrollmentId', 'status', 'hours']);

export interface MeetingTimes {
  startsAt: Date;
  endsAt: Date;
  hours: number;
}

export function isPartial(status: AttendanceStatus): boolean {
  return PARTIAL.includes(status);
}

/** Half of the meeting, to the tenth of an hour the schedule keeps. */
export function defaultPartialHours(meetingHours: number): number {
  return Math.max(0.1, Math.round(meetingHours * 5) / 10);
}

/** The hours a mark credits: the whole meeting, part of it (given or half), or none. */
export function creditedHours(status: AttendanceStatus, meetingHours: number, given?: number | null): number {
  if (status === 'present') return meetingHours;
  if (isPartial(status)) return given ?? defaultPartialHours(meetingHours);
  return 0;
}

/** Why `given` hours cannot go with this mark, or null when they can. */
export function hoursProblem(status: AttendanceStatus, meetingHours: number, given: unknown): { code: string; message: string } | null {
  if (given === undefined || given === null) return null;
  if (!isPartial(status)) return { code: 'not_allowed', message: 'hours are given only for late or left_early' };
  if (typeof given !== 'number' || !Number.isFinite(given)) return { code: 'isNumber', message: 'hours must be a number' };
  if (given <= 0 || given >= meetingHours) return { code: 'out_of_range', message: `hours must be more than 0 and less than the meeting's ${meetingHours}` };
  if (Math.abs(Math.round(given * 10) - given * 10) > 1e-9) return { code: 'precision', message: 'hours are kept to one decimal' };
  return null;
}

export interface AttendanceInput {
  enrollmentId: string;
  status: AttendanceStatus;
  hours?: number;
}

/** Checks the shape of each record, naming problems `records[i].field`; meeting-dependent checks come later. */
export function parseRecords(raw: unknown[]): { records: Array<AttendanceInput & { index: number }>; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const records: Array<AttendanceInput & { index: number }> = [];
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const at = (field: string) => `records[${i}].${field}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problems.push({ field: `records[${i}]`, code: 'isObject', message: `records[${i}] must be an object` });
      return;
    }
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!RECORD_FIELDS.has(key)) problems.push({ field: at(key), code: 'unknown_field', message: `${at(key)} is not an allowed field` });
    }
    const { enrollmentId, status, hours } = record;
    let ok = true;
    if (typeof enrollmentId !== 'string' || !UUID.test(enrollmentId)) {
      problems.push({ field: at('enrollmentId'), code: 'isUuid', message: `${at('enrollmentId')} must be an enrolment id` });
      ok = false;
    } else if (seen.has(enrollmentId.toLowerCase())) {
      problems.push({ field: at('enrollmentId'), code: 'duplicate', message: `${at('enrollmentId')} is given twice` });
      ok = false;
    } else {
      seen.add(enrollmentId.toLowerCase());
    }
    if (typeof status !== 'string' || !(ATTENDANCE_STATUSES as readonly string[]).includes(status)) {
      problems.push({ field: at('status'), code: 'isIn', message: `${at('status')} must be one of ${ATTENDANCE_STATUSES.join(', ')}` });
      ok = false;
    }
    if (hours !== undefined && hours !== null && (typeof hours !== 'number' || !Number.isFinite(hours))) {
      problems.push({ field: at('hours'), code: 'isNumber', message: `${at('hours')} must be a number` });
      ok = false;
    }
    if (ok) records.push({ index: i, enrollmentId: (enrollmentId as string).toLowerCase(), status: status as AttendanceStatus, ...(typeof hours === 'number' ? { hours } : {}) });
  });
  return { records, problems };
}

export function checkInOpensAt(meeting: MeetingTimes): Date {
  return new Date(meeting.startsAt.getTime() - CHECK_IN_OPENS_BEFORE_MS);
}

export function isCheckInOpen(meeting: MeetingTimes, now: Date): boolean {
  return now >= checkInOpensAt(meeting) && now <= meeting.endsAt;
}

/** What a self check-in at `now` records. */
export function checkInStatus(meeting: MeetingTimes, now: Date): AttendanceStatus {
  return now.getTime() > meeting.startsAt.getTime() + LATE_AFTER_MS ? 'late' : 'present';
}

export interface AttendanceSummary {
  hoursAttended: number;
  hoursScheduled: number;
  /** Attended over scheduled, 0..1, four decimals; 0 when nothing is scheduled. */
  share: number;
  meetsMinimum: boolean;
}

export function summarise(hoursAttended: number, hoursScheduled: number, minimumShare: number): AttendanceSummary {
  const attended = Math.round(hoursAttended * 10) / 10;
  const scheduled = Math.round(hoursScheduled * 10) / 10;
  const share = scheduled > 0 ? Math.min(1, Math.round((attended / scheduled) * 10_000) / 10_000) : 0;
  return { hoursAttended: attended, hoursScheduled: scheduled, share, meetsMinimum: share >= minimumShare };
}
