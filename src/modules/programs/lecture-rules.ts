import type { CreditCategory } from '../catalog/catalog.entities.js';
import type { SpeakerFacts } from './lecture.query.js';

/**
 * Rules of the principal lecture series (示范园园长大课堂), kept pure so they can be read and tested
 * apart from the services. A semester is `2026-autumn` (September to January) or `2027-spring`
 * (February to July); its sessions are monthly, one per month.
 */
export const SEMESTER_PATTERN = /^(\d{4})-(spring|autumn)$/;
export type SemesterTerm = 'spring' | 'autumn';

/** The months of each semester, in order; the autumn semester ends in the January of the next year. */
export const SEMESTER_MONTHS: Record<SemesterTerm, number[]> = { autumn: [9, 10, 11, 12, 1], spring: [2, 3, 4, 5, 6, 7] };

/**
 * When a district's schedule is due with the city if the city has not set a date for the semester:
 * the last day before the semester starts (spring: 31 January; autumn: 31 August).
 */
export const DEFAULT_FILING_DEADLINES: Record<SemesterTerm, { month: number; day: number }> = {
  spring: { month: 1, day: 31 },
  autumn: { month: 8, day: 31 },
};

/**
 * What the series' course starts with (editable on the series, except the audience): each session
 * is a 3-hour district-level 知识技能 offering for principals and teachers; credit needs the whole session.
 */
export const LECTURE_COURSE_DEFAULTS = {
  hours: 3,
  level: 'district' as const,
  category: 'knowledge_skills' as CreditCategory,
  mode: 'offline' as const,
  audiencePosts: ['principal', 'vice_principal', 'teacher'],
  capacity: 200,
  minAttendanceShare: 1,
  /** Enrolment opens at the latest this many days before a session (earlier when the series already exists). */
  enrolOpensDaysBefore: 7,
};

/** Who may give a session: the principal or a vice principal of a city or district demonstration kindergarten. */
export const SPEAKER_POSTS = ['principal', 'vice_principal'];
export const DEMONSTRATION_GRADES = ['city_demonstration', 'district_demonstration'];

export type FilingState = 'filed_on_time' | 'filed_late' | 'not_filed_late' | 'not_due';

export function parseSemester(semester: string): { year: number; term: SemesterTerm } | null {
  const match = SEMESTER_PATTERN.exec(semester);
  if (!match) return null;
  const year = Number(match[1]);
  return year >= 2000 && year <= 2099 ? { year, term: match[2] as SemesterTerm } : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The semester's months as `YYYY-MM`. */
export function semesterMonths(semester: string): string[] {
  const parsed = parseSemester(semester);
  if (!parsed) return [];
  return SEMESTER_MONTHS[parsed.term].map((m) => `${parsed.term === 'autumn' && m === 1 ? parsed.year + 1 : parsed.year}-${pad(m)}`);
}

/** The last calendar day of the semester (31 January or 31 July). */
export function semesterLastDay(semester: string): string {
  const months = semesterMonths(semester);
  const [year, month] = months[months.length - 1].split('-').map(Number);
  return `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
}

export function defaultDueOn(semester: string): string {
  const parsed = parseSemester(semester)!;
  const { month, day } = DEFAULT_FILING_DEADLINES[parsed.term];
  return `${parsed.year}-${pad(month)}-${pad(day)}`;
}

/** The semester a date belongs to; August, between semesters, counts towards the coming autumn. */
export function semesterOf(date: string): string {
  const [year, month] = date.split('-').map(Number);
  if (month === 1) return `${year - 1}-autumn`;
  return month >= 8 ? `${year}-autumn` : `${year}-spring`;
}

export function nextSemester(semester: string): string {
  const { year, term } = parseSemester(semester)!;
  return term === 'autumn' ? `${year + 1}-spring` : `${year}-autumn`;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A schedule filed on the due date is on time; an unfiled one is late once the due date has passed. */
export function filingState(dueOn: string, filedOn: string | null, today: string): FilingState {
  if (filedOn) return filedOn <= dueOn ? 'filed_on_time' : 'filed_late';
  return today > dueOn ? 'not_filed_late' : 'not_due';
}

/** 青浦区示范园园长大课堂（2026年秋季学期） */
export function defaultSeriesTitle(districtName: string, semester: string): string {
  const { year, term } = parseSemester(semester)!;
  return `${districtName}示范园园长大课堂（${year}年${term === 'autumn' ? '秋' : '春'}季学期）`;
}

/** The series' course code in the district's catalog, e.g. LECTURE-2026-AUTUMN. */
export function lectureCourseCode(semester: string): string {
  return `LECTURE-${semester.toUpperCase()}`;
}

/** An offering code for a session of `month`: the month itself, or with a suffix when an earlier offering (removed or moved) took it. */
export function sessionOfferingCode(month: string, taken: readonly string[]): string {
  if (!taken.includes(month)) return month;
  let n = 2;
  while (taken.includes(`${month}-${n}`)) n += 1;
  return `${month}-${n}`;
}

/**
 * A session's enrolment window: open from when the series was created (or a week before the
 * session, if that is earlier), closing when the session starts. Fixed by its inputs, so a retried
 * request asks the catalog for the same offering.
 */
export function enrolmentWindow(seriesCreatedAt: Date, startsAt: Date): { enrolOpensAt: Date; enrolClosesAt: Date; withdrawDeadline: Date } {
  const weekBefore = startsAt.getTime() - LECTURE_COURSE_DEFAULTS.enrolOpensDaysBefore * 86_400_000;
  const opens = new Date(Math.min(seriesCreatedAt.getTime(), weekBefore));
  return { enrolOpensAt: opens, enrolClosesAt: startsAt, withdrawDeadline: startsAt };
}

/** `YYYY-MM` of an instant in Shanghai time. */
export function shanghaiMonth(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}

/** Why the person cannot give a session of this district's series, or null. */
export function speakerProblem(speaker: SpeakerFacts | null, district: { path: string }): { code: string; message: string } | null {
  if (!speaker || !speaker.kindergartenPath?.startsWith(district.path)) {
    return { code: 'SPEAKER_NOT_IN_DISTRICT', message: "speakerPersonId is not someone working at one of the district's kindergartens" };
  }
  if (!speaker.post || !SPEAKER_POSTS.includes(speaker.post)) {
    return { code: 'SPEAKER_NOT_PRINCIPAL', message: 'The speaker must currently be the principal or a vice principal of their kindergarten' };
  }
  if (!speaker.kindergartenGrade || !DEMONSTRATION_GRADES.includes(speaker.kindergartenGrade)) {
    return { code: 'SPEAKER_NOT_DEMONSTRATION', message: "The speaker's kindergarten must be a city or district demonstration kindergarten" };
  }
  return null;
}
