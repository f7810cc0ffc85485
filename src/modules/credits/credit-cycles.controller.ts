import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Authorize } from '../../common/authorize.decorator.js';
import { CreditCyclesService } from './credit-cycles.service.js';

@ApiTags('credits')
@ApiBearerAuth()
@Controller('api/credit-cycles')
export class CreditCyclesController {
  constructor(private readonly cycles: CreditCyclesService) {}

  @Get()
  @Authorize('signed_in')
  async list() {
    return { items: await this.cycles.list() };
  }
}
