import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { ProgramsDirectory } from './programs-directory.service.js';
import { ReviewsQuery } from './reviews.query.js';
import { ReviewsService } from './reviews.service.js';

@ApiTags('programs')
@ApiBearerAuth()
@Controller('api')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService, private readonly query: ReviewsQuery, private readonly directory: ProgramsDirectory) {}

  /** Every reviewer named to every application named (bulk); pairs assigned already are kept. */
  @Post('programs/:id/review-assignments')
  @Authorize('programs.manage')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', required: ['applicationIds', 'reviewerUserIds'], properties: {
    applicationIds: { type: 'array', items: { type: 'string', format: 'uuid' } }, reviewerUserIds: { type: 'array', items: { type: 'string', format: 'uuid' } } } } })
  assign(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>) {
    return this.reviews.assign(access, id, body ?? {});
  }

  /** The users who may review the program: experts without an org scope and reviewers reaching its district. */
  @Get('programs/:id/reviewers')
  @Authorize('programs.manage')
  async reviewers(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    const program = await this.directory.forManager(access, id);
    return { items: await this.query.reviewerChoices(await this.directory.districtPath(program)) };
  }

  @Delete('program-applications/:id/reviewers/:userId')
  @Authorize('programs.manage')
  @HttpCode(204)
  async unassign(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('userId', RecordIdPipe) userId: string) {
    await this.reviews.unassign(access, id, userId);
  }

  /** The caller's assigned applications, scored or not. */
  @Get('program-reviews')
  @Authorize('programs.review')
  async inbox(@Access() access: AccessContext) {
    return { items: await this.reviews.inbox(access) };
  }

  @Get('program-reviews/:applicationId')
  @Authorize('programs.review')
  review(@Access() access: AccessContext, @Param('applicationId', RecordIdPipe) id: string) {
    return this.reviews.review(access, id);
  }

  /** `{scores: {criterionCode: points}, comment}`; again (until the round closes) replaces the score. */
  @Put('program-reviews/:applicationId')
  @Authorize('programs.review')
  @ApiBody({ schema: { type: 'object', required: ['scores'], properties: { scores: { type: 'object', additionalProperties: { type: 'number' } }, comment: { type: 'string' } } } })
  score(@Access() access: AccessContext, @Param('applicationId', RecordIdPipe) id: string, @Body() body: Record<string, unknown>) {
    return this.reviews.score(access, id, body ?? {});
  }
}
