import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { UploadedFileList, type FilesUpload } from '../files/upload-parser.js';
import { CohortReadsService } from './cohort-reads.service.js';
import { PLAN_PARTS } from './cohort-rules.js';
import { MilestoneDto, TeamPlanDto, checkedInput } from './cohort.dto.js';
import { OUTPUT_KINDS } from './cohort.entities.js';
import { STATUS_COLOURS, blankForm, formErrors, pick, present, statusOf, text, type Form, type FormState } from './cohort-views.js';
import { OutputsService } from './outputs.service.js';
import { TeamWorkService } from './team-work.service.js';

const MILESTONE_FIELDS = ['title', 'dueOn', 'note'] as const;
const OUTPUT_FIELDS = ['kind', 'title', 'occurredOn', 'description'] as const;

interface PageState {
  plan?: FormState & { conflict: boolean };
  milestone?: FormState;
  output?: FormState;
  review?: { outputId: string; message: string; comment: string };
}

/** The team space page (/teams/:id): the five-part plan, members with progress, milestones and outputs with review. */
@ApiExcludeController()
@Controller()
export class TeamPagesController {
  constructor(
    private readonly reads: CohortReadsService,
    private readonly work: TeamWorkService,
    private readonly outputs: OutputsService,
  ) {}

  /** The caller's teams: those they host and their own memberships with their assessments. */
  @Get('teams')
  @Authorize('signed_in')
  async mine(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    const { items, hosted } = await this.reads.mine(access);
    const en = req.locale === 'en';
    res.render('pages/programs/team-mine', {
      title: translate(req.locale, 'cohort.mine.title'),
      hosted: hosted.map((h) => ({ ...h, programName: en ? h.programNameEn : h.programNameZh })),
      memberships: items.map((m: { programNameZh: string; programNameEn: string; status: string }) => ({
        ...m, programName: en ? m.programNameEn : m.programNameZh, statusColour: STATUS_COLOURS[m.status] ?? 'secondary',
      })),
    });
  }

  @Get('teams/:id')
  @Authorize('signed_in')
  async page(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, id, 200, {});
  }

  /** A stale version answers 409 with the user's text kept and the saved plan beside it. */
  @Post('teams/:id/plan')
  @Authorize('signed_in')
  async plan(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body, [...PLAN_PARTS, 'version']);
    try {
      const input = await checkedInput(TeamPlanDto, { ...pick(body, PLAN_PARTS), version: Number(values.version) || 0 });
      await this.work.editPlan(access, id, input);
    } catch (error) {
      const errors = formErrors(error, PLAN_PARTS, values, req.locale);
      if (!errors) throw error;
      const status = statusOf(error);
      return this.render(access, req, res, id, status, { plan: { values, errors, conflict: status === 409 } });
    }
    flash(res, { kind: 'success', key: 'cohort.flash.planSaved' });
    res.redirect(303, `/teams/${id}#plan`);
  }

  @Post('teams/:id/milestones')
  @Authorize('signed_in')
  async milestone(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body, MILESTONE_FIELDS);
    try {
      await this.work.addMilestone(access, id, await checkedInput(MilestoneDto, present(values)));
    } catch (error) {
      const errors = formErrors(error, MILESTONE_FIELDS, values, req.locale);
      if (!errors) throw error;
      return this.render(access, req, res, id, statusOf(error), { milestone: { values, errors } });
    }
    flash(res, { kind: 'success', key: 'cohort.flash.milestoneAdded' });
    res.redirect(303, `/teams/${id}#milestones`);
  }

  @Post('teams/:id/milestones/:milestoneId/done')
  @Authorize('signed_in')
  async milestoneDone(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('milestoneId', RecordIdPipe) milestoneId: string,
    @Res() res: Response) {
    await this.work.updateMilestone(access, milestoneId, { doneOn: shanghaiDate() });
    flash(res, { kind: 'success', key: 'cohort.flash.milestoneDone' });
    res.redirect(303, `/teams/${id}#milestones`);
  }

  @Post('teams/:id/outputs')
  @Authorize('signed_in')
  async output(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @UploadedFileList() upload: FilesUpload,
    @Req() req: Request, @Res() res: Response,
  ) {
    const values = pick(body ?? {}, OUTPUT_FIELDS);
    try {
      const answer = await this.outputs.submit(access, id, present(values), upload);
      flash(res, { kind: 'success', key: answer.changed ? 'cohort.flash.outputSubmitted' : 'cohort.flash.unchanged' });
    } catch (error) {
      const errors = formErrors(error, [...OUTPUT_FIELDS, 'files'], values, req.locale);
      if (!errors) throw error;
      return this.render(access, req, res, id, statusOf(error), { output: { values, errors } });
    }
    res.redirect(303, `/teams/${id}#outputs`);
  }

  @Post('teams/:id/outputs/:outputId/accept')
  @Authorize('signed_in')
  review(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('outputId', RecordIdPipe) outputId: string,
    @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    return this.decide(access, req, res, id, outputId, text(body.comment), 'accept');
  }

  @Post('teams/:id/outputs/:outputId/return')
  @Authorize('signed_in')
  returnOutput(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('outputId', RecordIdPipe) outputId: string,
    @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    return this.decide(access, req, res, id, outputId, text(body.comment), 'return');
  }

  private async decide(access: AccessContext, req: Request, res: Response, id: string, outputId: string, comment: string, decision: 'accept' | 'return') {
    try {
      if (decision === 'accept') await this.outputs.accept(access, outputId, comment || null);
      else await this.outputs.returnOutput(access, outputId, comment || null);
    } catch (error) {
      const errors = formErrors(error, ['comment'], { comment }, req.locale);
      if (!errors) throw error;
      return this.render(access, req, res, id, statusOf(error), { review: { outputId, message: errors.comment ?? errors.form, comment } });
    }
    flash(res, { kind: 'success', key: decision === 'accept' ? 'cohort.flash.outputAccepted' : 'cohort.flash.outputReturned' });
    res.redirect(303, `/teams/${id}#outputs`);
  }

  private async render(access: AccessContext, req: Request, res: Response, id: string, status: number, state: PageState) {
    const space = await this.reads.teamSpace(access, id);
    const plan = state.plan ?? { ...blankForm(PLAN_PARTS, space.team.plan), conflict: false };
    res.status(status).render('pages/programs/team-space', {
      title: translate(req.locale, 'cohort.team.title', { name: space.team.name }),
      space,
      programName: req.locale === 'en' ? space.program.nameEn : space.program.nameZh,
      planParts: PLAN_PARTS.map((part) => ({ part, saved: space.team.plan[part], value: plan.values[part] ?? '', error: plan.errors[part] ?? null })),
      planState: { version: plan.conflict ? space.team.version : Number(plan.values.version) || space.team.version, conflict: plan.conflict, error: plan.errors.form ?? null },
      members: space.members.map((m) => ({ ...m, statusColour: STATUS_COLOURS[m.status] ?? 'secondary' })),
      outputs: space.outputs.map((o) => ({
        ...o, statusColour: STATUS_COLOURS[o.status] ?? 'secondary',
        reviewError: state.review?.outputId === o.id ? state.review.message : null,
        reviewComment: state.review?.outputId === o.id ? state.review.comment : '',
      })),
      milestoneForm: state.milestone ?? blankForm(MILESTONE_FIELDS),
      outputForm: state.output ?? blankForm(OUTPUT_FIELDS, { occurredOn: shanghaiDate() }),
      kinds: OUTPUT_KINDS,
      today: shanghaiDate(),
    });
  }
}
