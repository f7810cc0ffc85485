import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { DomainError } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { pick } from '../enrollment/enrollment-views.js';
import { UploadedFileList, type FilesUpload } from '../files/upload-parser.js';
import { FileStorageService } from '../files/file-storage.service.js';
import { ActivitiesQuery } from './activities.query.js';
import { ActivitiesService, partiesOf } from './activities.service.js';
import { MAX_EVIDENCE_FILES } from './activity-rules.js';
import { ACTIVITY_KINDS } from './mentoring.entities.js';
import { LOG_FIELDS, activityRows, actorChoices, blankForm, formErrors, pairingHeader, progressView, type FormState } from './mentoring-work-views.js';
import { PairingsDirectory } from './pairings-directory.service.js';
import { isTermCode, termOf, termsBetween } from './terms.js';

type Form = Record<string, unknown>;

/** Where a form asked to go back to: a page of this site only. */
export function backTo(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(mentoring|me)\/[\w\-/?=&.]*$/.test(value) ? value : fallback;
}

/** The activity log of a pairing (log form with evidence, confirm or dispute, this term's progress) (a person's own progress is on /me/mentoring). */
@ApiExcludeController()
@Controller()
export class MentoringWorkPagesController {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly query: ActivitiesQuery,
    private readonly pairings: PairingsDirectory,
    private readonly files: FileStorageService,
  ) {}

  @Get('mentoring/pairings/:id/activities')
  @Authorize('signed_in')
  async log(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query('term') term: unknown, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, id, isTermCode(term) ? term : null, null, 200);
  }

  /** Multipart (evidence files); the body was read before the guard, so `_csrf` is checked as on any form. */
  @Post('mentoring/pairings/:id/activities/log')
  @Authorize('signed_in')
  async submit(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @UploadedFileList() upload: FilesUpload,
    @Req() req: Request, @Res() res: Response,
  ) {
    const values = pick(body ?? {}, [...LOG_FIELDS]);
    try {
      const answer = await this.activities.log(access, id, values, upload);
      flash(res, { kind: 'success', key: answer.created ? 'mentoring.work.flash.logged' : 'mentoring.work.flash.unchanged' });
      return res.redirect(303, `/mentoring/pairings/${id}/activities?term=${answer.activity.term}`);
    } catch (error) {
      const errors = formErrors(error, LOG_FIELDS, values, req.locale);
      if (!errors) throw error;
      return this.render(access, req, res, id, null, { values: { ...blankForm(LOG_FIELDS).values, ...values }, errors }, (error as DomainError).status);
    }
  }

  @Post('mentoring/activities/:id/confirm')
  @Authorize('signed_in')
  async confirm(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Res() res: Response) {
    await this.answer(res, body, () => this.activities.confirm(access, id), 'mentoring.work.flash.confirmed');
  }

  @Post('mentoring/activities/:id/dispute')
  @Authorize('signed_in')
  async dispute(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Res() res: Response) {
    const reason = typeof body?.reason === 'string' ? body.reason.trim() : '';
    if (!reason) {
      flash(res, { kind: 'danger', key: 'mentoring.work.problem.disputeReason' });
      return res.redirect(303, backTo(body?.next, '/me/mentoring'));
    }
    await this.answer(res, body, () => this.activities.dispute(access, id, reason.slice(0, 1000)), 'mentoring.work.flash.disputed');
  }

  private async answer(res: Response, body: Form, work: () => Promise<{ pairingId: string }>, successKey: string) {
    try {
      const activity = await work();
      flash(res, { kind: 'success', key: successKey });
      res.redirect(303, backTo(body?.next, `/mentoring/pairings/${activity.pairingId}/activities`));
    } catch (error) {
      if (!(error instanceof DomainError) || error.status === 404 || error.status >= 500) throw error;
      flash(res, { kind: 'danger', key: `errors.${error.code}` });
      res.redirect(303, backTo(body?.next, '/me/mentoring'));
    }
  }

  private async render(access: AccessContext, req: Request, res: Response, id: string, term: string | null, form: FormState | null, status: number) {
    const context = await this.pairings.context(access, id);
    const { pairing } = context;
    const shown = term ?? termOf(shanghaiDate());
    const names = await this.query.names([pairing.menteePersonId, ...context.links.map((l) => l.mentorPersonId)]);
    const [items, progress] = await Promise.all([this.query.list(id, shown), this.activities.progressOf(context, shown)]);
    const canLog = context.as !== 'admin' && pairing.status === 'active';
    const terms = termsBetween(pairing.startsOn, pairing.endsOn);
    res.status(status).render('pages/mentoring/work-activities', {
      title: translate(req.locale, 'mentoring.work.activities.title'),
      pairing: pairingHeader(context, names),
      term: shown,
      terms: terms.includes(shown) ? terms : [...terms, shown].sort(),
      progress: progressView(progress),
      rows: activityRows(items, partiesOf(context), access.personId),
      canLog,
      form: form ?? blankForm(LOG_FIELDS, { occurredOn: shanghaiDate() > pairing.endsOn ? pairing.endsOn : shanghaiDate(), kind: 'observation', durationMinutes: '40', actorPersonId: access.personId ?? '' }),
      formOpen: !!form,
      kinds: ACTIVITY_KINDS,
      actors: actorChoices(context, names),
      maxFiles: MAX_EVIDENCE_FILES,
      maxMb: Math.floor(this.files.maxBytes / (1024 * 1024)) || 1,
      next: `/mentoring/pairings/${id}/activities?term=${shown}`,
      errorText: form?.errors.form ?? null,
    });
  }
}
