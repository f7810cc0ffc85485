import { Inject, Injectable, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { of } from 'rxjs';
import type { FieldProblem } from '../../common/errors.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { SESSION_COOKIE } from '../auth/tokens.js';
import type { UploadedBytes } from '../files/upload-parser.js';
import { MAX_FILES } from './item-rules.js';

/** The files of a multipart submission (field `files`, or `files[]`) and why they could not be read, if they could not. */
export interface SubmissionUpload {
  files: UploadedBytes[];
  problem: FieldProblem | null;
}

const FILE_FIELDS = ['files', 'files[]'];

declare module 'express-serve-static-core' {
  interface Request {
    submissionUpload?: SubmissionUpload;
  }
}

interface MulterFile { fieldname: string; originalname: string; mimetype: string; size: number; buffer: Buffer }
interface MulterFailure { code?: string; field?: string; message: string }

/**
 * UploadParser's way for several files: parsed in a middleware before the access guard (so a page
 * form's `_csrf` is readable), and a failure kept for the route to answer as a field error.
 */
@Injectable()
export class SubmissionUploadParser {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  middleware() {
    const Interceptor = AnyFilesInterceptor({ defParamCharset: 'utf8', limits: { fileSize: this.config.UPLOAD_MAX_BYTES, files: MAX_FILES, fields: 50 } });
    const interceptor = new Interceptor();
    return async (req: Request, res: Response, next: NextFunction) => {
      req.submissionUpload = { files: [], problem: null };
      const signedIn = !!req.headers.authorization || !!(req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
      if (!req.is('multipart/form-data') || !signedIn) return next();
      const context = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ExecutionContext;
      try {
        await interceptor.intercept(context, { handle: () => of(undefined) });
        const files = ((req as Request & { files?: MulterFile[] }).files ?? []);
        const stray = files.find((f) => !FILE_FIELDS.includes(f.fieldname));
        if (stray) req.submissionUpload.problem = { field: stray.fieldname, code: 'unknown_field', message: `${stray.fieldname} is not an allowed field` };
        // A form's empty file input arrives as a nameless, empty part: it is no file.
        req.submissionUpload.files = files.filter((f) => FILE_FIELDS.includes(f.fieldname) && (f.size > 0 || f.originalname))
          .map((f) => ({ originalName: f.originalname, contentType: f.mimetype, size: f.size, buffer: f.buffer }));
      } catch (error) {
        req.submissionUpload.problem = problemOf(((error as { cause?: MulterFailure }).cause ?? error) as MulterFailure, this.config.UPLOAD_MAX_BYTES);
        req.body ??= {};
      }
      next();
    };
  }
}

function problemOf(failure: MulterFailure, maxBytes: number): FieldProblem {
  switch (failure.code) {
    case 'LIMIT_FILE_SIZE':
      return { field: 'files', code: 'FILE_TOO_LARGE', message: `a file is larger than ${maxBytes} bytes` };
    case 'LIMIT_FILE_COUNT':
      return { field: 'files', code: 'TOO_MANY_FILES', message: `At most ${MAX_FILES} files` };
    default:
      return { field: 'files', code: 'UPLOAD_MALFORMED', message: `the upload could not be read: ${failure.message}` };
  }
}

export const SubmittedFiles = createParamDecorator((_: unknown, ctx: ExecutionContext): SubmissionUpload => {
  return ctx.switchToHttp().getRequest<Request>().submissionUpload ?? { files: [], problem: null };
});
