import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { ValidationFailed } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { pageLinks } from '../../common/pagination.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { MatchingQuery } from './matching.query.js';
import { PairingLifecycleService } from './pairing-lifecycle.service.js';
import { PairingReadsService } from './pairing-reads.service.js';
import { PairingsService } from './pairings.service.js';
import { PairingListQuery } from './pairing.dto.js';
import { errorView, formProblems, formProposal, planTerms, rowView } from './pairings-views.js';

type Form = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOf = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value : undefined);
const reasonOf = (body: Form) => (typeof body.reason === 'string' ? body.reason.trim() : '');

/** Admin pages for pairings in scope, the proposal form with suggestions and the agreement page (the teacher's dashboard: mentoring-me-pages). */
@ApiExcludeController()
@Controller()
export class PairingsPagesController {
  constructor(
    private readonly pairings: PairingsService,
    private readonly lifecycle: PairingLifecycleService,
    private readonly reads: PairingReadsService,
    private readonly matching: MatchingQuery,
  ) {}

  @Get('mentoring/pairings')
  @Authorize('mentoring.manage')
  async list(@Access() access: AccessContext, @Query() query: PairingListQuery, @Req() req: Request, @Res() res: Response) {
    const overdue = query.overdue === 'true' || query.overdue === 'on';
    const result = await this.reads.list(access, { status: query.status, kind: query.kind, overdue, page: query.page, pageSize: query.pageSize });
    res.render('pages/mentoring/pairings-list', {
      title: translate(req.locale, 'pairings.list.title'),
      rows: result.items.map(rowView),
      filter: { status: query.status ?? '', kind: query.kind ?? '', overdue },
      statuses: ['proposed', 'active', 'rejected', 'ended', 'cancelled'], kinds: ['standard', 'probation'],
      pager: pageLinks('/mentoring/pairings', { status: query.status, kind: query.kind, overdue: overdue ? 'true' : undefined }, result.total, result.page, result.pageSize),
    });
  }

  @Get('mentoring/pairings/new')
  @Authorize('mentoring.manage')
  async form(@Access() access: AccessContext, @Query() query: Form, @Req() req: Request, @Res() res: Response) {
    const menteeId = typeof query.menteePersonId === 'string' && UUID.test(query.menteePersonId) ? query.menteePersonId : null;
    await this.renderForm(access, req, res, 200, { menteePersonId: menteeId, q: typeof query.q === 'string' ? query.q.slice(0, 50) : '' }, null);
  }

  @Post('mentoring/pairings/new')
  @Authorize('mentoring.manage')
  async propose(@Access() access: AccessContext, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const input = formProposal(body);
    try {
      const problems = formProblems(input);
      if (problems.length) throw new ValidationFailed(problems);
      const pairing = await this.pairings.propose(access, input);
      flash(res, { kind: 'success', key: pairing.status === 'active' ? 'pairings.flash.active' : 'pairings.flash.proposed' });
      return res.redirect(303, `/mentoring/pairings/${pairing.id}`);
    } catch (error) {
      const shown = errorView(error, req.locale);
      if (!shown) throw error;
      const status = error instanceof ValidationFailed ? 400 : 422;
      await this.renderForm(access, req, res, status, { menteePersonId: input.menteePersonId || null, q: '' }, { input, ...shown });
    }
  }

  @Get('mentoring/pairings/:id')
  @Authorize('signed_in')
  async detail(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.renderDetail(access, id, req, res, 200, null);
  }

  /** The page's buttons, each its own route so other mentoring pages under /mentoring/pairings/:id/ stay free. */
  @Post('mentoring/pairings/:id/consent')
  @Authorize('signed_in')
  consent(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    return this.act(access, id, 'consent', req, res, () => this.lifecycle.consent(access, id));
  }

  @Post('mentoring/pairings/:id/approve')
  @Authorize('mentoring.approve')
  approve(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    return this.act(access, id, 'approve', req, res, () => this.lifecycle.decide(access, id, { decision: 'approved', kindergartenId: uuidOf(body.kindergartenId) }));
  }

