import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { EthicsService } from './ethics.service.js';
import { CorrectSanctionDto, RecordSanctionDto, RevokeSanctionDto } from './ethics.dto.js';

@ApiTags('ethics')
@ApiBearerAuth()
@Controller('api/people/:personId/ethics-sanctions')
export class EthicsController {
  constructor(private readonly ethics: EthicsService) {}

  /** District staff with ethics.manage over the person, or the person themself. */
  @Get()
  @Authorize('signed_in')
  async list(@Access() access: AccessContext, @Param('personId', RecordIdPipe) personId: string) {
    return { items: await this.ethics.list(access, personId) };
  }

  @Post()
  @Authorize('ethics.manage')
  record(@Access() access: AccessContext, @Param('personId', RecordIdPipe) personId: string, @Body() body: RecordSanctionDto) {
    return this.ethics.record(access, personId, body);
  }

  @Patch(':sanctionId')
  @Authorize('ethics.manage')
  correct(
    @Access() access: AccessContext, @Param('personId', RecordIdPipe) personId: string, @Param('sanctionId', RecordIdPipe) sanctionId: string,
    @Body() body: CorrectSanctionDto,
  ) {
    return this.ethics.correct(access, personId, sanctionId, body);
  }

  @Post(':sanctionId/revoke')
  @HttpCode(200)
  @Authorize('ethics.manage')
  revoke(
    @Access() access: AccessContext, @Param('personId', RecordIdPipe) personId: string, @Param('sanctionId', RecordIdPipe) sanctionId: string,
    @Body() body: RevokeSanctionDto,
  ) {
    return this.ethics.revoke(access, personId, sanctionId, body.reason);
  }
}
