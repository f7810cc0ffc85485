import { QueryFailedError } from 'typeorm';
import { DomainError, NotFound, type FieldProblem } from '../../common/errors.js';

/**
 * A rule about one field with its own stable code; `details.fields` has the shape of
 * VALIDATION_FAILED, so API clients and forms show it next to the field.
 */
export class CatalogFieldError extends DomainError {
  constructor(code: string, status: 400 | 403 | 409, readonly field: string, message: string) {
    super(code, status, message, { field, fields: [{ field, code, message }] });
  }
}

export const courseNotFound = (id?: string) => new NotFound('Course', id);
export const offeringNotFound = (id?: string) => new NotFound('Offering', id);
export const meetingNotFound = (id?: string) => new NotFound('Meeting', id);
export const materialNotFound = (id?: string) => new NotFound('Material', id);

export const courseCodeTaken = (code: string) =>
  new CatalogFieldError('COURSE_CODE_EXISTS', 409, 'code', `The course code ${code} is already used in this district`);
export const offeringCodeTaken = (code: string) =>
  new CatalogFieldError('OFFERING_CODE_EXISTS', 409, 'code', `The offering code ${code} is already used for this course`);
export const staleVersion = (current: number) =>
  new DomainError('CONFLICT', 409, 'The record was changed by someone else', {
    currentVersion: current, field: 'version', fields: [{ field: 'version', code: 'CONFLICT', message: 'stale version' }],
  });
/** A kindergarten admin asking for a city or district course, or a level change that would move the owner. */
export const levelNotPermitted = (level: string) =>
  new CatalogFieldError('COURSE_LEVEL_FORBIDDEN', 403, 'level', `You may not manage ${level}-level courses here`);
export const courseArchived = () => new DomainError('COURSE_ARCHIVED', 409, 'The course is archived');
export const courseNotPublished = () => new DomainError('COURSE_NOT_PUBLISHED', 409, 'Publish the course before its offerings');
export const offeringIncomplete = (online: boolean) =>
  new DomainError('OFFERING_INCOMPLETE', 409, online ? 'An online offering needs at least one material' : 'An offering needs at least one meeting');
export const offeringCancelled = () => new DomainError('OFFERING_CANCELLED', 409, 'The offering is cancelled');
export const meetingHasAttendance = () => new DomainError('MEETING_HAS_ATTENDANCE', 409, 'Attendance was recorded for this meeting');
export const materialHasProgress = () => new DomainError('MATERIAL_HAS_PROGRESS', 409, 'Learners have progress on this material');

/** The unique constraint a failed insert or update broke, if that is what happened. */
export function violatedUniqueConstraint(error: unknown): string | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driver = (error as QueryFailedError & { driverError: { code?: string; constraint?: string } }).driverError;
  return driver.code === '23505' ? driver.constraint ?? '' : null;
}

/** The field problems an error carries (validation or a field rule), or null for any other error. */
export function fieldProblemsOf(error: unknown): FieldProblem[] | null {
  if (!(error instanceof DomainError)) return null;
  const fields = (error.details as { fields?: FieldProblem[] } | undefined)?.fields;
  return Array.isArray(fields) ? fields : null;
}
export const offeringNotPublishable = (status: string) =>
  new DomainError('OFFERING_NOT_PUBLISHABLE', 409, `A ${status} offering cannot be published`, { status });
