import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError, OptimisticLockVersionMismatchError } from 'typeorm';
import { DomainError, ValidationFailed, type FieldProblem } from '../errors.js';
import { translate, type Locale } from '../i18n/i18n.js';
import { isApiRequest } from './locale.js';

/** PostgreSQL's connection-exception class (08…), shutdown and too-many-connections codes, and the socket's own. */
const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);
const CONNECTION_MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect/i;

/** The database is out of reach (connection dropped, server restarting or refusing): the request may succeed again shortly. */
export function isConnectionLoss(exception: unknown): boolean {
  const cause = exception instanceof QueryFailedError ? (exception as QueryFailedError & { driverError: unknown }).driverError : exception;
  const { code, severity } = (cause ?? {}) as { code?: unknown; severity?: unknown };
  // The server ends a session with FATAL (refused at connect, terminated, shutting down); a query's own errors are ERROR.
  if (severity === 'FATAL' || severity === 'PANIC') return true;
  if (typeof code === 'string' && (code.startsWith('08') || CONNECTION_CODES.has(code))) return true;
  return cause instanceof Error && CONNECTION_MESSAGES.test(cause.message);
}

/** Seconds a client is asked to wait before retrying after the database was out of reach. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'TOO_MANY_REQUESTS',
};

/** Turns every error into `{ error: { code, message, details } }` (API) or an error page (web). */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const locale: Locale = req.locale ?? 'zh-CN';
    const error = this.toDomainError(exception);
    if (error.status >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    const message = this.message(error, locale);
    if (res.headersSent) return;
    if (error instanceof DomainError && error.code === 'TOO_MANY_ATTEMPTS') {
      res.setHeader('Retry-After', String((error.details as { retryAfterSeconds: number }).retryAfterSeconds));
    }
    if (error.code === 'DATABASE_UNAVAILABLE') res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    if (isApiRequest(req) || !req.accepts('html')) {
      res.status(error.status).json({ error: { code: error.code, message, details: error.details ?? null } });
      return;
    }
    if (error.status === 401) {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.status(error.status).render('pages/error', { title: translate(locale, 'error.title'), status: error.status, code: error.code, message });
  }

  private message(error: DomainError, locale: Locale): string {
    const key = `errors.${error.code}`;
    if (error instanceof ValidationFailed) {
      return translate(locale, key, { fields: error.problems.map((p: FieldProblem) => p.field).join(', ') });
    }
    const translated = translate(locale, key, error.params);
    return translated === key ? error.message : translated;
  }

  private toDomainError(exception: unknown): DomainError {
    if (exception instanceof DomainError) return exception;
    if (isConnectionLoss(exception)) return new DomainError('DATABASE_UNAVAILABLE', 503, 'The database cannot be reached just now; try again shortly');
    if (exception instanceof OptimisticLockVersionMismatchError) {
      return new DomainError('CONFLICT', 409, 'The record was changed by someone else');
    }
    if (exception instanceof QueryFailedError) {
      const driver = (exception as QueryFailedError & { driverError: { code?: string; constraint?: string; detail?: string } }).driverError;
      if (driver.code === '23505') return new DomainError('DUPLICATE', 409, 'A record with the same unique value exists', { constraint: driver.constraint ?? null });
      if (driver.code === '23514' || driver.code === '23503' || driver.code === '23502') {
        return new DomainError('CONSTRAINT_VIOLATION', 400, 'The request breaks a data rule', { constraint: driver.constraint ?? null });
      }
      if (driver.code === '22P02' || driver.code === '22007' || driver.code === '22008') return new DomainError('BAD_REQUEST', 400, 'A value has the wrong format');
      // A number beyond the column's range, a NUL or other byte the encoding cannot hold, text longer than the column: bad input, not a fault.
      if (driver.code === '22003' || driver.code === '22021' || driver.code === '22001') return new DomainError('BAD_REQUEST', 400, 'A value is out of range or not storable');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return new DomainError(HTTP_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'), status, exception.message);
    }
    return new DomainError('INTERNAL', 500, 'Internal server error');
  }
}
