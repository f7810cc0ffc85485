import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed, type DomainError } from '../../common/errors.js';
import { hasTranslation, translate } from '../../common/i18n/i18n.js';
import { pageLinks } from '../../common/pagination.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { errorMessage, pick, shownInPlace, validated } from '../enrollment/enrollment-views.js';
import { CreditCyclesService } from './credit-cycles.service.js';
import { CreditListQuery, RecordCreditDto, ReverseCreditDto } from './ledger.dto.js';
import { LedgerService } from './ledger.service.js';
import { ledgerChoices, ledgerRows, RECORD_FORM_FIELDS, totalsGrid } from './ledger-views.js';

type Form = Record<string, unknown>;
const BLANK = Object.fromEntries(RECORD_FORM_FIELDS.map((f) => [f, '']));

interface PageState {
  form?: { values: Record<string, string>; errors: Record<string, string> };
  rows?: Record<string, { error: string; reason: string }>;
}

/** A person's ledger for credit readers (net totals by category × level, every line); district staff record and reverse here. */
@ApiExcludeController()
@Controller('people/:id/credits')
export class LedgerPagesController {
  constructor(private readonly ledger: LedgerService, private readonly cycles: CreditCyclesService) {}

  @Get()
  @Authorize('credits.read')
  async show(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: CreditListQuery, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, id, query, {}, 200);
  }

  @Post()
  @Authorize('credits.manage')
  async record(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body ?? {}, [...RECORD_FORM_FIELDS]);
    try {
      const numbers = Object.fromEntries(['hours', 'credits'].filter((f) => values[f]).map((f) => [f, /^-?\d+(\.\d+)?$/.test(values[f]) ? Number(values[f]) : values[f]]));
      const input = await validated(RecordCreditDto, { ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')), ...numbers });
      await this.ledger.recordFor(access, id, input);
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      const errors = error instanceof ValidationFailed ? fieldErrors(error, values, req.locale) : { form: errorMessage(error, req.locale) };
      return this.render(access, req, res, id, new CreditListQuery(), { form: { values, errors } }, error.status);
    }
    flash(res, { kind: 'success', key: 'credits.flash.recorded' });
    res.redirect(303, `/people/${id}/credits`);
  }

  @Post(':entryId/reverse')
  @Authorize('credits.manage')
  async reverse(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('entryId', RecordIdPipe) entryId: string,
    @Body() body: Form, @Req() req: Request, @Res() res: Response,
  ) {
    const { reason = '' } = pick(body ?? {}, ['reason']);
    try {
      const input = await validated(ReverseCreditDto, { reason });
      await this.ledger.reverse(access, entryId, input.reason, id);
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      const message = error instanceof ValidationFailed ? translate(req.locale, 'credits.problem.REASON_REQUIRED') : errorMessage(error as DomainError, req.locale);
      return this.render(access, req, res, id, new CreditListQuery(), { rows: { [entryId]: { error: message, reason } } }, error.status);
    }
    flash(res, { kind: 'success', key: 'credits.flash.reversed' });
    res.redirect(303, `/people/${id}/credits`);
  }

  private async render(access: AccessContext, req: Request, res: Response, id: string, query: CreditListQuery, state: PageState, status: number) {
    const { page = 1, pageSize = 50, q: _q, ...filter } = query;
    const [statement, place, cycles] = await Promise.all([
      this.ledger.statement(access, id, filter, page, pageSize),
      this.ledger.placeInScope(access, id, 'credits.read'),
      this.cycles.list(),
    ]);
    const canManage = access.canAt('credits.manage', place.orgPath);
    res.status(status).render('pages/credits/ledger', {
      title: translate(req.locale, 'credits.ledger.title', { name: place.fullName }),
      personId: id, personName: place.fullName, canManage,
      filters: { cycle: filter.cycle ?? '', category: filter.category ?? '', level: filter.level ?? '', source: filter.source ?? '' },
      totals: { ...totalsGrid(statement.totals.byCategoryLevel), hours: statement.totals.hours, credits: statement.totals.credits },
      rows: ledgerRows(statement.items, canManage, state.rows ?? {}),
      pager: pageLinks(`/people/${id}/credits`, { ...filter }, statement.total, page, pageSize),
      form: { values: { ...BLANK, ...state.form?.values }, errors: state.form?.errors ?? {}, open: !!state.form },
      ...ledgerChoices(cycles),
    });
  }
}

function fieldErrors(error: ValidationFailed, values: Record<string, string>, locale: Request['locale']): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of error.problems) {
    const field = (RECORD_FORM_FIELDS as readonly string[]).includes(problem.field) ? problem.field : 'form';
    if (errors[field]) continue;
    const key = field !== 'credits' && field !== 'form' && !values[field] ? 'credits.problem.required' : `credits.problem.${problem.code}`;
    errors[field] = translate(locale, hasTranslation(locale, key) ? key : 'credits.problem.invalid');
  }
  return errors;
}
