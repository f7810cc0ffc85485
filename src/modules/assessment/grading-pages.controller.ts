import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { TeachingAccess } from '../enrollment/teaching-access.service.js';
import { Upload, type UploadState } from '../files/upload-parser.js';
import { GRADE_SHEET_MAX_BYTES, GradeImportService, type ImportReport } from './grade-import.service.js';
import { GradingService } from './grading.service.js';
import { enteredOf, formBody, formErrors, gradePageView, queueView, type FormState } from './grading-views.js';

type Form = Record<string, unknown>;

/** The trainer's grading pages: the queue, one learner's work beside the rubric, and the grade sheet import. All work without scripts. */
@ApiExcludeController()
@Controller('teaching')
export class GradingPagesController {
  constructor(private readonly grading: GradingService, private readonly imports: GradeImportService, private readonly teaching: TeachingAccess) {}

  @Get('items/:itemId/grade')
  @Authorize('offering.teach')
  async queue(@Access() access: AccessContext, @Param('itemId', RecordIdPipe) itemId: string, @Res() res: Response) {
    res.render('pages/grading/queue', queueView(await this.grading.queue(access, itemId)));
  }

  @Post('items/:itemId/release')
  @Authorize('offering.teach')
  async release(@Access() access: AccessContext, @Param('itemId', RecordIdPipe) itemId: string, @Res() res: Response) {
    const { released } = await this.grading.release(access, itemId);
    flash(res, { kind: released ? 'success' : 'info', key: released ? 'grading.flash.released' : 'grading.flash.nothingToRelease' });
    res.redirect(303, `/teaching/items/${itemId}/grade`);
  }

  @Get('items/:itemId/grade/:enrollmentId')
  @Authorize('offering.teach')
  async page(
    @Access() access: AccessContext, @Param('itemId', RecordIdPipe) itemId: string, @Param('enrollmentId', RecordIdPipe) enrollmentId: string, @Res() res: Response,
  ) {
    await this.render(access, itemId, enrollmentId, res, null);
  }

  /** Saves the mark (or reconciles, or accepts two agreeing marks), then shows the same learner or the next one. */
  @Post('items/:itemId/grade/:enrollmentId')
  @Authorize('offering.teach')
  async save(
    @Access() access: AccessContext, @Param('itemId', RecordIdPipe) itemId: string, @Param('enrollmentId', RecordIdPipe) enrollmentId: string,
    @Body() body: Form, @Req() req: Request, @Res() res: Response,
  ) {
    const view = await this.grading.view(access, itemId, enrollmentId);
    const entered = enteredOf(body);
    const dto = formBody(view, entered, body.version);
    // The pressed button: save | reconcile | accept, each optionally "-next" (then the next learner is shown).
    const [mode, then] = (typeof body.action === 'string' ? body.action : 'save').split('-');
    try {
      if (mode === 'accept') await this.grading.reconcile(access, itemId, enrollmentId, { accept: true, reason: dto.reason, version: dto.version });
      else if (mode === 'reconcile') await this.grading.reconcile(access, itemId, enrollmentId, dto);
      else await this.grading.save(access, itemId, enrollmentId, dto);
    } catch (error) {
      const refused = formErrors(error, view, req.locale);
      if (!refused) throw error;
      return this.render(access, itemId, enrollmentId, res, { entered, ...refused }, error instanceof DomainError ? error.status : 400);
    }
    flash(res, { kind: 'success', key: 'grading.flash.saved' });
    const queue = await this.grading.queue(access, itemId);
    const index = queue.learners.findIndex((l) => l.enrollmentId === enrollmentId);
    const next = then === 'next' ? queue.learners[index + 1] : undefined;
    res.redirect(303, next ? `/teaching/items/${itemId}/grade/${next.enrollmentId}` : then === 'next' ? `/teaching/items/${itemId}/grade` : `/teaching/items/${itemId}/grade/${enrollmentId}`);
  }

