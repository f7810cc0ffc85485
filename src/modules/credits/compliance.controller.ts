import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { ComplianceService } from './compliance.service.js';
import { ComplianceQueryDto, CreateSchemeDto, UpdateSchemeDto } from './schemes.dto.js';
import { SchemesService } from './schemes.service.js';

@ApiTags('credits')
@ApiBearerAuth()
@Controller('api')
export class ComplianceController {
  constructor(private readonly compliance: ComplianceService, private readonly schemes: SchemesService) {}

  /** The person themself, or staff with credits.read over their kindergarten; anyone else: 404. */
  @Get('people/:id/compliance')
  @Authorize('signed_in')
  async person(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: ComplianceQueryDto) {
    return { items: await this.compliance.visibleTo(access, id, { schemeCode: query.scheme, cycleCode: query.cycle, asOf: query.asOf }) };
  }

  @Get('me/compliance')
  @Authorize('signed_in')
  async mine(@Access() access: AccessContext, @Query() query: ComplianceQueryDto) {
    return { items: await this.compliance.visibleTo(access, access.personId, { schemeCode: query.scheme, cycleCode: query.cycle, asOf: query.asOf }) };
  }

  @Get('schemes')
  @Authorize('signed_in')
  async list() {
    return { items: await this.schemes.list() };
  }

  @Get('schemes/:code')
  @Authorize('signed_in')
  get(@Param('code') code: string) {
    return this.schemes.get(code);
  }

  @Patch('schemes/:code')
  @Authorize('credits.manage')
  update(@Access() access: AccessContext, @Param('code') code: string, @Body() body: UpdateSchemeDto) {
    return this.schemes.update(access, code, body);
  }

  @Post('schemes')
  @Authorize('credits.manage')
  create(@Access() access: AccessContext, @Body() body: CreateSchemeDto) {
    return this.schemes.create(access, body);
  }
}
