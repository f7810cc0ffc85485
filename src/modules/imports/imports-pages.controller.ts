import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { pageLinks } from '../../common/pagination.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { Upload, type UploadState } from '../files/upload-parser.js';
import { ImportListQuery, ImportRowsQuery } from './imports.dto.js';
import { IMPORT_KINDS } from './imports.entities.js';
import { ImportsService } from './imports.service.js';
import { detailPage, historyRows } from './imports-page-views.js';

type Form = Record<string, unknown>;

/** /imports: the district's import history and the upload form; /imports/:id: progress, problems, mapping, confirmation, result. */
@ApiExcludeController()
@Controller('imports')
export class ImportsPagesController {
  constructor(private readonly imports: ImportsService) {}

  @Get()
  @Authorize('imports.run')
  async index(@Access() access: AccessContext, @Query() query: ImportListQuery, @Req() req: Request, @Res() res: Response) {
    await this.renderIndex(access, query.page, req, res, { kind: 'staff', error: null }, 200);
  }

  @Post()
  @Authorize('imports.run')
  async upload(@Access() access: AccessContext, @Body() body: Form, @Upload() upload: UploadState, @Req() req: Request, @Res() res: Response) {
    const kind = typeof body?.kind === 'string' ? body.kind : '';
    try {
      const job = await this.imports.upload(access, kind, upload);
      res.redirect(303, `/imports/${job.id}`);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const message = error.problems.map((p) => reason(p.code, p.message, req.locale)).join(' ');
      await this.renderIndex(access, 1, req, res, { kind, error: message }, 400);
    }
  }

  @Get(':id')
  @Authorize('imports.run')
  async show(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: ImportRowsQuery, @Req() req: Request, @Res() res: Response) {
    await this.renderDetail(access, id, query, req, res, {}, 200);
  }

  @Post(':id/mapping')
  @Authorize('imports.run')
  async mapping(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const mapping = Object.fromEntries(Object.entries(body ?? {}).filter(([key]) => key.startsWith('mapping.')).map(([key, value]) => [key.slice(8), value]));
    try {
      await this.imports.setMapping(access, id, mapping);
      flash(res, { kind: 'success', key: 'imports.flash.mapped' });
      res.redirect(303, `/imports/${id}`);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const errors = Object.fromEntries(error.problems.map((p) => [p.field.replace(/^mapping\./, ''), reason(p.code, p.message, req.locale)]));
      await this.renderDetail(access, id, { page: 1, pageSize: 50 }, req, res, { errors, chosen: mapping }, 400);
    }
  }

  @Post(':id/confirm')
  @Authorize('imports.run')
  async confirm(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.act(access, id, req, res, () => this.imports.confirm(access, id), 'imports.flash.confirmed');
  }

  @Post(':id/cancel')
  @Authorize('imports.run')
  async cancel(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.act(access, id, req, res, () => this.imports.cancel(access, id), 'imports.flash.cancelled');
  }

  private async act(access: AccessContext, id: string, req: Request, res: Response, action: () => Promise<unknown>, done: string) {
    try {
      await action();
      flash(res, { kind: 'success', key: done });
      res.redirect(303, `/imports/${id}`);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 409) throw error;
      await this.renderDetail(access, id, { page: 1, pageSize: 50 }, req, res, { notice: reason(error.code, error.message, req.locale) }, 409);
    }
  }

  private async renderIndex(access: AccessContext, page: number, req: Request, res: Response, form: { kind: string; error: string | null }, status: number) {
    const history = await this.imports.list(access, page, 20);
    res.status(status).render('pages/imports/index', {
      title: translate(req.locale, 'imports.title'),
      kinds: IMPORT_KINDS.map((kind) => ({ kind, selected: kind === form.kind })),
      form,
      rows: historyRows(history.items),
      pager: pageLinks('/imports', {}, history.total, history.page, history.pageSize),
    });
  }

  private async renderDetail(access: AccessContext, id: string, query: Pick<ImportRowsQuery, 'page' | 'pageSize' | 'outcome'>, req: Request, res: Response,
    extra: { errors?: Record<string, string>; chosen?: Record<string, unknown>; notice?: string }, status: number) {
    const outcome = query.outcome ?? 'error';
    const answer = await this.imports.rows(access, id, outcome, query.page, query.pageSize);
    const importer = this.imports.importerOf(answer.job.kind);
    res.status(status).render('pages/imports/show', {
      title: translate(req.locale, 'imports.detail.title', { name: answer.job.originalName }),
      ...detailPage(answer.job, importer, answer.items, outcome, req.locale, extra),
      pager: pageLinks(`/imports/${id}`, { outcome }, answer.total, answer.page, answer.pageSize),
    });
  }
}

/** A problem's reason in the reader's language: `imports.problem.<code>`, else the English message. */
function reason(code: string, message: string, locale: Locale): string {
  const key = `imports.problem.${code}`;
  return hasTranslation(locale, key) ? translate(locale, key) : message;
}
