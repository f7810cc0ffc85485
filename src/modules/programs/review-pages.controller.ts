import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { refusal, shownInPlace } from './program-views.js';
import { inboxRow, reviewPage } from './review-views.js';
import { ReviewsService } from './reviews.service.js';

type Form = Record<string, unknown>;

/** The reviewer's pages: the inbox of assigned applications and one application with its dossier and the scoring form. */
@ApiExcludeController()
@Controller('program-reviews')
export class ReviewPagesController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  @Authorize('programs.review')
  async inbox(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    const rows = (await this.reviews.inbox(access)).map((r) => inboxRow(r, req.locale));
    res.render('pages/programs/reviews-inbox', {
      title: translate(req.locale, 'programs.reviews.title'),
      waiting: rows.filter((r) => !r.scored), scored: rows.filter((r) => r.scored),
    });
  }

  @Get(':applicationId')
  @Authorize('programs.review')
  async show(@Access() access: AccessContext, @Param('applicationId', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const review = await this.reviews.review(access, id);
    res.render('pages/programs/review', { title: translate(req.locale, 'programs.review.title'), error: null, ...reviewPage(review, req.locale, null, {}, null) });
  }

  /** Fields `score.<criterion code>` and `comment`; a refusal shows the form again as typed, each bad score named. */
  @Post(':applicationId')
  @Authorize('programs.review')
  async score(@Access() access: AccessContext, @Param('applicationId', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const typed: Record<string, string> = {};
    for (const [key, value] of Object.entries(body ?? {})) if (key.startsWith('score.') && typeof value === 'string') typed[key.slice(6)] = value.trim();
    const comment = typeof body?.comment === 'string' ? body.comment.trim() : '';
    const scores = Object.fromEntries(Object.entries(typed).filter(([, v]) => v !== '').map(([k, v]) => [k, Number.isNaN(Number(v)) ? v : Number(v)]));
    try {
      await this.reviews.score(access, id, { scores, comment });
      flash(res, { kind: 'success', key: 'programs.flash.scored' });
      return res.redirect(303, `/program-reviews/${id}`);
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      const errors: Record<string, string> = {};
      if (error instanceof ValidationFailed) for (const p of error.problems) {
        const key = `programs.problem.score.${p.code}`;
        errors[p.field] ??= translate(req.locale, hasTranslation(req.locale, key) ? key : 'programs.problem.invalid');
      }
      const review = await this.reviews.review(access, id);
      res.status((error as DomainError).status).render('pages/programs/review', {
        title: translate(req.locale, 'programs.review.title'),
        error: error instanceof ValidationFailed ? translate(req.locale, 'programs.review.fix') : refusal(error, req.locale),
        ...reviewPage(review, req.locale, typed, errors, comment),
      });
    }
  }
}
