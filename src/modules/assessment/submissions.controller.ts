import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { SurveyResponseDoc } from './item.dto.js';
import { LearnerItemsService } from './learner-items.service.js';
import { UploadedFileList, type FilesUpload } from '../files/upload-parser.js';
import { SubmissionsService, type Handed } from './submissions.service.js';
import { SurveysService } from './surveys.service.js';

/** Learners hand in work and answer surveys; trainers see who handed in what. */
@ApiTags('assessment')
@ApiBearerAuth()
@Controller('api')
export class SubmissionsController {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly learnerItems: LearnerItemsService,
    private readonly surveys: SurveysService,
  ) {}

  @Get('offerings/:id/my-items')
  @Authorize('signed_in')
  myItems(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.learnerItems.myItems(access, id);
  }

  /** JSON `{body}` or multipart (`body` and files as `files`): 201 for a new attempt, 200 when it is the same as the latest. */
  @Post('items/:id/submissions')
  @Authorize('signed_in')
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { body: { type: 'string' }, files: { type: 'array', items: { type: 'string', format: 'binary' } } } } })
  async submit(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>,
    @UploadedFileList() upload: FilesUpload, @Res({ passthrough: true }) res: Response,
  ) {
    return answer(res, await this.submissions.submit(access, id, body ?? {}, upload));
  }

  /** One response per learner: the same answers again 200, different ones 409. */
  @Post('items/:id/responses')
  @Authorize('signed_in')
  @ApiBody({ type: SurveyResponseDoc })
  async respond(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.surveys.respond(access, id, body ?? {}));
  }

  @Get('items/:id/submissions')
  @Authorize('offering.teach')
  roster(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.submissions.roster(access, id);
  }

  @Get('submissions/:id')
  @Authorize('signed_in')
  get(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.submissions.get(access, id);
  }
}

function answer(res: Response, handed: Handed) {
  res.status(handed.created ? 201 : 200);
  return handed.submission;
}