  @Get('offerings/:id/grades/import')
  @Authorize('offering.teach')
  async importPage(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const context = await this.teaching.offering(access, id);
    res.render('pages/grading/import', this.importContext(context, req, null, null, null, ''));
  }

  /** A new file (multipart) gets a dry run; the confirm step posts the same sheet back (base64) with `apply`. */
  @Post('offerings/:id/grades/import')
  @Authorize('offering.teach')
  @HttpCode(200)
  async importSheet(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Upload() upload: UploadState,
    @Req() req: Request, @Res() res: Response,
  ) {
    const context = await this.teaching.offering(access, id);
    const kept = !upload.file && !upload.problem && typeof body.sheet === 'string' && body.sheet.length <= Math.ceil(GRADE_SHEET_MAX_BYTES / 3) * 4 + 4
      ? Buffer.from(body.sheet, 'base64') : null;
    const sheet: UploadState = kept
      ? { file: { originalName: typeof body.fileName === 'string' ? body.fileName : '', contentType: '', size: kept.length, buffer: kept }, problem: null }
      : upload;
    const reason = typeof body.reason === 'string' ? body.reason : '';
    const apply = !!kept && body.apply === '1';
    let report: ImportReport;
    try {
      report = await this.imports.import(access, id, sheet, { dryRun: apply ? 'false' : 'true', reason });
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500 || error.status === 404) throw error;
      const problems = (error.details as { problems?: ImportReport['problems'] } | undefined)?.problems ?? null;
      const fields = (error.details as { fields?: Array<{ code: string }> } | undefined)?.fields ?? [];
      const key = `grading.import.upload.${fields[0]?.code ?? 'invalid'}`;
      const message = problems ? translate(req.locale, 'grading.import.changedSince')
        : translate(req.locale, key) === key ? translate(req.locale, 'grading.import.upload.invalid') : translate(req.locale, key);
      return res.status(error.status).render('pages/grading/import', this.importContext(context, req, problems ? { changes: [], problems } : null, message, null, reason));
    }
    if (apply) {
      flash(res, { kind: 'success', key: report.applied ? 'grading.flash.imported' : 'grading.flash.importNothing' });
      return res.redirect(303, `/teaching/offerings/${id}/grades/import`);
    }
    const keep = report.problems.length || !report.changes.length ? null : { sheet: sheet.file!.buffer.toString('base64'), fileName: sheet.file!.originalName };
    res.render('pages/grading/import', this.importContext(context, req, report, null, keep, reason));
  }

  private importContext(
    context: { offering: { id: string; code: string; label: string }; course: { title: string } }, req: Request,
    report: Pick<ImportReport, 'changes' | 'problems'> | null, error: string | null, keep: { sheet: string; fileName: string } | null, reason: string,
  ) {
    const valueText = (v: { points: number | null; passed: boolean }) =>
      v.points !== null ? String(v.points) : translate(req.locale, v.passed ? 'grading.passed' : 'grading.failed');
    return {
      title: translate(req.locale, 'grading.import.title'),
      offering: { id: context.offering.id, code: context.offering.code, label: context.offering.label, courseTitle: context.course.title },
      report: report ? {
        problems: report.problems, changeCount: report.changes.length, problemCount: report.problems.length,
        changes: report.changes.map((c) => ({ ...c, beforeText: c.before ? valueText(c.before) : null, afterText: valueText(c.after) })),
      } : null,
      error, keep, reason, maxKb: GRADE_SHEET_MAX_BYTES / 1024,
    };
  }

  private async render(access: AccessContext, itemId: string, enrollmentId: string, res: Response, state: FormState | null, status = 200) {
    const [view, queue] = await Promise.all([this.grading.view(access, itemId, enrollmentId), this.grading.queue(access, itemId)]);
    res.status(status).render('pages/grading/grade', gradePageView(view, queue, access.userId, state));
  }
}
