import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { EthicsService } from './ethics.service.js';
import { RecordSanctionDto } from './ethics.dto.js';

@ApiTags('ethics')
@ApiBearerAuth()
@Controller('api/people/:personId/ethics-sanctions')
export class EthicsController {
  constructor(private readonly ethics: EthicsService) {}

  @Get()
  @Authorize('ethics.manage')
  async list(@Access() access: AccessContext, @Param('personId', RecordIdPipe) personId: string) {
    return { items: await this.ethics.list(access, personId) };
  }

  @Post()
  @Authorize('ethics.manage')
  record(@Access() access: AccessContext, @Param('personId', RecordIdPipe) personId: string, @Body() body: RecordSanctionDto) {
    return this.ethics.record(access, personId, body);
  }
}
