import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { OrgScopeService } from '../org/org-scope.service.js';
import { CreditConversionService } from './credit-conversion.service.js';
import { RecordConversionRuleDto } from './credits.dto.js';

@ApiTags('credits')
@ApiBearerAuth()
@Controller('api/credit-conversion-rules')
export class CreditsController {
  constructor(private readonly conversion: CreditConversionService, private readonly org: OrgScopeService) {}

  /** The rules in force above the caller's district (settings staff see their region's history). */
  @Get()
  @Authorize('settings.write')
  async list(@Access() access: AccessContext) {
    const [path] = access.scopePaths('settings.write');
    return { items: await this.conversion.list(path) };
  }

  @Post()
  @Authorize('settings.write')
  record(@Access() access: AccessContext, @Body() body: RecordConversionRuleDto) {
    return this.conversion.record(access, body);
  }
}
