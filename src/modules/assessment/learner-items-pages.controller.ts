import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { shownInPlace } from '../enrollment/enrollment-views.js';
import { acceptOf, answersFromForm, attemptRow, formErrors, learnerRow, megabytes, refusal, surveyForm } from './assessment-views.js';
import { LearnerItemsService } from './learner-items.service.js';
import { UploadedFileList, type FilesUpload } from '../files/upload-parser.js';
import { SubmissionsService } from './submissions.service.js';
import { SurveysService } from './surveys.service.js';

type Form = Record<string, unknown>;

/** What a learner entered on a refused form, shown again with the messages. */
interface Entered {
  body: string;
  answers: Record<string, unknown>;
  errors: Record<string, string>;
  error: string | null;
}

const NOTHING: Entered = { body: '', answers: {}, errors: {}, error: null };

/** The learner's pages: an offering's items, and one item with the form to hand in (or answer) and the history. */
@ApiExcludeController()
@Controller('learning')
export class LearnerItemsPagesController {
  constructor(
    private readonly learnerItems: LearnerItemsService,
    private readonly submissions: SubmissionsService,
    private readonly surveys: SurveysService,
  ) {}

  @Get('offerings/:id/items')
  @Authorize('signed_in')
  async list(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const mine = await this.learnerItems.myItems(access, id);
    res.render('pages/assessment/my-items', {
      title: mine.offering.courseTitle, offering: mine.offering, items: mine.items.map((item) => learnerRow(item, req.locale)),
    });
  }

  @Get('items/:id')
  @Authorize('signed_in')
  async item(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.render(access, id, req, res, NOTHING, 200);
  }

  /** Multipart (text and files); the files were read before the guard, so `_csrf` is checked as on any form. */
  @Post('items/:id/submissions')
  @Authorize('signed_in')
  async submit(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @UploadedFileList() upload: FilesUpload,
    @Req() req: Request, @Res() res: Response,
  ) {
    const text = typeof body?.body === 'string' ? body.body : '';
    try {
      const handed = await this.submissions.submit(access, id, text ? { body: text } : {}, upload);
      flash(res, { kind: 'success', key: handed.created ? 'assessment.flash.submitted' : 'assessment.flash.unchanged' });
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      const errors = formErrors(error, req.locale, (field) => (field.startsWith('files') ? 'files' : field)) ?? {};
      const entered = { ...NOTHING, body: text, errors, error: Object.keys(errors).length ? null : refusal(error, req.locale) };
      return this.render(access, id, req, res, entered, error.status);
    }
    res.redirect(303, `/learning/items/${id}`);
  }

  @Post('items/:id/responses')
  @Authorize('signed_in')
  async respond(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const { item } = await this.learnerItems.myItem(access, id);
    const answers = answersFromForm(item.questions, body?.answers);
    try {
      const handed = await this.surveys.respond(access, id, { answers });
      flash(res, { kind: 'success', key: handed.created ? 'assessment.flash.answered' : 'assessment.flash.unchanged' });
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      const errors = formErrors(error, req.locale) ?? {};
      return this.render(access, id, req, res, { ...NOTHING, answers, errors, error: Object.keys(errors).length ? null : refusal(error, req.locale) }, error.status);
    }
    res.redirect(303, `/learning/items/${id}`);
  }

  private async render(access: AccessContext, id: string, req: Request, res: Response, entered: Entered, status: number) {
    const mine = await this.learnerItems.myItem(access, id);
    const item = mine.item;
    res.status(status).render('pages/assessment/my-item', {
      title: item.title,
      offering: mine.offering,
      item: {
        ...learnerRow(item, req.locale), instructions: item.instructions ?? '',
        takesText: item.submissionModes.includes('text'), takesFiles: item.submissionModes.includes('file'),
        accept: acceptOf(item.allowedFileTypes), maxFileSize: megabytes(item.maxFileBytes), maxFiles: item.maxFiles,
        isAssignment: item.kind === 'assignment', isSurvey: item.kind === 'survey', isOffline: item.kind === 'offline',
      },
      form: {
        body: entered.body, errors: entered.errors, error: entered.error,
        questions: item.kind === 'survey' ? surveyForm(item.questions, entered.answers, entered.errors) : [],
        bodyError: entered.errors.body ?? null, filesError: entered.errors.files ?? null,
        answersError: entered.errors.answers ?? null, open: !!entered.error || Object.keys(entered.errors).length > 0,
      },
      history: mine.attempts.map((a) => attemptRow(a, item.questions)),
    });
  }
}
