import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { ValidationFailed } from '../../common/errors.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { shownInPlace } from '../enrollment/enrollment-views.js';
import { ContestEntriesService } from './contest-entries.service.js';
import { ContestReadsService } from './contest-reads.service.js';
import { ContestResultsService } from './contest-results.service.js';
import { blankSheet, contestPage, sheetErrors, sheetLines, type SheetForm } from './contest-views.js';

type Form = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** /programs/:id/contest: enter or withdraw, enter one's staff, the judges' results sheet and publication, the published prizes. */
@ApiExcludeController()
@Controller('programs/:id/contest')
export class ContestPagesController {
  constructor(
    private readonly reads: ContestReadsService,
    private readonly entries: ContestEntriesService,
    private readonly results: ContestResultsService,
  ) {}

  @Get()
  @Authorize('signed_in')
  async show(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.render(access, id, req, res, blankSheet(), 200);
  }

  /** Yourself (no `personId`), or a member of your staff chosen in the list. */
  @Post('entries')
  @Authorize('signed_in')
  async enter(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Res() res: Response) {
    const raw = typeof body?.personId === 'string' ? body.personId.trim() : undefined;
    if (raw !== undefined && !UUID.test(raw)) return this.back(res, id, 'danger', 'contests.problem.person');
    const personId = raw?.toLowerCase();
    await this.act(res, id, async () => {
      const { created } = await this.entries.enter(access, id, personId);
      return created ? 'contests.flash.entered' : 'contests.flash.alreadyEntered';
    });
  }

  @Post('entries/:entryId/withdraw')
  @Authorize('signed_in')
  async withdraw(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('entryId', RecordIdPipe) entryId: string, @Res() res: Response) {
    await this.act(res, id, async () => {
      await this.entries.withdraw(access, entryId);
      return 'contests.flash.withdrawn';
    });
  }

  /** The results sheet: lines left blank are not judged; a refused sheet comes back as typed with each problem beside its field. */
  @Post('results')
  @Authorize('programs.manage')
  async judge(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const view = await this.reads.view(access, id);
    const { values, lines, ids } = sheetLines(body ?? {}, view.entries.filter((e) => e.status !== 'withdrawn').map((e) => e.id));
    try {
      if (!lines.length) throw ValidationFailed.field('results', 'EMPTY_SHEET', 'no result entered');
      await this.results.judge(access, id, lines);
    } catch (error) {
      if (error instanceof ValidationFailed && error.problems[0]?.field === 'results') return this.back(res, id, 'warning', 'contests.flash.emptySheet');
      const errors = sheetErrors(error, ids, req.locale);
      if (errors) return this.render(access, id, req, res, { values, errors }, 400);
      if (!shownInPlace(error)) throw error;
      return this.back(res, id, 'danger', `errors.${error.code}`);
    }
    return this.back(res, id, 'success', 'contests.flash.judged');
  }

  @Post('publish')
  @Authorize('programs.manage')
  async publish(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    await this.act(res, id, async () => {
      await this.results.publish(access, id);
      return 'contests.flash.published';
    });
  }

  private async render(access: AccessContext, id: string, req: Request, res: Response, form: SheetForm, status: number) {
    const view = await this.reads.view(access, id);
    res.status(status).render('pages/programs/contest-page', contestPage(view, form, req.locale));
  }

  /** Runs a form's action; a refusal is flashed (in the reader's words) on the contest page. */
  private async act(res: Response, id: string, action: () => Promise<string>) {
    try {
      return this.back(res, id, 'success', await action());
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      return this.back(res, id, 'danger', `errors.${error.code}`);
    }
  }

  private back(res: Response, id: string, kind: 'success' | 'danger' | 'warning', key: string) {
    flash(res, { kind, key });
    res.redirect(303, `/programs/${id}/contest`);
  }
}
