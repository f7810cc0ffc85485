import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CoverageService } from './coverage.service.js';
import { GapPlanningService } from './gap-planning.service.js';
import { StaffingService } from './staffing.service.js';
import { TargetDefinitionsService } from './target-definitions.service.js';
import { CoverageQueryDto, CreateTargetDto, GapsQueryDto, StaffingQueryDto, TargetsQueryDto, UpdateTargetDto } from './targets.dto.js';
import { TargetsService } from './targets.service.js';

@ApiTags('targets')
@ApiBearerAuth()
@Controller('api')
export class TargetsController {
  constructor(
    private readonly targets: TargetsService,
    private readonly definitions: TargetDefinitionsService,
    private readonly coverage: CoverageService,
    private readonly gaps: GapPlanningService,
    private readonly staffing: StaffingService,
  ) {}

  /** Each target in force with its live value, threshold, met, deadline and status (met / on_track / behind / overdue). */
  @Get('targets')
  @Authorize('targets.read')
  list(@Access() access: AccessContext, @Query() query: TargetsQueryDto) {
    return this.targets.forAccess(access, query.orgUnit, query.asOf);
  }

  /** The district's definitions, archived ones included. */
  @Get('targets/definitions')
  @Authorize('targets.manage')
  async definitionList(@Access() access: AccessContext) {
    return { items: await this.targets.definitions(access.districtIdFor('targets.manage')) };
  }

  /** A district's own target; the same definition again answers 200 with the first. */
  @Post('targets')
  @Authorize('targets.manage')
  async create(@Access() access: AccessContext, @Body() body: CreateTargetDto, @Res({ passthrough: true }) res: Response) {
    const answer = await this.definitions.create(access, body);
    res.status(answer.changed ? 201 : 200);
    return answer.target;
  }

  /** On a default (every district's) target this writes the district's override of its code. */
  @Patch('targets/:id')
  @Authorize('targets.manage')
  async update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateTargetDto) {
    return (await this.definitions.update(access, id, body)).target;
  }

  @Post('targets/:id/archive')
  @Authorize('targets.manage')
  @HttpCode(200)
  async archive(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return (await this.definitions.archive(access, id)).target;
  }

  /** Each kindergarten's 高级/正高级 count (rotations counted as recorded), whether it is covered, and the share, by town and by group. */
  @Get('reports/title-coverage')
  @Authorize('targets.read')
  async titleCoverage(@Access() access: AccessContext, @Query() query: CoverageQueryDto, @Res() res: Response) {
    // Sent as the text the database assembled (a city's report is hundreds of kilobytes).
    res.type('application/json').send(await this.coverage.forAccessJson(access, query.orgUnit, { ownership: query.ownership, asOf: query.asOf }));
  }

  /** Kindergartens without a senior-title teacher, their candidates and rotation options, and a plan that covers the most by `by`. */
  @Get('reports/title-coverage/gaps')
  @Authorize('targets.read')
  titleGaps(@Access() access: AccessContext, @Query() query: GapsQueryDto) {
    return this.gaps.gaps(access, query.orgUnit, query.by);
  }

  /** Each kindergarten's staff against the staffing standard in force, and certificate coverage (持证上岗). */
  @Get('reports/staffing')
  @Authorize('targets.read')
  staffingReport(@Access() access: AccessContext, @Query() query: StaffingQueryDto) {
    return this.staffing.report(access, query.orgUnit, { ownership: query.ownership, asOf: query.asOf });
  }
}
