import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { UploadedFileList, type FilesUpload } from '../files/upload-parser.js';
import { ActivitiesService } from './activities.service.js';
import { ACTIVITY_KINDS } from './mentoring.entities.js';
import { DisputeActivityDto, TermQuery } from './activity.dto.js';

@ApiTags('mentoring')
@ApiBearerAuth()
@Controller('api/mentoring')
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  /** JSON or multipart/form-data with evidence as `files`; the same log again shortly after answers 200 with the first. */
  @Post('pairings/:id/activities')
  @Authorize('signed_in')
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { type: 'object', required: ['kind', 'occurredOn', 'durationMinutes'], properties: {
    kind: { type: 'string', enum: [...ACTIVITY_KINDS] }, actorPersonId: { type: 'string', format: 'uuid' }, occurredOn: { type: 'string', format: 'date' },
    durationMinutes: { type: 'integer' }, notes: { type: 'string' }, files: { type: 'array', items: { type: 'string', format: 'binary' } } } } })
  async log(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>,
    @UploadedFileList() upload: FilesUpload, @Res({ passthrough: true }) res: Response,
  ) {
    const answer = await this.activities.log(access, id, body, upload);
    res.status(answer.created ? 201 : 200);
    return answer.activity;
  }

  @Get('pairings/:id/activities')
  @Authorize('signed_in')
  list(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: TermQuery) {
    return this.activities.list(access, id, query.term);
  }

  @Get('pairings/:id/progress')
  @Authorize('signed_in')
  progress(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: TermQuery) {
    return this.activities.progress(access, id, query.term);
  }

  /** By the other side; confirming again answers the log unchanged. */
  @Post('activities/:id/confirm')
  @Authorize('signed_in')
  @HttpCode(200)
  confirm(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.activities.confirm(access, id);
  }

  @Post('activities/:id/dispute')
  @Authorize('signed_in')
  @HttpCode(200)
  dispute(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: DisputeActivityDto) {
    return this.activities.dispute(access, id, body.reason);
  }
}
