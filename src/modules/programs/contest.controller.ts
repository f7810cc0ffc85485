import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { ContestEntriesService } from './contest-entries.service.js';
import { ContestReadsService, entryOut } from './contest-reads.service.js';
import { ContestResultsService } from './contest-results.service.js';
import { ContestResultsDto, EnterContestDto } from './contest.dto.js';

/** Contests (业务竞赛): entries, judging, publication of results. */
@ApiTags('contests')
@ApiBearerAuth()
@Controller('api')
export class ContestController {
  constructor(
    private readonly reads: ContestReadsService,
    private readonly entries: ContestEntriesService,
    private readonly results: ContestResultsService,
  ) {}

  /** The contest with the entry window, what the caller may do, their own entry, the entries they oversee, and the prizes once published. */
  @Get('programs/:id/contest')
  @Authorize('signed_in')
  view(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.reads.view(access, id);
  }

  /** Enters yourself, or (`personId`, kindergarten admins) one of your staff. An existing entry answers 200. */
  @Post('programs/:id/contest/entries')
  @Authorize('signed_in')
  async enter(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: EnterContestDto, @Res({ passthrough: true }) res: Response) {
    const { entry, created } = await this.entries.enter(access, id, body.personId?.toLowerCase());
    res.status(created ? 201 : 200);
    return entryOut(entry, false);
  }

  @Post('contest-entries/:id/withdraw')
  @Authorize('signed_in')
  @HttpCode(200)
  async withdraw(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return entryOut(await this.entries.withdraw(access, id), false);
  }

  /** A results sheet: `{ results: [{ entryId, score?, award }] }`; all lines are saved or none. Refused (409) once published. */
  @Put('programs/:id/contest/results')
  @Authorize('programs.manage')
  async judge(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: ContestResultsDto) {
    return { items: (await this.results.judge(access, id, body.results)).map((r) => entryOut(r, true)) };
  }

  /** Publishes the results: each prize becomes a ledger entry and an honour, once. */
  @Post('programs/:id/contest/publish')
  @Authorize('programs.manage')
  @HttpCode(200)
  publish(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.results.publish(access, id);
  }

  @Get('me/contest-entries')
  @Authorize('signed_in')
  async mine(@Access() access: AccessContext) {
    return { items: await this.reads.mine(access) };
  }
}
