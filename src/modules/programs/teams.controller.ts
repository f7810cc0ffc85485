import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { UploadedFileList, type FilesUpload } from '../files/upload-parser.js';
import { CohortReadsService } from './cohort-reads.service.js';
import { OUTPUT_KINDS } from './cohort.entities.js';
import { AddMembersDto, MilestoneDto, ReviewOutputDto, TeamPlanDto, UpdateMilestoneDto, UpdateTeamDto } from './cohort.dto.js';
import { OutputsService } from './outputs.service.js';
import { TeamWorkService } from './team-work.service.js';
import { TeamsService } from './teams.service.js';

/** The team space (研修团队): plan, milestones and outputs for its host, members and the district staff. */
@ApiTags('programs')
@ApiBearerAuth()
@Controller('api')
export class TeamsController {
  constructor(
    private readonly reads: CohortReadsService,
    private readonly teams: TeamsService,
    private readonly work: TeamWorkService,
    private readonly outputs: OutputsService,
  ) {}

  @Get('teams/:id')
  @Authorize('signed_in')
  space(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.reads.teamSpace(access, id);
  }

  @Patch('teams/:id')
  @Authorize('programs.manage')
  update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateTeamDto) {
    return this.teams.update(access, id, body);
  }

  @Post('teams/:id/members')
  @Authorize('programs.manage')
  @HttpCode(200)
  addMembers(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: AddMembersDto) {
    return this.teams.addMembers(access, id, body.memberIds);
  }

  /** The host or district staff; `version` is the one read (stale: 409). */
  @Put('teams/:id/plan')
  @Authorize('signed_in')
  plan(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: TeamPlanDto) {
    return this.work.editPlan(access, id, body);
  }

  @Post('teams/:id/milestones')
  @Authorize('signed_in')
  async addMilestone(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: MilestoneDto, @Res({ passthrough: true }) res: Response) {
    const answer = await this.work.addMilestone(access, id, body);
    res.status(answer.created ? 201 : 200);
    return answer.milestone;
  }

  @Patch('milestones/:id')
  @Authorize('signed_in')
  updateMilestone(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdateMilestoneDto) {
    return this.work.updateMilestone(access, id, body);
  }

  /** An active member of the team, JSON or multipart with files as `files`; the same submission again answers 200 with the first. */
  @Post('teams/:id/outputs')
  @Authorize('signed_in')
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { type: 'object', required: ['kind', 'title', 'occurredOn'], properties: {
    kind: { type: 'string', enum: [...OUTPUT_KINDS] }, title: { type: 'string' }, occurredOn: { type: 'string', format: 'date' },
    description: { type: 'string' }, files: { type: 'array', items: { type: 'string', format: 'binary' } } } } })
  async submit(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>,
    @UploadedFileList() upload: FilesUpload, @Res({ passthrough: true }) res: Response,
  ) {
    const answer = await this.outputs.submit(access, id, body, upload);
    res.status(answer.changed ? 201 : 200);
    return answer.output;
  }

  /** The host or district staff; accepting again changes nothing. */
  @Post('outputs/:id/accept')
  @Authorize('signed_in')
  @HttpCode(200)
  async accept(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: ReviewOutputDto) {
    return (await this.outputs.accept(access, id, body.comment || null)).output;
  }

  /** Back to the author with a comment (required). */
  @Post('outputs/:id/return')
  @Authorize('signed_in')
  @HttpCode(200)
  async returnOutput(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: ReviewOutputDto) {
    return (await this.outputs.returnOutput(access, id, body.comment || null)).output;
  }
}
