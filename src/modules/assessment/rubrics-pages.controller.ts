import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { pageLinks } from '../../common/pagination.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { errorMessage, shownInPlace } from '../enrollment/enrollment-views.js';
import { Upload, type UploadState } from '../files/upload-parser.js';
import { RUBRIC_METHODS, type RubricMethod } from './assessment.entities.js';
import { RubricListQuery } from './rubric.dto.js';
import { RubricsService, RUBRIC_SHEET_MAX_BYTES, type ImportPreview, type RubricView } from './rubrics.service.js';
import {
  applyEditorOp, blankEditor, criteriaInput, editorErrors, editorValues, editorView, listRows, postedEditor, type EditorValues,
} from './rubrics-views.js';

type Form = Record<string, unknown>;
const methodOf = (value: unknown): RubricMethod => (RUBRIC_METHODS as readonly unknown[]).includes(value) ? value as RubricMethod : 'rubric';

/** /rubrics: the district's rubrics, the editor (add and remove rows without scripts), and import with a dry run. */
@ApiExcludeController()
@Controller('rubrics')
export class RubricsPagesController {
  constructor(private readonly rubrics: RubricsService) {}

  @Get()
  @Authorize('offering.teach')
  async index(@Access() access: AccessContext, @Query() query: RubricListQuery, @Req() req: Request, @Res() res: Response) {
    const page = await this.rubrics.list(access, query);
    res.render('pages/rubrics/index', {
      title: translate(req.locale, 'rubrics.title'),
      rows: listRows(page.items),
      filter: { q: query.q ?? '', method: query.method ?? '', archived: query.archived === 'true' || query.archived === 'on' },
      methods: RUBRIC_METHODS,
      pager: pageLinks('/rubrics', { q: query.q, method: query.method, archived: query.archived }, page.total, page.page, page.pageSize),
    });
  }

  @Get('new')
  @Authorize('offering.teach')
  newRubric(@Query('method') method: unknown, @Req() req: Request, @Res() res: Response) {
    this.editor(req, res, null, blankEditor(methodOf(method)), {}, 200);
  }

  @Post()
  @Authorize('offering.teach')
  async create(@Access() access: AccessContext, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = postedEditor(body, methodOf(body.method));
    if (typeof body.op === 'string' && body.op !== 'save') return this.editor(req, res, null, applyEditorOp(values, body.op), {}, 200);
    try {
      const created = await this.rubrics.create(access, {
        name: values.name.trim(), description: values.description.trim() || undefined, method: values.method, criteria: criteriaInput(values),
      });
      flash(res, { kind: 'success', key: 'rubrics.flash.created' });
      res.redirect(303, `/rubrics/${created.id}`);
    } catch (error) {
      this.refused(error, req, res, null, values);
    }
  }

  @Get('import')
  @Authorize('offering.teach')
  importForm(@Req() req: Request, @Res() res: Response) {
    this.importPage(req, res, { name: '', method: '' }, null, null, 200);
  }

  /** The first post carries the file (multipart) and answers the dry run; applying posts the same bytes back from the page. */
  @Post('import')
  @Authorize('offering.teach')
  async import(@Access() access: AccessContext, @Body() body: Form, @Upload() upload: UploadState, @Req() req: Request, @Res() res: Response) {
    const text = (key: string) => (typeof body?.[key] === 'string' ? (body[key] as string).trim() : '');
    const form = { name: text('name'), method: text('method') };
    const kept = text('fileData');
    const file = upload.file ? { bytes: upload.file.buffer, fileName: upload.file.originalName }
      : kept ? { bytes: Buffer.from(kept, 'base64'), fileName: text('fileName') } : null;
    if (upload.problem || !file) {
      return this.importPage(req, res, form, null, translate(req.locale, upload.problem ? 'rubrics.problem.FILE_TOO_LARGE' : 'rubrics.import.chooseFile'), 400);
    }
    const dryRun = text('dryRun') !== 'false';
    try {
      const answer = await this.rubrics.importSheet(access, {
        ...file, name: form.name || undefined, method: form.method ? methodOf(form.method) : undefined, dryRun,
      }, req.locale);
      if (!dryRun) {
        flash(res, { kind: 'success', key: 'rubrics.flash.imported' });
        return res.redirect(303, `/rubrics/${(answer as RubricView).id}`);
      }
      const preview = answer as ImportPreview;
      this.importPage(req, res, form, { ...preview, fileData: file.bytes.toString('base64'), fileName: file.fileName }, null, 200);
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      const problems = (error.details as { problems?: unknown[] } | null)?.problems ?? null;
      this.importPage(req, res, form, null, errorMessage(error, req.locale), error.status, problems);
    }
  }

