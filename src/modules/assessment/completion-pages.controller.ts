import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { fromShanghaiInput } from '../../common/dates.js';
import { DomainError, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { CompletionRulesService } from './completion-rules.service.js';
import { CompletionStatusService } from './completion-status.service.js';
import { CompletionService } from './completion.service.js';
import type { CreateCompletionRuleDto } from './completion.dto.js';

type Form = Record<string, unknown>;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
/** A percentage typed in the form as a share; anything unreadable passes through for the checks to name. */
const share = (value: unknown): number => (text(value) === '' ? NaN : Number(text(value)) / 100);

/** The form's fields in the API's words; the same checks then apply (percent fields are named by their API field). */
function ruleInput(body: Form): CreateCompletionRuleDto {
  const floor = text(body.floorPercent);
  return {
    effectiveFrom: text(body.effectiveFrom) ? fromShanghaiInput(text(body.effectiveFrom)) : undefined,
    minAttendanceShare: share(body.minPercent), requiredItemIds: list(body.requiredItemIds),
    requireEvaluation: body.requireEvaluation === 'on' || body.requireEvaluation === 'true',
    combine: body.combine === 'any' ? 'any' : 'all', partialCreditFloor: floor === '' ? null : share(floor),
  };
}

/** The form's own checks (the API's DTO checks these for JSON). */
function formProblems(input: CreateCompletionRuleDto): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const bad = (v: number) => !Number.isFinite(v) || v < 0 || v > 1;
  if (bad(input.minAttendanceShare)) problems.push({ field: 'minAttendanceShare', code: 'range', message: 'minAttendanceShare must be 0 to 100%' });
  if (input.partialCreditFloor !== null && input.partialCreditFloor !== undefined && bad(input.partialCreditFloor)) {
    problems.push({ field: 'partialCreditFloor', code: 'range', message: 'partialCreditFloor must be 0 to 100%' });
  }
  if (input.effectiveFrom !== undefined && Number.isNaN(new Date(input.effectiveFrom).getTime())) {
    problems.push({ field: 'effectiveFrom', code: 'isZonedDateTime', message: 'effectiveFrom is not a date and time' });
  }
  return problems;
}

function problemLines(error: unknown, locale: Locale): string[] | null {
  if (error instanceof ValidationFailed) {
    return error.problems.map((p) => `${translate(locale, `completion.field.${p.field.replace(/\[\d+\]$/, '')}`)}: ${translate(locale, `completion.problem.${p.code}`)}`);
  }
  if (error instanceof DomainError && error.status === 422) return [translate(locale, `errors.${error.code}`)];
  return null;
}

/** The learner's completion page and the trainer's completion table with the rule form. */
@ApiExcludeController()
@Controller()
export class CompletionPagesController {
  constructor(
    private readonly status: CompletionStatusService,
    private readonly rules: CompletionRulesService,
    private readonly completion: CompletionService,
  ) {}

  @Get('learning/enrollments/:id/completion')
  @Authorize('signed_in')
  async learner(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const status = await this.status.status(access, id, req.locale);
    res.render('pages/completion/learner', { title: translate(req.locale, 'completion.learner.title'), ...status });
  }

  @Post('learning/enrollments/:id/completion/reopen')
  @Authorize('completion.manage')
  async reopen(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Res() res: Response) {
    try {
      await this.completion.reopen(access, id, text(body.reason));
      flash(res, { kind: 'success', key: 'completion.flash.reopened' });
    } catch (error) {
      if (!(error instanceof DomainError) || (error.status !== 409 && error.status !== 400)) throw error;
      flash(res, { kind: 'warning', key: error.status === 400 ? 'completion.flash.reasonNeeded' : `errors.${error.code}` });
    }
    res.redirect(303, `/learning/enrollments/${id}/completion`);
  }

  @Get('teaching/offerings/:id/completion')
  @Authorize('offering.teach')
  async offering(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    res.render('pages/completion/offering', await this.offeringPage(access, id, req.locale, null, null));
  }

  @Post('teaching/offerings/:id/completion/rules')
  @Authorize('offering.teach')
  async saveRule(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const input = ruleInput(body);
    try {
      const problems = formProblems(input);
      if (problems.length) throw new ValidationFailed(problems);
      const answer = await this.rules.create(access, id, input, req.locale);
      flash(res, { kind: answer.created ? 'success' : 'info', key: answer.created ? 'completion.flash.ruleSaved' : 'completion.flash.ruleUnchanged' });
      res.redirect(303, `/teaching/offerings/${id}/completion`);
    } catch (error) {
      const lines = problemLines(error, req.locale);
      if (!lines) throw error;
      res.status(error instanceof ValidationFailed ? 400 : 422).render('pages/completion/offering', await this.offeringPage(access, id, req.locale, body, lines));
    }
  }

  private async offeringPage(access: AccessContext, id: string, locale: Locale, body: Form | null, errors: string[] | null) {
    const [table, history] = await Promise.all([this.status.offering(access, id, locale), this.rules.history(access, id, locale)]);
    const rule = table.ruleInForce;
    const chosen = body ? list(body.requiredItemIds) : rule?.requiredItems.map((i) => i.id) ?? [];
    return {
      title: translate(locale, 'completion.offering.title'), ...table, errors,
      form: {
        effectiveFrom: body ? text(body.effectiveFrom) : '',
        minPercent: body ? text(body.minPercent) : String(rule?.minPercent ?? 0),
        floorPercent: body ? text(body.floorPercent) : rule?.floorPercent === null || rule?.floorPercent === undefined ? '' : String(rule.floorPercent),
        requireEvaluation: body ? body.requireEvaluation === 'on' : rule?.requireEvaluation ?? false,
        combineAny: body ? body.combine === 'any' : rule?.combine === 'any',
        items: history.items.filter((i) => i.kind !== 'survey' && !i.archived).map((i) => ({ ...i, checked: chosen.includes(i.id) })),
        hasSurvey: history.items.some((i) => i.kind === 'survey' && !i.archived),
      },
    };
  }
}
