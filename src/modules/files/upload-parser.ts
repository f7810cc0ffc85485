import { Inject, Injectable, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AnyFilesInterceptor, FileInterceptor } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { of } from 'rxjs';
import type { FieldProblem } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { SESSION_COOKIE } from '../auth/tokens.js';

export interface UploadedBytes {
  originalName: string;
  /** What the client claimed; checked against the bytes before anything is stored. */
  contentType: string;
  size: number;
  buffer: Buffer;
}

/** A multipart request's one file (or null) and why it could not be read, if it could not. */
export interface UploadState {
  file: UploadedBytes | null;
  problem: FieldProblem | null;
}

/** A multipart request's files (field `files`, or `files[]`) and why they could not be read, if they could not. */
export interface FilesUpload {
  files: UploadedBytes[];
  problem: FieldProblem | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    upload?: UploadState;
    uploads?: FilesUpload;
  }
}

const FILES_FIELDS = ['files', 'files[]'];

interface MulterFile { fieldname: string; originalname: string; mimetype: string; size: number; buffer: Buffer }
interface MulterFailure { code?: string; field?: string; message: string }

/**
 * Parses multipart bodies with one file field in a middleware, i.e. before the access guard, so a
 * page form's `_csrf` field is readable there. A parse failure is kept on the request (never thrown
 * here): the route, once the caller is known, answers it as a field error.
 */
@Injectable()
export class UploadParser {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  middleware(field: string) {
    // Browsers send file names as raw UTF-8 (Chinese names are common); busboy would read them as latin1.
    const Interceptor = FileInterceptor(field, { defParamCharset: 'utf8', limits: { fileSize: this.config.UPLOAD_MAX_BYTES, files: 1, fields: 50 } });
    const interceptor = new Interceptor();
    return async (req: Request, res: Response, next: NextFunction) => {
      req.upload = { file: null, problem: null };
      // Anonymous uploads are not even read: the guard refuses them next.
      if (!req.is('multipart/form-data') || !hasCredentials(req)) return next();
      const context = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ExecutionContext;
      try {
        await interceptor.intercept(context, { handle: () => of(undefined) });
        const file = (req as Request & { file?: MulterFile }).file;
        if (file) req.upload.file = { originalName: file.originalname, contentType: file.mimetype, size: file.size, buffer: file.buffer };
      } catch (error) {
        req.upload.problem = uploadProblem(field, ((error as { cause?: MulterFailure }).cause ?? error) as MulterFailure, this.config.UPLOAD_MAX_BYTES);
        req.body ??= {};
      }
      next();
    };
  }

  /** The same for several files in the field `files` (or `files[]`), at most `maxFiles`. */
  middlewareForFiles(maxFiles: number) {
    const Interceptor = AnyFilesInterceptor({ defParamCharset: 'utf8', limits: { fileSize: this.config.UPLOAD_MAX_BYTES, files: maxFiles, fields: 50 } });
    const interceptor = new Interceptor();
    return async (req: Request, res: Response, next: NextFunction) => {
      req.uploads = { files: [], problem: null };
      if (!req.is('multipart/form-data') || !hasCredentials(req)) return next();
      const context = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ExecutionContext;
      try {
        await interceptor.intercept(context, { handle: () => of(undefined) });
        const files = (req as Request & { files?: MulterFile[] }).files ?? [];
        const stray = files.find((f) => !FILES_FIELDS.includes(f.fieldname));
        if (stray) req.uploads.problem = { field: stray.fieldname, code: 'unknown_field', message: `${stray.fieldname} is not an allowed field` };
        // A form's empty file input arrives as a nameless, empty part: it is no file.
        req.uploads.files = files.filter((f) => FILES_FIELDS.includes(f.fieldname) && (f.size > 0 || f.originalname))
          .map((f) => ({ originalName: f.originalname, contentType: f.mimetype, size: f.size, buffer: f.buffer }));
      } catch (error) {
        req.uploads.problem = filesProblem(((error as { cause?: MulterFailure }).cause ?? error) as MulterFailure, this.config.UPLOAD_MAX_BYTES, maxFiles);
        req.body ??= {};
      }
      next();
    };
  }
}

function filesProblem(failure: MulterFailure, maxBytes: number, maxFiles: number): FieldProblem {
  switch (failure.code) {
    case 'LIMIT_FILE_SIZE':
      return { field: 'files', code: 'FILE_TOO_LARGE', message: `a file is larger than ${maxBytes} bytes` };
    case 'LIMIT_FILE_COUNT':
      return { field: 'files', code: 'TOO_MANY_FILES', message: `At most ${maxFiles} files` };
    default:
      return { field: 'files', code: 'UPLOAD_MALFORMED', message: `the upload could not be read: ${failure.message}` };
  }
}

function hasCredentials(req: Request): boolean {
  return !!req.headers.authorization || !!(req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
}

function uploadProblem(field: string, failure: MulterFailure, maxBytes: number): FieldProblem {
  switch (failure.code) {
    case 'LIMIT_FILE_SIZE':
      return { field, code: 'FILE_TOO_LARGE', message: `${field} is larger than ${maxBytes} bytes` };
    case 'LIMIT_UNEXPECTED_FILE':
      return failure.field && failure.field !== field
        ? { field: failure.field, code: 'unknown_field', message: `${failure.field} is not an allowed field` }
        : { field, code: 'FILE_COUNT', message: `send one file as ${field}` };
    case 'LIMIT_FILE_COUNT':
      return { field, code: 'FILE_COUNT', message: `send one file as ${field}` };
    default:
      return { field, code: 'UPLOAD_MALFORMED', message: `the upload could not be read: ${failure.message}` };
  }
}

/** The request's upload as parsed by UploadParser's middleware. */
export const Upload = createParamDecorator((_: unknown, ctx: ExecutionContext): UploadState => {
  return ctx.switchToHttp().getRequest<Request>().upload ?? { file: null, problem: null };
});

/** The request's files as parsed by UploadParser's `middlewareForFiles`. */
export const UploadedFileList = createParamDecorator((_: unknown, ctx: ExecutionContext): FilesUpload => {
  return ctx.switchToHttp().getRequest<Request>().uploads ?? { files: [], problem: null };
});
