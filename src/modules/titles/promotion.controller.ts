import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { Upload, type UploadState } from '../files/upload-parser.js';
import {
  ApplicationListQuery, CreateTitleRuleDto, DistrictDecisionDto, KindergartenDecisionDto, OpenApplicationDto, SubmitApplicationDto,
  TitleRulesQuery, UpdateApplicationDto,
} from './promotion.dto.js';
import { TitleApplicationsQuery } from './title-applications.query.js';
import { TitleApplicationsService } from './title-applications.service.js';
import { TitleDecisionsService } from './title-decisions.service.js';
import { TitleEligibilityService } from './title-eligibility.service.js';
import { TitleRulesService } from './title-rules.service.js';

@ApiTags('titles')
@ApiBearerAuth()
@Controller('api')
export class PromotionController {
  constructor(
    private readonly eligibility: TitleEligibilityService,
    private readonly rules: TitleRulesService,
    private readonly applications: TitleApplicationsService,
    private readonly decisions: TitleDecisionsService,
    private readonly query: TitleApplicationsQuery,
  ) {}

  /** The next title's conditions, each met or not with the date it will be met if nothing changes. */
  @Get('people/:id/title-eligibility')
  @Authorize('signed_in')
  titleEligibility(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.eligibility.visibleTo(access, id);
  }

  @Get('title-rules')
  @Authorize('signed_in')
  listRules(@Query() query: TitleRulesQuery) {
    return this.rules.list(query.region);
  }

  /** A new effective-dated version for a region in your scope; the same version again answers 200. */
  @Post('title-rules')
  @Authorize('titles.decide')
  async createRule(@Access() access: AccessContext, @Body() body: CreateTitleRuleDto, @Res({ passthrough: true }) res: Response) {
    const { rule, created } = await this.rules.create(access, body);
    res.status(created ? 201 : 200);
    return rule;
  }

  @Post('title-applications')
  @Authorize('signed_in')
  async open(@Access() access: AccessContext, @Body() body: OpenApplicationDto, @Res({ passthrough: true }) res: Response) {
    const { application, created } = await this.applications.open(access, body);
    res.status(created ? 201 : 200);
    return application;
  }

  @Get('title-applications')
  @Authorize('titles.review')
  list(@Access() access: AccessContext, @Query() query: ApplicationListQuery) {
    return this.query.list({
      reviewPaths: access.scopePaths('titles.review'), decidePaths: access.scopePaths('titles.decide'),
      status: query.status, kindergartenId: query.kindergarten,
    }).then((items) => ({ items }));
  }

  @Get('me/title-applications')
  @Authorize('signed_in')
  async mine(@Access() access: AccessContext) {
    return { items: access.personId ? await this.query.ofPerson(access.personId) : [] };
  }

  @Get('title-applications/:id')
  @Authorize('signed_in')
  get(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.applications.get(access, id);
  }

  /** JSON, or multipart/form-data with an attachment as the file field `file`. */
  @Patch('title-applications/:id')
  @Authorize('signed_in')
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { statement: { type: 'string' }, removeAttachment: { type: 'string' }, file: { type: 'string', format: 'binary' } } } })
  update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateApplicationDto, @Upload() upload: UploadState) {
    return this.applications.update(access, id, body, upload);
  }

  @Post('title-applications/:id/submit')
  @Authorize('signed_in')
  @HttpCode(200)
  submit(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: SubmitApplicationDto) {
    return this.applications.submit(access, id, body);
  }

  @Post('title-applications/:id/withdraw')
  @Authorize('signed_in')
  @HttpCode(200)
  withdraw(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.applications.withdraw(access, id);
  }

  @Post('title-applications/:id/kindergarten-decision')
  @Authorize('titles.review')
  @HttpCode(200)
  kindergartenDecision(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: KindergartenDecisionDto) {
    return this.decisions.kindergartenDecision(access, id, body);
  }

  @Post('title-applications/:id/district-decision')
  @Authorize('titles.decide')
  @HttpCode(200)
  districtDecision(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: DistrictDecisionDto) {
    return this.decisions.districtDecision(access, id, body);
  }
}
