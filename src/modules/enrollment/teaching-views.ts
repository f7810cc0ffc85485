import { shanghaiDateTime } from '../../common/dates.js';
import type { FieldProblem } from '../../common/errors.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from './enrollment.entities.js';
import { isPartial, defaultPartialHours } from './attendance-rules.js';
import type { AttendanceSheet, MeetingView, SheetRow } from './attendance.service.js';

/** '2026-11-23 09:00–11:30' */
export function meetingWhen(m: { startsAt: Date; endsAt: Date }): string {
  const start = shanghaiDateTime(m.startsAt);
  const end = shanghaiDateTime(m.endsAt);
  return `${start}–${end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end}`;
}

/** Bootstrap colour of each mark's button. */
const STATUS_COLOURS: Record<AttendanceStatus, string> = {
  present: 'success', late: 'warning', left_early: 'info', absent: 'danger', excused: 'secondary',
};

export function meetingRow(m: MeetingView, now: Date) {
  return { ...m, when: meetingWhen(m), past: m.endsAt < now, live: m.startsAt.getTime() - 30 * 60_000 <= now.getTime() && now <= m.endsAt };
}

export interface RowState {
  error?: string | null;
  saved?: boolean;
  /** What the trainer had chosen when the save was refused, shown again instead of the stored mark. */
  status?: AttendanceStatus | null;
  hoursText?: string;
}

/** One learner's line on the sheet: the five buttons, hours when the mark is partial, who marked it. */
export function sheetRow(row: SheetRow, meeting: MeetingView, state: RowState = {}) {
  const status = state.status !== undefined ? state.status : row.status;
  return {
    ...row,
    status,
    statuses: ATTENDANCE_STATUSES.map((value) => ({ value, colour: STATUS_COLOURS[value], checked: value === status })),
    partial: status !== null && isPartial(status),
    hoursText: state.hoursText ?? (row.hours === null ? '' : row.hours.toFixed(1)),
    defaultHours: defaultPartialHours(meeting.hours).toFixed(1),
    checkedIn: row.source === 'check_in',
    markedAt: row.markedAt ? shanghaiDateTime(row.markedAt).slice(11) : '',
    error: state.error ?? null,
    saved: state.saved ?? false,
  };
}

export function sheetView(sheet: AttendanceSheet, locale: Locale, rowStates: Map<string, RowState> = new Map()) {
  const rows = sheet.learners.map((l) => sheetRow(l, sheet.meeting, rowStates.get(l.enrollmentId)));
  const count = (status: AttendanceStatus) => sheet.learners.filter((l) => l.status === status).length;
  return {
    title: translate(locale, 'attendance.sheet.title'),
    meeting: { ...sheet.meeting, when: meetingWhen(sheet.meeting) },
    offering: sheet.offering,
    rows,
    formError: false,
    totals: {
      learners: sheet.learners.length,
      unmarked: sheet.learners.filter((l) => l.status === null).length,
      byStatus: ATTENDANCE_STATUSES.map((value) => ({ value, count: count(value), colour: STATUS_COLOURS[value] })),
    },
  };
}

/** A form's marks: `status[<enrollmentId>]` and `hours[<enrollmentId>]`, as the API's records (blank hours are none). */
export function formRecords(body: Record<string, unknown>, only?: string): Array<{ enrollmentId: string; status: unknown; hours?: unknown }> {
  const statuses = (body.status && typeof body.status === 'object' ? body.status : {}) as Record<string, unknown>;
  const hours = (body.hours && typeof body.hours === 'object' ? body.hours : {}) as Record<string, unknown>;
  return Object.entries(statuses)
    .filter(([id]) => !only || id === only)
    .map(([enrollmentId, status]) => {
      const given = typeof hours[enrollmentId] === 'string' ? (hours[enrollmentId] as string).trim() : '';
      const partial = typeof status === 'string' && isPartial(status as AttendanceStatus);
      return { enrollmentId, status, ...(partial && given !== '' ? { hours: Number(given) } : {}) };
    });
}

/** Field errors of a sheet save, per learner: `records[i].hours` is reported on that learner's line. */
export function rowErrors(
  error: unknown, records: Array<{ enrollmentId: string; status: unknown; hours?: unknown }>, locale: Locale,
): Map<string, RowState> | null {
  if (!(error instanceof ValidationFailed)) return null;
  const states = new Map<string, RowState>();
  for (const record of records) {
    const status = (ATTENDANCE_STATUSES as readonly unknown[]).includes(record.status) ? (record.status as AttendanceStatus) : undefined;
    states.set(record.enrollmentId, { status, hoursText: record.hours === undefined ? undefined : String(record.hours) });
  }
  for (const problem of error.problems as FieldProblem[]) {
    const index = /^records\[(\d+)\]/.exec(problem.field)?.[1];
    const record = index === undefined ? undefined : records[Number(index)];
    if (record) states.set(record.enrollmentId, { ...states.get(record.enrollmentId), error: translate(locale, `attendance.problem.${problem.code}`) });
  }
  return states;
}

/** The learner-facing message of a check-in error, in their language. */
export function checkInMessage(error: unknown, locale: Locale): string | null {
  if (!(error instanceof DomainError)) return null;
  if (error instanceof ValidationFailed) return translate(locale, 'attendance.checkIn.badCode');
  const key = `errors.${error.code}`;
  const text = translate(locale, key);
  return text === key ? error.message : text;
}
