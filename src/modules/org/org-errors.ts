import { QueryFailedError } from 'typeorm';
import { Conflict, DomainError, ValidationFailed, type FieldProblem } from '../../common/errors.js';

/**
 * A rule about one field with its own stable code; `details.fields` has the same shape as
 * VALIDATION_FAILED so clients and forms show it next to the field.
 */
export class OrgFieldError extends DomainError {
  constructor(code: string, status: 400 | 409, readonly field: string, message: string) {
    super(code, status, message, { field, fields: [{ field, code, message }] });
  }
}

export const orgCodeTaken = (code: string) =>
  new OrgFieldError('ORG_CODE_TAKEN', 409, 'code', `The code ${code} is already used by another org unit`);

export const groupCodeTaken = (code: string) =>
  new OrgFieldError('GROUP_CODE_TAKEN', 409, 'code', `The code ${code} is already used by another group`);

export const moveIntoSelf = () =>
  new OrgFieldError('ORG_MOVE_INTO_SELF', 400, 'parentId', 'A unit cannot move under itself or one of its descendants');

export const kindergartenInOtherGroup = (field: string, groupName: string) =>
  new OrgFieldError('KINDERGARTEN_IN_OTHER_GROUP', 409, field, `The kindergarten already belongs to ${groupName}`);

export const staleVersion = () =>
  new Conflict('CONFLICT', 'The record was changed by someone else', { field: 'version', fields: [{ field: 'version', code: 'CONFLICT', message: 'stale version' }] });

export const kindNotAllowed = (field: string, kind: string, parentKind: string) =>
  ValidationFailed.field(field, 'ORG_KIND_NOT_ALLOWED', `A ${kind} cannot sit under a ${parentKind}`);

export const parentNotFound = (field = 'parentId') => ValidationFailed.field(field, 'ORG_PARENT_NOT_FOUND', 'No such org unit in your scope');

/** The unique constraint a failed insert or update broke, if that is what happened. */
export function violatedUniqueConstraint(error: unknown): string | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driver = (error as QueryFailedError & { driverError: { code?: string; constraint?: string } }).driverError;
  return driver.code === '23505' ? driver.constraint ?? '' : null;
}

/** The field problems an error carries (validation or a field rule), or null for any other error. */
export function fieldProblemsOf(error: unknown): FieldProblem[] | null {
  if (error instanceof ValidationFailed) return error.problems;
  if (!(error instanceof DomainError)) return null;
  const fields = (error.details as { fields?: FieldProblem[] } | undefined)?.fields;
  return Array.isArray(fields) ? fields : null;
}
