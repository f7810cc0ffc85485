import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { shanghaiDateTime } from '../../common/dates.js';
import { ValidationFailed } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { programName, refusal, shownInPlace, STATUS_COLOURS, tierLabel } from './program-views.js';
import { ReviewsService } from './reviews.service.js';
import { SelectionService } from './selection.service.js';

type Form = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Board = Awaited<ReturnType<SelectionService['board']>>;
const ids = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string' && v !== '');

/** /programs/:id/selection: the board ranked by score with quotas, reviewer assignment, decisions, the suggestion and closing the round. */
@ApiExcludeController()
@Controller('programs/:id/selection')
export class SelectionPagesController {
  constructor(private readonly selection: SelectionService, private readonly reviews: ReviewsService) {}

  @Get()
  @Authorize('programs.manage')
  async show(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.render(access, id, req, res, 200, null);
  }

  /** Ticked reviewers to ticked applications (none ticked: every application still undecided). */
  @Post('assign')
  @Authorize('programs.manage')
  async assign(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    await this.act(access, id, req, res, 'programs.flash.assigned', async () => {
      let applicationIds = ids(body?.applicationIds);
      if (!applicationIds.length) applicationIds = (await this.selection.board(access, id)).rows.filter((r) => r.status === 'submitted').map((r) => r.id);
      await this.reviews.assign(access, id, { applicationIds, reviewerUserIds: ids(body?.reviewerUserIds) });
    });
  }

  @Post('decide')
  @Authorize('programs.manage')
  async decide(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    await this.act(access, id, req, res, 'programs.flash.decided', async () => {
      const [applicationId] = ids(body?.applicationId);
      if (!applicationId || !UUID.test(applicationId)) throw ValidationFailed.field('applicationId', 'isUUID', 'choose an application');
      await this.selection.decide(access, applicationId, { decision: body?.decision });
    });
  }

  /** Takes the suggestion by rank within the quotas as the selection and reserve list. */
  @Post('suggest')
  @Authorize('programs.manage')
  async suggest(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.act(access, id, req, res, 'programs.flash.suggested', async () => {
      const { suggestion } = await this.selection.board(access, id);
      await this.selection.setSelection(access, id, { selected: suggestion.selected, reserve: suggestion.reserve });
    });
  }

  @Post('close')
  @Authorize('programs.manage')
  async close(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.act(access, id, req, res, 'programs.flash.closed', () => this.selection.close(access, id));
  }

  /** Runs the action, then back to the board; a refusal (over a quota, window still open ...) is shown on the board in the reader's words. */
  private async act(access: AccessContext, id: string, req: Request, res: Response, key: string, action: () => Promise<unknown>) {
    try {
      await action();
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      return this.render(access, id, req, res, error.status, refusal(error, req.locale));
    }
    flash(res, { kind: 'success', key });
    res.redirect(303, `/programs/${id}/selection`);
  }

  private async render(access: AccessContext, id: string, req: Request, res: Response, status: number, error: string | null) {
    const board = await this.selection.board(access, id);
    res.status(status).render('pages/programs/selection', { title: translate(req.locale, 'programs.selection.title'), error, ...boardView(board, req.locale) });
  }
}

function boardView(board: Board, locale: Locale) {
  const p = board.program;
  const open = p.status === 'published';
  const selected = new Set(board.suggestion.selected);
  const reserve = new Set(board.suggestion.reserve);
  return {
    program: { id: p.id, name: programName(p, locale), tierLabel: tierLabel(p, locale), status: p.status, statusColour: STATUS_COLOURS[p.status],
      window: `${shanghaiDateTime(p.applicationsOpenAt)} – ${shanghaiDateTime(p.applicationsCloseAt)}`, windowState: p.window },
    open, canClose: open && p.window === 'closed',
    quotas: board.quotas, reserve: board.reserve,
    rows: board.rows.map((r) => ({
      ...r, statusColour: STATUS_COLOURS[r.status], reviewerNames: r.reviewers.map((x) => `${x.reviewerName}${x.scored ? ' ✓' : ''}`).join('、'),
      suggested: selected.has(r.id) ? 'selected' : reserve.has(r.id) ? 'reserve' : null,
      choices: ['selected', 'reserve', 'not_selected', 'submitted'].filter((d) => d !== r.status),
    })),
    reviewerChoices: board.reviewerChoices,
    suggestionSize: { selected: board.suggestion.selected.length, reserve: board.suggestion.reserve.length },
  };
}
