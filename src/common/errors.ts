/** A field-level problem in a request, named by its path (e.g. `employment.startDate`). */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

/**
 * A typed domain error with a stable code; the exception filter maps it to HTTP.
 * `messageKey` is looked up in the i18n catalogue with `params`; `message` is the English fallback.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export class ValidationFailed extends DomainError {
  constructor(readonly problems: FieldProblem[]) {
    super('VALIDATION_FAILED', 400, `Invalid request: ${problems.map((p) => p.field).join(', ')}`, { fields: problems });
  }
  static field(field: string, code: string, message: string): ValidationFailed {
    return new ValidationFailed([{ field, code, message }]);
  }
}

export class NotFound extends DomainError {
  constructor(entity: string, id?: string) {
    super('NOT_FOUND', 404, `${entity} not found`, id ? { entity, id } : { entity }, { entity });
  }
}

export class Unauthenticated extends DomainError {
  constructor(message = 'Sign-in required') {
    super('UNAUTHENTICATED', 401, message);
  }
}

export class Forbidden extends DomainError {
  constructor(code = 'FORBIDDEN', message = 'Not permitted') {
    super(code, 403, message);
  }
}

export class Conflict extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, 409, message, details);
  }
}

export class TooManyAttempts extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('TOO_MANY_ATTEMPTS', 429, 'Too many failed sign-in attempts; try again later', { retryAfterSeconds }, { minutes: Math.ceil(retryAfterSeconds / 60) });
  }
}
