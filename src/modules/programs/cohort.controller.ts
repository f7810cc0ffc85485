import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CohortReadsService } from './cohort-reads.service.js';
import { AlumniQuery, AssessmentDto, CreateTeamDto, ExitDto, MemberTeamDto, TransferDto } from './cohort.dto.js';
import { MemberAssessmentsService } from './member-assessments.service.js';
import { MemberMovesService } from './member-moves.service.js';
import { TeamsService } from './teams.service.js';

/** A cohort as district staff run it: teams, members' teams, assessments and completion, exits, moves, promotions, alumni. */
@ApiTags('programs')
@ApiBearerAuth()
@Controller('api')
export class CohortController {
  constructor(
    private readonly reads: CohortReadsService,
    private readonly teams: TeamsService,
    private readonly assessments: MemberAssessmentsService,
    private readonly moves: MemberMovesService,
  ) {}

  /** Completed members across the programs in scope; `q` is part of the name. */
  @Get('programs/alumni')
  @Authorize('programs.manage')
  alumni(@Access() access: AccessContext, @Query() query: AlumniQuery) {
    return this.reads.alumni(access, {
      tier: query.tier, round: query.round, q: query.q, kindergartenId: query.kindergartenId, page: query.page, pageSize: query.pageSize,
    });
  }

  @Get('programs/:id/cohort')
  @Authorize('programs.manage')
  overview(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.reads.overview(access, id);
  }

  /** 201 with the new team; the same name and host again answers 200 with the earlier one. */
  @Post('programs/:id/teams')
  @Authorize('programs.manage')
  async createTeam(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: CreateTeamDto, @Res({ passthrough: true }) res: Response) {
    const answer = await this.teams.create(access, id, body);
    res.status(answer.created ? 201 : 200);
    return answer.team;
  }

  @Put('program-members/:id/team')
  @Authorize('programs.manage')
  setTeam(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: MemberTeamDto) {
    return this.teams.setMemberTeam(access, id, body.teamId);
  }

  /** Mid-term or final; a final excellent/pass completes the member (credit and honour once), a final fail ends as failed. */
  @Post('program-members/:id/assessment')
  @Authorize('programs.manage')
  @HttpCode(200)
  assess(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: AssessmentDto) {
    return this.assessments.assess(access, id, body);
  }

  @Post('program-members/:id/exit')
  @Authorize('programs.manage')
  @HttpCode(200)
  exit(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: ExitDto) {
    return this.moves.exit(access, id, body);
  }

  @Post('program-members/:id/move')
  @Authorize('programs.manage')
  @HttpCode(200)
  move(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: TransferDto) {
    return this.moves.move(access, id, body.targetProgramId);
  }

  @Post('program-members/:id/promote')
  @Authorize('programs.manage')
  @HttpCode(200)
  promote(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: TransferDto) {
    return this.moves.promote(access, id, body.targetProgramId);
  }

  /** The caller's memberships with their own assessments, and the teams they host. */
  @Get('me/program-memberships')
  @Authorize('signed_in')
  mine(@Access() access: AccessContext) {
    return this.reads.mine(access);
  }
}
