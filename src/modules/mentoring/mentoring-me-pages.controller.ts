import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound, ValidationFailed } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { flash } from '../../common/web/flash.js';
import { ActivitiesQuery } from './activities.query.js';
import { PairingReadsService, type PairingListItem } from './pairing-reads.service.js';
import { PairingsService } from './pairings.service.js';
import { errorView, planTerms, rowView } from './pairings-views.js';
import { REQUEST_ROLES, requestProblems, requestProposal, type RequestSide } from './pairing-request-form.js';

type Form = Record<string, unknown>;

/**
 * A teacher's mentoring from the menu entry /me/mentoring: pairings as mentee and as mentor with
 * this term's progress, the logs waiting for my confirmation, agreements waiting for my signature,
 * and the mutual request form.
 */
@ApiExcludeController()
@Controller()
export class MentoringMePagesController {
  constructor(
    private readonly reads: PairingReadsService,
    private readonly pairings: PairingsService,
    private readonly activities: ActivitiesQuery,
  ) {}

  @Get('me/mentoring')
  @Authorize('signed_in')
  async mine(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    const [mine, pending] = await Promise.all([
      this.reads.mine(access), access.personId ? this.activities.pendingFor(access.personId) : Promise.resolve([]),
    ]);
    const card = (row: PairingListItem) => ({
      ...rowView(row),
      canSign: ['proposed', 'active'].includes(row.status) && !row.signedByMe,
      pending: pending.filter((a) => a.pairingId === row.id),
    });
    res.render('pages/mentoring/pairings-mine', {
      title: translate(req.locale, 'pairings.mine.title'),
      asMentee: mine.asMentee.map(card), asMentor: mine.asMentor.map(card), pendingCount: pending.length,
    });
  }

  /** The progress page was merged into /me/mentoring; old links land there. */
  @Get('me/mentoring/progress')
  @Authorize('signed_in')
  progress(@Res() res: Response) {
    res.redirect(303, '/me/mentoring');
  }

  @Get('me/mentoring/request')
  @Authorize('signed_in')
  async requestForm(@Access() access: AccessContext, @Query() query: Form, @Req() req: Request, @Res() res: Response) {
    const side: RequestSide = query.side === 'mentor' ? 'mentor' : 'mentee';
    const q = typeof query.q === 'string' ? query.q.trim().slice(0, 50) : '';
    await this.render(access, req, res, 200, { side, q, body: {} }, null);
  }

  @Post('me/mentoring/request')
  @Authorize('signed_in')
  async request(@Access() access: AccessContext, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    if (!access.personId) throw new NotFound('person');
    const side: RequestSide = body.side === 'mentor' ? 'mentor' : 'mentee';
    const input = requestProposal(body, side, access.personId);
    try {
      const problems = requestProblems(input, side);
      if (problems.length) throw new ValidationFailed(problems);
      const pairing = await this.pairings.request(access, input);
      flash(res, { kind: 'success', key: 'pairings.flash.requested' });
      return res.redirect(303, `/mentoring/pairings/${pairing.id}`);
    } catch (error) {
      const shown = errorView(error, req.locale);
      if (!shown) throw error;
      const status = error instanceof ValidationFailed ? 400 : (error as { status: number }).status;
      await this.render(access, req, res, status, { side, q: '', body }, shown);
    }
  }

  private async render(
    access: AccessContext, req: Request, res: Response, status: number,
    state: { side: RequestSide; q: string; body: Form },
    failed: { message: string; fields: Record<string, string> } | null,
  ) {
    const roles = (state.body.role && typeof state.body.role === 'object' ? state.body.role : {}) as Record<string, unknown>;
    const chosenIds = Object.keys(roles).filter((id) => typeof roles[id] === 'string' && roles[id] && id !== access.personId);
    const [found, chosen] = await Promise.all([
      state.q ? this.reads.searchColleagues(access, state.q) : Promise.resolve([]),
      this.reads.people(chosenIds),
    ]);
    const people = [...chosen, ...found.filter((f) => !chosenIds.includes(f.personId))]
      .map((p) => ({ ...p, role: typeof roles[p.personId] === 'string' ? roles[p.personId] : '' }));
    const text = (key: string, fallback = '') => (typeof state.body[key] === 'string' ? (state.body[key] as string) : fallback);
    const startsOn = text('startsOn', shanghaiDate());
    const plans = (state.body.plan && typeof state.body.plan === 'object' ? state.body.plan : {}) as Record<string, unknown>;
    res.status(status).render('pages/mentoring/pairings-request', {
      title: translate(req.locale, 'pairings.request.title'),
      side: state.side, q: state.q, searched: !!state.q, people,
      roles: REQUEST_ROLES[state.side], myRoles: REQUEST_ROLES.mentee,
      values: { myRole: text('myRole', 'lead'), startsOn, endsOn: text('endsOn'), goals: text('goals') },
      plans: planTerms(/^\d{4}-\d{2}-\d{2}$/.test(startsOn) ? startsOn : shanghaiDate())
        .map((term) => ({ term, plan: typeof plans[term] === 'string' ? plans[term] : '' })),
      error: failed?.message ?? null, fieldErrors: failed?.fields ?? {},
    });
  }
}
