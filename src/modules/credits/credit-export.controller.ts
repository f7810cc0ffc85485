import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { CreditExportQueryDto } from './credit-export.dto.js';
import { CreditExportService } from './credit-export.service.js';

/** One row per ledger entry with national IDs, for the provincial and national credit platforms (district HR only). */
@ApiTags('credits')
@ApiBearerAuth()
@Controller('api/credits')
export class CreditExportController {
  constructor(private readonly exports: CreditExportService) {}

  @Get('export.csv')
  @Authorize('people.sensitive')
  @ApiProduces('text/csv')
  async csv(@Access() access: AccessContext, @Query() query: CreditExportQueryDto, @Req() req: Request, @Res() res: Response) {
    await this.exports.export(access, query, 'csv', req.locale, res);
  }

  @Get('export.xlsx')
  @Authorize('people.sensitive')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async xlsx(@Access() access: AccessContext, @Query() query: CreditExportQueryDto, @Req() req: Request, @Res() res: Response) {
    await this.exports.export(access, query, 'xlsx', req.locale, res);
  }
}
