import { Conflict, NotFound, ValidationFailed } from '../../common/errors.js';

export const seriesNotFound = (id: string) => new NotFound('lecture_series', id);
export const sessionNotFound = (id: string) => new NotFound('lecture_session', id);
/** The caller oversees no such city (a district's staff asking for the city's records). */
export const cityNotFound = (id?: string) => new NotFound('city', id);

export const scheduleEmpty = () => new Conflict('LECTURE_SCHEDULE_EMPTY', 'Add at least one session before filing the schedule');
export const sessionHasEnrolments = (count: number) =>
  new Conflict('LECTURE_SESSION_HAS_ENROLMENTS', `${count} people are enrolled in this session: cancel its offering from the roster first`, { enrolled: count });

export const badSemester = (field = 'semester') =>
  ValidationFailed.field(field, 'SEMESTER_INVALID', 'semester must look like 2026-autumn or 2027-spring (years 2000–2099)');
