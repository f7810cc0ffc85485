import { shanghaiDate, shanghaiDateTime, shanghaiTime } from '../../common/dates.js';
import { DomainError, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import type { Filing, SeriesView, SessionView } from './lecture-reads.service.js';
import { parseSemester, type FilingState } from './lecture-rules.js';

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export const STATE_COLOURS: Record<FilingState, string> = {
  filed_on_time: 'success', filed_late: 'warning', not_filed_late: 'danger', not_due: 'secondary',
};

/** 2026年秋季学期 / Autumn 2026 */
export function semesterLabel(semester: string, locale: Locale): string {
  const parsed = parseSemester(semester);
  if (!parsed) return semester;
  return translate(locale, `lectures.semester.${parsed.term}`, { year: parsed.year });
}

/** 2026年10月 / Oct 2026 */
export function monthLabel(month: string, locale: Locale): string {
  const [year, m] = month.split('-').map(Number);
  return locale === 'en' ? `${MONTHS_EN[m - 1]} ${year}` : `${year}年${m}月`;
}

/** The deadline in words: due date and days left, or how long ago it passed. */
export function filingView(filing: Filing, locale: Locale) {
  const days = filing.daysLeft;
  const countdown = days > 0 ? translate(locale, 'lectures.deadline.daysLeft', { days })
    : days === 0 ? translate(locale, 'lectures.deadline.today') : translate(locale, 'lectures.deadline.passed', { days: -days });
  return {
    state: filing.state, colour: STATE_COLOURS[filing.state], dueOn: filing.dueOn, isDefault: filing.isDefaultDeadline, countdown,
    filedAt: filing.filedAt ? shanghaiDateTime(filing.filedAt) : null,
    changedAfterFilingAt: filing.changedAfterFilingAt ? shanghaiDateTime(filing.changedAfterFilingAt) : null,
  };
}

/** A session for the schedule page (`day`, not `date`: that name is a template helper). */
export function sessionView(session: SessionView, locale: Locale) {
  return {
    ...session, monthLabel: monthLabel(session.month, locale), day: shanghaiDate(session.startsAt),
    time: `${shanghaiTime(session.startsAt)}–${shanghaiTime(session.endsAt)}`, seatsTaken: session.seatsTaken ?? null,
    removable: session.seatsTaken === null || session.seatsTaken === 0 || session.offeringStatus === 'cancelled',
  };
}

/** The session form's fields as typed on the page (date and times apart), blank when new. */
export interface SessionFormValues {
  month: string;
  topic: string;
  speakerPersonId: string;
  date: string;
  startTime: string;
  endTime: string;
  place: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function sessionFormValues(body: Record<string, unknown>): SessionFormValues {
  return {
    month: text(body.month), topic: text(body.topic), speakerPersonId: text(body.speakerPersonId), date: text(body.date),
    startTime: text(body.startTime), endTime: text(body.endTime), place: text(body.place),
  };
}

export function sessionFormOf(session: SeriesView['sessions'][number]): SessionFormValues {
  return {
    month: session.month, topic: session.topic, speakerPersonId: session.speaker.personId, date: shanghaiDate(session.startsAt),
    startTime: shanghaiTime(session.startsAt), endTime: shanghaiTime(session.endsAt), place: session.place ?? '',
  };
}

/** The API's input from the page's fields: the date and times become Shanghai date-times; blanks are left out for the checks to name. */
export function sessionInput(values: SessionFormValues): { input: Record<string, string>; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.date)) problems.push({ field: 'date', code: 'isCalendarDate', message: 'date is required' });
  if (!/^\d{2}:\d{2}$/.test(values.startTime)) problems.push({ field: 'startTime', code: 'isTime', message: 'startTime is required' });
  if (!/^\d{2}:\d{2}$/.test(values.endTime)) problems.push({ field: 'endTime', code: 'isTime', message: 'endTime is required' });
  const input: Record<string, string> = {};
  if (values.month) input.month = values.month;
  if (values.topic) input.topic = values.topic;
  if (values.speakerPersonId) input.speakerPersonId = values.speakerPersonId;
  if (values.place) input.place = values.place;
  if (!problems.length) {
    input.startsAt = `${values.date}T${values.startTime}:00+08:00`;
    input.endsAt = `${values.date}T${values.endTime}:00+08:00`;
  }
  return { input, problems };
}

/** Where each API field's error shows on the page form. */
const PAGE_FIELD: Record<string, string> = { startsAt: 'date', endsAt: 'endTime' };

/** Field errors and a message for a failed form, or null when the error is not the user's to fix (404, 500). */
export function formErrors(error: unknown, locale: Locale): { message: string; fields: Record<string, string> } | null {
  if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) return null;
  if (!(error instanceof ValidationFailed)) {
    const key = `errors.${error.code}`;
    return { message: hasTranslation(locale, key) ? translate(locale, key, error.params) : error.message, fields: {} };
  }
  const fields: Record<string, string> = {};
  for (const problem of error.problems) {
    const field = PAGE_FIELD[problem.field] ?? problem.field;
    const key = `lectures.problem.${problem.code}`;
    fields[field] ??= hasTranslation(locale, key) ? translate(locale, key) : problem.message;
  }
  return { message: translate(locale, 'lectures.form.fix'), fields };
}