  @Post('mentoring/pairings/:id/reject')
  @Authorize('mentoring.approve')
  reject(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    return this.act(access, id, 'reject', req, res,
      () => this.lifecycle.decide(access, id, { decision: 'rejected', reason: reasonOf(body), kindergartenId: uuidOf(body.kindergartenId) }));
  }

  @Post('mentoring/pairings/:id/end')
  @Authorize('mentoring.manage')
  end(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    return this.act(access, id, 'end', req, res, async () => {
      if (!reasonOf(body)) throw ValidationFailed.field('reason', 'required', 'give a reason');
      await this.lifecycle.end(access, id, reasonOf(body));
    });
  }

  @Post('mentoring/pairings/:id/cancel')
  @Authorize('signed_in')
  cancel(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    return this.act(access, id, 'cancel', req, res, () => this.lifecycle.cancel(access, id, reasonOf(body) || null));
  }

  private async act(access: AccessContext, id: string, action: string, req: Request, res: Response, work: () => Promise<unknown>) {
    try {
      await work();
    } catch (error) {
      const shown = errorView(error, req.locale);
      if (!shown) throw error;
      return this.renderDetail(access, id, req, res, (error as { status: number }).status, shown.message);
    }
    flash(res, { kind: 'success', key: `pairings.flash.${action}` });
    res.redirect(303, `/mentoring/pairings/${id}`);
  }

  private async renderDetail(access: AccessContext, id: string, req: Request, res: Response, status: number, actionError: string | null) {
    const pairing = await this.reads.detail(access, id);
    const decide = pairing.approvals.filter((a) => pairing.viewer.canDecideFor.includes(a.kindergartenId));
    res.status(status).render('pages/mentoring/pairings-detail', {
      title: translate(req.locale, 'pairings.detail.title'), pairing, decide, actionError,
      consentedIds: pairing.consents.map((c) => c.personId),
      people: [
        { personId: pairing.mentee.personId, fullName: pairing.mentee.fullName, role: null, kindergartenName: pairing.mentee.kindergartenName },
        ...pairing.mentors,
      ].map((p) => ({ ...p, consented: pairing.consents.some((c) => c.personId === p.personId), waiting: pairing.waitingForConsent.includes(p.personId) })),
    });
  }

  private async renderForm(
    access: AccessContext, req: Request, res: Response, status: number,
    choice: { menteePersonId: string | null; q: string },
    failed: { input: ReturnType<typeof formProposal>; message: string; fields: Record<string, string> } | null,
  ) {
    const suggestions = choice.menteePersonId ? await this.reads.suggestions(access, choice.menteePersonId, 10, req.locale) : null;
    const found = choice.q ? await this.reads.searchMentees(access, choice.q) : [];
    const districtId = access.districtIdFor('mentoring.manage');
    const kindergartens = districtId ? await this.matching.kindergartens(districtId) : [];
    const input = failed?.input ?? null;
    const chosenRoles = new Map((input?.mentors ?? []).map((m) => [m.personId, m.role]));
    const today = shanghaiDate();
    res.status(status).render('pages/mentoring/pairings-new', {
      title: translate(req.locale, 'pairings.new.title'),
      q: choice.q, found, searched: !!choice.q, mentee: suggestions?.mentee ?? null,
      candidates: (suggestions?.items ?? []).map((c) => ({ ...c, role: chosenRoles.get(c.personId) ?? '' })),
      roles: ['lead', 'subject', 'class_management'],
      kindergartens: kindergartens.map((k) => ({ ...k, selected: k.id === input?.baseKindergartenId })),
      values: {
        kind: input?.kind ?? 'standard', startsOn: input?.startsOn ?? today, endsOn: input?.endsOn ?? '', goals: input?.goals ?? '',
      },
      plans: planTerms(input?.startsOn ?? today).map((term) => ({ term, plan: input?.termPlans?.find((p) => p.term === term)?.plan ?? '' })),
      error: failed ? failed.message : null,
      fieldErrors: failed?.fields ?? {},
    });
  }
}
