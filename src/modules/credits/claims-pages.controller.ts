import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed, type DomainError } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { pageLinks } from '../../common/pagination.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { errorMessage, pick, shownInPlace, validated } from '../enrollment/enrollment-views.js';
import { FileStorageService } from '../files/file-storage.service.js';
import { Upload, type UploadState } from '../files/upload-parser.js';
import { ClaimDecisionDto, ClaimListQuery } from './claims.dto.js';
import { ClaimsService, type ClaimStep } from './claims.service.js';
import {
  CLAIM_FORM_FIELDS, claimChoices, claimFormErrors, inboxRows, myRows, statusChoices, type ClaimFormState, type RowState,
} from './claims-views.js';

type Form = Record<string, unknown>;
const INBOX_PAGE_SIZE = 25;
const BLANK_FORM = Object.fromEntries(CLAIM_FORM_FIELDS.map((field) => [field, '']));

/** /claims: a learner's claims with the form for a new one, and for reviewers the inbox with approve and reject. */
@ApiExcludeController()
@Controller('claims')
export class ClaimsPagesController {
  constructor(private readonly claims: ClaimsService, private readonly files: FileStorageService) {}

  @Get()
  @Authorize('signed_in')
  async index(@Access() access: AccessContext, @Query() query: ClaimListQuery, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, query, { values: {}, errors: {} }, {}, 200);
  }

  /** Multipart (the certificate file); the body was read before the guard, so `_csrf` is checked as on any form. */
  @Post()
  @Authorize('signed_in')
  async submit(@Access() access: AccessContext, @Body() body: Form, @Upload() upload: UploadState, @Req() req: Request, @Res() res: Response) {
    const values = pick(body ?? {}, [...CLAIM_FORM_FIELDS]);
    try {
      await this.claims.submit(access, values, upload);
    } catch (error) {
      const errors = claimFormErrors(error, values, req.locale, this.files.maxBytes);
      if (!errors) throw error;
      return this.render(access, req, res, { page: 1 }, { values, errors }, {}, (error as DomainError).status);
    }
    flash(res, { kind: 'success', key: 'claims.flash.submitted' });
    res.redirect(303, '/claims');
  }

  @Post(':id/review')
  @Authorize('claims.review')
  async review(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    await this.step(access, req, res, id, body, 'review');
  }

  @Post(':id/decide')
  @Authorize('claims.decide')
  async decide(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    await this.step(access, req, res, id, body, 'decide');
  }

  private async step(access: AccessContext, req: Request, res: Response, id: string, body: Form, step: ClaimStep) {
    const values = pick(body ?? {}, ['decision', 'reason', 'status']);
    const back = values.status ? `/claims?status=${encodeURIComponent(values.status)}` : '/claims';
    let flashKey: string;
    try {
      const input = await validated(ClaimDecisionDto, { decision: values.decision, ...(values.reason ? { reason: values.reason } : {}) });
      const answer = step === 'review' ? await this.claims.review(access, id, input) : await this.claims.decide(access, id, input);
      flashKey = answer.changed ? `claims.flash.${answer.claim.status}` : 'claims.flash.unchanged';
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      const message = error instanceof ValidationFailed
        ? translate(req.locale, error.problems.some((p) => p.field === 'reason') ? 'claims.problem.REASON_REQUIRED' : 'claims.problem.invalid')
        : errorMessage(error, req.locale);
      const state: Record<string, RowState> = { [id]: { error: message, reason: values.reason ?? '' } };
      return this.render(access, req, res, { status: values.status as ClaimListQuery['status'], page: 1 }, { values: {}, errors: {} }, state, error.status);
    }
    flash(res, { kind: 'success', key: flashKey });
    res.redirect(303, back);
  }

  private async render(
    access: AccessContext, req: Request, res: Response, query: Pick<ClaimListQuery, 'status' | 'page'>,
    form: ClaimFormState, rows: Record<string, RowState>, status: number,
  ) {
    const [mine, inbox] = await Promise.all([
      access.personId ? this.claims.mine(access, 1, 100) : Promise.resolve(null),
      access.can('claims.review') ? this.claims.inbox(access, query.status, query.page ?? 1, INBOX_PAGE_SIZE) : Promise.resolve(null),
    ]);
    res.status(status).render('pages/claims/index', {
      title: translate(req.locale, 'claims.title'),
      canClaim: !!access.personId,
      mine: mine ? myRows(mine.items) : [],
      form: { values: { ...BLANK_FORM, ...form.values }, errors: form.errors, open: Object.keys(form.errors).length > 0 },
      maxMb: Math.floor(this.files.maxBytes / (1024 * 1024)) || 1,
      inbox: inbox && {
        rows: inboxRows(inbox.items, access, rows),
        status: inbox.status,
        statuses: statusChoices(inbox.step),
        pager: pageLinks('/claims', { status: query.status }, inbox.total, inbox.page, inbox.pageSize),
      },
      ...claimChoices,
    });
  }
}