  @Get(':id')
  @Authorize('offering.teach')
  async show(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const rubric = await this.rubrics.get(access, id);
    this.editor(req, res, rubric, editorValues(rubric), {}, 200);
  }

  @Post(':id')
  @Authorize('offering.teach')
  async save(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const rubric = await this.rubrics.get(access, id);
    const values = postedEditor(body, rubric.method);
    if (typeof body.op === 'string' && body.op !== 'save') return this.editor(req, res, rubric, applyEditorOp(values, body.op), {}, 200);
    try {
      await this.rubrics.update(access, id, {
        version: Number(values.version), name: values.name.trim(), description: values.description.trim() || null, criteria: criteriaInput(values),
      });
      flash(res, { kind: 'success', key: 'rubrics.flash.saved' });
      res.redirect(303, `/rubrics/${id}`);
    } catch (error) {
      this.refused(error, req, res, rubric, values);
    }
  }

  @Post(':id/copy')
  @Authorize('offering.teach')
  async copy(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    const copy = await this.rubrics.copy(access, id);
    flash(res, { kind: 'success', key: 'rubrics.flash.copied' });
    res.redirect(303, `/rubrics/${copy.id}`);
  }

  @Post(':id/archive')
  @Authorize('offering.teach')
  async archive(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    await this.rubrics.archive(access, id);
    flash(res, { kind: 'success', key: 'rubrics.flash.archived' });
    res.redirect(303, '/rubrics');
  }

  private refused(error: unknown, req: Request, res: Response, rubric: RubricView | null, values: EditorValues) {
    if (!shownInPlace(error)) throw error;
    const errors = editorErrors(error, req.locale) ?? {};
    const alert = Object.keys(errors).length ? null : errorMessage(error as DomainError, req.locale);
    this.editor(req, res, rubric, values, errors, (error as DomainError).status, alert);
  }

  private editor(req: Request, res: Response, rubric: RubricView | null, values: EditorValues, errors: Record<string, string>, status: number, alert: string | null = null) {
    res.status(status).render('pages/rubrics/edit', {
      title: rubric ? rubric.name : translate(req.locale, values.method === 'guide' ? 'rubrics.new.guide' : 'rubrics.new.rubric'),
      rubric: rubric && {
        id: rubric.id, canEdit: rubric.canEdit, inUse: rubric.inUse, archived: !!rubric.archivedAt, ownerName: rubric.ownerName, maxPoints: rubric.maxPoints,
      },
      readOnly: !!rubric && (!rubric.canEdit || !!rubric.archivedAt),
      action: rubric ? `/rubrics/${rubric.id}` : '/rubrics',
      form: editorView(values, errors),
      hasErrors: Object.keys(errors).length > 0,
      alert,
    });
  }

  private importPage(req: Request, res: Response, form: { name: string; method: string }, preview: (ImportPreview & { fileData: string; fileName: string }) | null,
    error: string | null, status: number, problems: unknown[] | null = null) {
    const byRow = new Map<number, string[]>();
    for (const p of preview?.problems ?? []) if (p.row !== null) byRow.set(p.row, [...(byRow.get(p.row) ?? []), `${p.column ?? ''} ${p.message}`.trim()]);
    res.status(status).render('pages/rubrics/import', {
      title: translate(req.locale, 'rubrics.import.title'),
      form, methods: RUBRIC_METHODS, error, maxKb: RUBRIC_SHEET_MAX_BYTES / 1024,
      problems: problems ?? preview?.problems ?? [],
      preview: preview && {
        ...preview,
        ok: preview.problems.length === 0,
        rows: preview.rows.map((r) => ({ ...r, cells: { criterion: '', criterionDescription: '', level: '', points: '', levelDescription: '', maxPoints: '', ...r.cells },
          problems: byRow.get(r.row) ?? [] })),
      },
    });
  }
}
