import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { MentoringRulesService } from './mentoring-rules.service.js';
import { PairingLifecycleService } from './pairing-lifecycle.service.js';
import { PairingReadsService } from './pairing-reads.service.js';
import { PairingsService } from './pairings.service.js';
import {
  CancelPairingDto, DecisionDto, EndPairingDto, MentoringRuleDto, PairingListQuery, ProposePairingDto, RuleQuery, SuggestionQuery, UpdatePairingDto,
} from './pairing.dto.js';

/** Pairings 1+N: proposals, mutual requests, consents, approvals per kindergarten, the agreement, lists, suggestions and the district rule. */
@ApiTags('mentoring')
@ApiBearerAuth()
@Controller('api')
export class PairingsController {
  constructor(
    private readonly pairings: PairingsService,
    private readonly lifecycle: PairingLifecycleService,
    private readonly reads: PairingReadsService,
    private readonly rules: MentoringRulesService,
  ) {}

  @Post('mentoring/pairings')
  @Authorize('mentoring.manage')
  async propose(@Access() access: AccessContext, @Body() body: ProposePairingDto) {
    const pairing = await this.pairings.propose(access, body);
    return this.reads.detail(access, pairing.id);
  }

  @Post('mentoring/pairing-requests')
  @Authorize('signed_in')
  async request(@Access() access: AccessContext, @Body() body: ProposePairingDto) {
    const pairing = await this.pairings.request(access, body);
    return this.reads.detail(access, pairing.id);
  }

  @Get('mentoring/pairings')
  @Authorize('mentoring.manage')
  list(@Access() access: AccessContext, @Query() query: PairingListQuery) {
    return this.reads.list(access, {
      status: query.status, kind: query.kind, kindergartenId: query.kindergartenId,
      overdue: query.overdue === 'true' || query.overdue === 'on', page: query.page, pageSize: query.pageSize,
    });
  }

  @Get('mentoring/pairings/:id')
  @Authorize('signed_in')
  one(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.reads.detail(access, id);
  }

  @Patch('mentoring/pairings/:id')
  @Authorize('mentoring.manage')
  async change(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: UpdatePairingDto) {
    await this.lifecycle.change(access, id, body);
    return this.reads.detail(access, id);
  }

  @Post('mentoring/pairings/:id/consent')
  @Authorize('signed_in')
  @HttpCode(200)
  async consent(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    const result = await this.lifecycle.consent(access, id);
    return { ...result, pairing: await this.reads.detail(access, id) };
  }

  @Post('mentoring/pairings/:id/decision')
  @Authorize('mentoring.approve')
  @HttpCode(200)
  async decide(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: DecisionDto) {
    const result = await this.lifecycle.decide(access, id, body);
    return { ...result, pairing: await this.reads.detail(access, id) };
  }

  @Post('mentoring/pairings/:id/end')
  @Authorize('mentoring.manage')
  @HttpCode(200)
  async end(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: EndPairingDto) {
    const result = await this.lifecycle.end(access, id, body.reason);
    return { ...result, pairing: await this.reads.detail(access, id) };
  }

  @Post('mentoring/pairings/:id/cancel')
  @Authorize('signed_in')
  @HttpCode(200)
  async cancel(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: CancelPairingDto) {
    const result = await this.lifecycle.cancel(access, id, body.reason ?? null);
    return { ...result, pairing: await this.reads.detail(access, id) };
  }

  @Get('me/mentoring')
  @Authorize('signed_in')
  mine(@Access() access: AccessContext) {
    return this.reads.mine(access);
  }

  @Get('mentoring/suggestions')
  @Authorize('mentoring.manage')
  suggestions(@Access() access: AccessContext, @Query() query: SuggestionQuery) {
    return this.reads.suggestions(access, query.menteePersonId, query.limit, access.locale);
  }

  @Get('mentoring/rules')
  @Authorize('mentoring.manage')
  rule(@Access() access: AccessContext, @Query() query: RuleQuery) {
    return this.rules.read(access, query.districtId);
  }

  @Put('mentoring/rules')
  @Authorize('settings.write')
  setRule(@Access() access: AccessContext, @Body() body: MentoringRuleDto) {
    return this.rules.write(access, body);
  }
}
