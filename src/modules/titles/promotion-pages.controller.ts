import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound, ValidationFailed } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { pick, shownInPlace, validated } from '../enrollment/enrollment-views.js';
import { Upload, type UploadState } from '../files/upload-parser.js';
import { APPLICATION_STATUSES } from './titles.entities.js';
import {
  ApplicationListQuery, DistrictDecisionDto, KindergartenDecisionDto, OpenApplicationDto, SubmitApplicationDto, UpdateApplicationDto,
} from './promotion.dto.js';
import { applicationView, eligibilityView, listRow } from './promotion-views.js';
import { TitleApplicationsQuery } from './title-applications.query.js';
import { OPEN_STATUSES, TitleApplicationsService } from './title-applications.service.js';
import { TitleDecisionsService } from './title-decisions.service.js';
import { TitleEligibilityService } from './title-eligibility.service.js';

type Form = Record<string, unknown>;
/** A form's blank inputs are absent values, not empty strings to validate. */
const filled = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));

/** Pages: my title (/me/title), a person's (/people/:id/title), the review queue and the application with its frozen dossier. */
@ApiExcludeController()
@Controller()
export class PromotionPagesController {
  constructor(
    private readonly eligibility: TitleEligibilityService,
    private readonly applications: TitleApplicationsService,
    private readonly decisions: TitleDecisionsService,
    private readonly query: TitleApplicationsQuery,
  ) {}

  @Get('me/title')
  @Authorize('signed_in')
  async mine(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    if (!access.personId) throw new NotFound('person');
    await this.personPage(access, access.personId, req, res);
  }

  @Get('people/:id/title')
  @Authorize('signed_in')
  async person(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.personPage(access, id, req, res);
  }

  @Post('titles/applications')
  @Authorize('signed_in')
  async open(@Access() access: AccessContext, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body ?? {}, ['personId', 'toTitle', 'statement']);
    const back = values.personId && values.personId !== access.personId ? `/people/${values.personId}/title` : '/me/title';
    await this.act(res, back, async () => {
      const input = await validated(OpenApplicationDto, filled(values));
      const { application } = await this.applications.open(access, input);
      return { to: `/titles/applications/${application.id}`, key: 'promotion.flash.opened' };
    });
  }

  @Get('titles/applications')
  @Authorize('titles.review')
  async queue(@Access() access: AccessContext, @Query() query: ApplicationListQuery, @Req() req: Request, @Res() res: Response) {
    const status = query.status ?? 'submitted';
    const items = await this.query.list({ reviewPaths: access.scopePaths('titles.review'), decidePaths: access.scopePaths('titles.decide'), status });
    res.render('pages/titles/promotion-queue', {
      title: translate(req.locale, 'promotion.queue.title'),
      status, statuses: APPLICATION_STATUSES, rows: items.map(listRow),
    });
  }

  @Get('titles/applications/:id')
  @Authorize('signed_in')
  async application(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const app = await this.applications.get(access, id);
    res.render('pages/titles/promotion-application', {
      title: translate(req.locale, 'promotion.application.title'),
      app: applicationView(app, access, req.locale),
    });
  }

  @Post('titles/applications/:id/statement')
  @Authorize('signed_in')
  async statement(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Res() res: Response) {
    await this.act(res, `/titles/applications/${id}`, async () => {
      const input = await validated(UpdateApplicationDto, pick(body ?? {}, ['statement', 'removeAttachment']));
      await this.applications.update(access, id, input, { file: null, problem: null });
      return { key: 'promotion.flash.saved' };
    });
  }

  /** Multipart (the attachment as `file`); the body was read before the guard, so `_csrf` is checked as on any form. */
  @Post('titles/applications/:id/attachments')
  @Authorize('signed_in')
  async attach(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Upload() upload: UploadState, @Res() res: Response) {
    await this.act(res, `/titles/applications/${id}`, async () => {
      if (!upload.file && !upload.problem) throw ValidationFailed.field('file', 'FILE_REQUIRED', 'choose a file');
      await this.applications.update(access, id, {}, upload);
      return { key: 'promotion.flash.attached' };
    });
  }

  @Post('titles/applications/:id/submit')
  @Authorize('signed_in')
  async submit(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Res() res: Response) {
    await this.act(res, `/titles/applications/${id}`, async () => {
      await this.applications.submit(access, id, await validated(SubmitApplicationDto, filled(pick(body ?? {}, ['overrideReason']))));
      return { key: 'promotion.flash.submitted' };
    });
  }

  @Post('titles/applications/:id/withdraw')
  @Authorize('signed_in')
  async withdraw(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    await this.act(res, `/titles/applications/${id}`, async () => {
      await this.applications.withdraw(access, id);
      return { key: 'promotion.flash.withdrawn' };
    });
  }

  @Post('titles/applications/:id/kindergarten-decision')
  @Authorize('titles.review')
  async kindergartenDecision(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Res() res: Response) {
    await this.act(res, `/titles/applications/${id}`, async () => {
      const input = await validated(KindergartenDecisionDto, filled(pick(body ?? {}, ['decision', 'comment', 'reasons'])));
      await this.decisions.kindergartenDecision(access, id, input);
      return { key: `promotion.flash.${input.decision}d` };
    });
  }

  @Post('titles/applications/:id/district-decision')
  @Authorize('titles.decide')
  async districtDecision(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Res() res: Response) {
    await this.act(res, `/titles/applications/${id}`, async () => {
      const input = await validated(DistrictDecisionDto, filled(pick(body ?? {}, ['decision', 'comment', 'reasons', 'effectiveDate'])));
      await this.decisions.districtDecision(access, id, input);
      return { key: `promotion.flash.${input.decision}d` };
    });
  }

  private async personPage(access: AccessContext, personId: string, req: Request, res: Response) {
    const { eligibility: judged, facts } = await this.eligibility.visibleWithFacts(access, personId);
    const self = access.isSelf(personId);
    const reviewer = access.canAt('titles.review', facts.path);
    const apps = self || reviewer ? await this.query.ofPerson(personId) : [];
    const open = apps.find((a) => (OPEN_STATUSES as readonly string[]).includes(a.status));
    res.render('pages/titles/promotion-eligibility', {
      title: translate(req.locale, self ? 'promotion.me.title' : 'promotion.person.title', { name: judged.fullName }),
      eligibility: eligibilityView(judged, req.locale),
      applications: apps.map(listRow),
      canOpen: !open && !!judged.nextTitle && (self || reviewer), personId: self ? null : personId,
    });
  }

  /** Runs a form's action; a refusal is flashed (in the reader's words) on the page it came from. */
  private async act(res: Response, back: string, action: () => Promise<{ to?: string; key: string }>) {
    try {
      const done = await action();
      flash(res, { kind: 'success', key: done.key });
      return res.redirect(303, done.to ?? back);
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      const key = error instanceof ValidationFailed ? `promotion.problem.${error.problems[0]?.field.replace(/\W.*$/, '') ?? 'invalid'}` : `errors.${error.code}`;
      flash(res, { kind: 'danger', key });
      return res.redirect(303, back);
    }
  }
}
