import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { ChecksService } from './checks.service.js';
import { DueChecksQueryDto, RecordCandidateCheckDto, RecordCheckDto } from './checks.dto.js';

/**
 * Background checks (入职查询). Declared 'signed_in' on purpose: anyone without checks.manage over
 * the person (kindergarten admins, the person themself) gets 404, as if the records did not exist.
 */
@ApiTags('background-checks')
@ApiBearerAuth()
@Controller('api')
export class ChecksController {
  constructor(private readonly checks: ChecksService) {}

  @Get('people/:personId/background-checks')
  @Authorize('signed_in')
  async list(@Access() access: AccessContext, @Param('personId', RecordIdPipe) personId: string) {
    return { items: await this.checks.list(access, personId) };
  }

  @Post('people/:personId/background-checks')
  @Authorize('signed_in')
  record(@Access() access: AccessContext, @Param('personId', RecordIdPipe) personId: string, @Body() body: RecordCheckDto) {
    return this.checks.record(access, personId, body);
  }

  /** A candidate's pre-employment check by national ID, before the kindergarten creates their record. */
  @Post('background-checks')
  @Authorize('signed_in')
  recordCandidate(@Access() access: AccessContext, @Body() body: RecordCandidateCheckDto) {
    return this.checks.recordCandidate(access, body);
  }

  @Get('background-checks/due')
  @Authorize('signed_in')
  due(@Access() access: AccessContext, @Query() query: DueChecksQueryDto) {
    return this.checks.due(access, query.asOf);
  }
}
