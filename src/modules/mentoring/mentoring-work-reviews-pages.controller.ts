import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { DomainError } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { pick, validated } from '../enrollment/enrollment-views.js';
import { ActivitiesQuery } from './activities.query.js';
import { FinalAssessmentService } from './final-assessment.service.js';
import { FINAL_GRADES } from './mentoring.entities.js';
import { REVIEW_FIELDS, blankForm, formErrors, pairingHeader, refusal, reviewRows, reviewableTerms, type FormState } from './mentoring-work-views.js';
import { PairingsDirectory } from './pairings-directory.service.js';
import { FinalAssessmentDto, SubmitReviewDto } from './review.dto.js';
import { ReviewsService } from './reviews.service.js';
import { backTo } from './mentoring-work-pages.controller.js';

type Form = Record<string, unknown>;
const FINAL_FIELDS = ['grade', 'comment'] as const;

/** Term reviews of a pairing (the lead mentor's form, the kindergarten's accept or return), the final assessment, and the overdue list. */
@ApiExcludeController()
@Controller('mentoring')
export class MentoringWorkReviewsPagesController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly finals: FinalAssessmentService,
    private readonly pairings: PairingsDirectory,
    private readonly query: ActivitiesQuery,
  ) {}

  @Get('pairings/:id/reviews')
  @Authorize('signed_in')
  async page(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, id, {}, 200);
  }

  /** Submits the term's review, or rewrites the one already submitted or returned. */
  @Post('pairings/:id/reviews/submit')
  @Authorize('signed_in')
  async submit(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body ?? {}, [...REVIEW_FIELDS]);
    try {
      const input = await validated(SubmitReviewDto, values);
      const earlier = (await this.reviews.list(access, id)).find((r) => r.term === input.term && r.status !== 'accepted');
      if (earlier) await this.reviews.update(access, earlier.id, input.mentorComment);
      else await this.reviews.submit(access, id, input);
    } catch (error) {
      const errors = formErrors(error, REVIEW_FIELDS, values, req.locale);
      if (!errors) throw error;
      return this.render(access, req, res, id, { review: { values: { ...blankForm(REVIEW_FIELDS).values, ...values }, errors } }, (error as DomainError).status);
    }
    flash(res, { kind: 'success', key: 'mentoring.work.flash.reviewSubmitted' });
    res.redirect(303, `/mentoring/pairings/${id}/reviews`);
  }

  @Post('reviews/:id/accept')
  @Authorize('mentoring.manage')
  async accept(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    await this.decide(access, id, 'accept', body, req, res);
  }

  @Post('reviews/:id/return')
  @Authorize('mentoring.manage')
  async return(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    await this.decide(access, id, 'return', body, req, res);
  }

  private async decide(access: AccessContext, id: string, decision: 'accept' | 'return', body: Form, req: Request, res: Response) {
    const comment = typeof body?.comment === 'string' ? body.comment.trim().slice(0, 2000) : '';
    const back = backTo(body?.next, '/mentoring/overdue');
    try {
      if (decision === 'return' && !comment) throw new DomainError('RETURN_COMMENT_REQUIRED', 400, 'Say what to change');
      const answer = decision === 'accept' ? await this.reviews.accept(access, id, { comment: comment || undefined }) : await this.reviews.returnReview(access, id, comment);
      flash(res, { kind: 'success', key: answer.changed ? `mentoring.work.flash.${decision}ed` : 'mentoring.work.flash.unchanged' });
    } catch (error) {
      if (!(error instanceof DomainError) || error.status === 404 || error.status >= 500) throw error;
      const match = /^\/mentoring\/pairings\/([0-9a-f-]{36})\/reviews$/.exec(back);
      if (!match) throw error;
      return this.render(access, req, res, match[1], { rowError: { id, message: refusal(error, req.locale), comment } }, error.status);
    }
    res.redirect(303, back);
  }

  @Post('pairings/:id/final-assessment/submit')
  @Authorize('mentoring.manage')
  async finalAssessment(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body ?? {}, [...FINAL_FIELDS]);
    try {
      const input = await validated(FinalAssessmentDto, { grade: values.grade, ...(values.comment ? { comment: values.comment } : {}) });
      await this.finals.assess(access, id, input);
    } catch (error) {
      const errors = formErrors(error, FINAL_FIELDS, values, req.locale);
      if (!errors) throw error;
      return this.render(access, req, res, id, { final: { values: { ...blankForm(FINAL_FIELDS).values, ...values }, errors } }, (error as DomainError).status);
    }
    flash(res, { kind: 'success', key: 'mentoring.work.flash.assessed' });
    res.redirect(303, `/mentoring/pairings/${id}/reviews`);
  }

  @Get('overdue')
  @Authorize('mentoring.manage')
  async overdue(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    res.render('pages/mentoring/work-overdue', { title: translate(req.locale, 'mentoring.work.overdue.title'), rows: await this.reviews.overdue(access) });
  }

  private async render(
    access: AccessContext, req: Request, res: Response, id: string,
    state: { review?: FormState; final?: FormState; rowError?: { id: string; message: string; comment: string } }, status: number,
  ) {
    const context = await this.pairings.context(access, id);
    const { pairing } = context;
    const names = await this.query.names([pairing.menteePersonId, ...context.links.map((l) => l.mentorPersonId)]);
    const reviews = await this.reviews.list(access, id);
    const today = shanghaiDate();
    const menteePath = context.kindergartenPaths[pairing.menteeKindergartenId];
    const isAdmin = context.as === 'admin' && access.canAt('mentoring.manage', menteePath);
    const terms = reviewableTerms(pairing.startsOn, pairing.endsOn, today, reviews);
    const isLead = context.as === 'mentor' && context.mentorRole === 'lead' && ['active', 'ended'].includes(pairing.status);
    res.status(status).render('pages/mentoring/work-reviews', {
      title: translate(req.locale, 'mentoring.work.reviews.title'),
      pairing: pairingHeader(context, names),
      rows: reviewRows(reviews, isAdmin, state.rowError ?? null),
      reviewForm: isLead && terms.length ? { ...(state.review ?? blankForm(REVIEW_FIELDS, { term: terms[terms.length - 1] })), terms } : null,
      finalForm: isAdmin && !pairing.finalGrade && pairing.status === 'active'
        ? { ...(state.final ?? blankForm(FINAL_FIELDS)), grades: FINAL_GRADES, finished: today >= pairing.endsOn } : null,
      next: `/mentoring/pairings/${id}/reviews`,
    });
  }
}
