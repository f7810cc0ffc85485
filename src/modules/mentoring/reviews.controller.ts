import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { FinalAssessmentService } from './final-assessment.service.js';
import { AcceptReviewDto, FinalAssessmentDto, ReturnReviewDto, SubmitReviewDto, UpdateReviewDto } from './review.dto.js';
import { ReviewsService } from './reviews.service.js';

@ApiTags('mentoring')
@ApiBearerAuth()
@Controller('api/mentoring')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService, private readonly finals: FinalAssessmentService) {}

  @Get('pairings/:id/reviews')
  @Authorize('signed_in')
  list(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.reviews.list(access, id);
  }

  /** By the lead mentor, for a term that has started; the same submission again answers 200 with the review. */
  @Post('pairings/:id/reviews')
  @Authorize('signed_in')
  async submit(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: SubmitReviewDto, @Res({ passthrough: true }) res: Response) {
    const answer = await this.reviews.submit(access, id, body);
    res.status(answer.changed ? 201 : 200);
    return answer.review;
  }

  @Put('reviews/:id')
  @Authorize('signed_in')
  update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateReviewDto) {
    return this.reviews.update(access, id, body.mentorComment);
  }

  /** Awards the credit once; accepting again answers the review unchanged. */
  @Post('reviews/:id/accept')
  @Authorize('mentoring.manage')
  @HttpCode(200)
  async accept(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: AcceptReviewDto) {
    return (await this.reviews.accept(access, id, body)).review;
  }

  @Post('reviews/:id/return')
  @Authorize('mentoring.manage')
  @HttpCode(200)
  async return(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: ReturnReviewDto) {
    return (await this.reviews.returnReview(access, id, body.comment)).review;
  }

  @Get('overdue-reviews')
  @Authorize('mentoring.manage')
  overdue(@Access() access: AccessContext) {
    return this.reviews.overdue(access);
  }

  @Post('pairings/:id/final-assessment')
  @Authorize('mentoring.manage')
  @HttpCode(200)
  async finalAssessment(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: FinalAssessmentDto) {
    return (await this.finals.assess(access, id, body)).pairing;
  }
}
