import { Conflict, DomainError, NotFound } from '../../common/errors.js';

/** A person with this national ID exists; `personId` is given only when the caller may see that person. */
export class PersonExists extends Conflict {
  constructor(personId: string | null) {
    super('PERSON_EXISTS', 'A person with this national ID already exists', personId ? { personId } : {});
  }
}

export class PersonNotFound extends NotFound {
  constructor(id?: string) {
    super('Person', id);
  }
}

export class EmploymentNotFound extends NotFound {
  constructor(id?: string) {
    super('Employment', id);
  }
}

export class StageDefinitionNotFound extends NotFound {
  constructor(kind: string, code: string) {
    super('Stage definition', `${kind}:${code}`);
  }
}

export class StageDefinitionExists extends Conflict {
  constructor(kind: string, code: string) {
    super('STAGE_EXISTS', `The ${kind} stage ${code} already exists`, { kind, code });
  }
}

export class CertificateExists extends Conflict {
  constructor() {
    super('CERTIFICATE_EXISTS', 'A certificate of this kind with this number is already on record');
  }
}

/** The record was changed since the caller read it (`version` no longer matches). */
export class StaleRecord extends DomainError {
  constructor(current: number) {
    super('CONFLICT', 409, 'The record was changed by someone else', { currentVersion: current });
  }
}

/** Changing a national ID needs the sensitive-data permission over the person. */
export class SensitiveChangeForbidden extends DomainError {
  constructor() {
    super('FORBIDDEN', 403, 'Changing a national ID needs the people.sensitive permission');
  }
}

/** Postgres unique violation on the named constraint (a concurrent insert won the race). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driver = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  return driver?.code === '23505' && driver.constraint === constraint;
}
