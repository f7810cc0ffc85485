import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { ReportQueryDto } from './report.dto.js';
import { ReportService } from './report.service.js';
import { reportPage } from './report-views.js';
import { streamWorkbook } from './report-xlsx.js';

/** The compliance report: counts per unit with a drill-down to people, as JSON, a spreadsheet and a page. */
@ApiTags('credits')
@ApiBearerAuth()
@Controller()
export class ReportController {
  constructor(private readonly reports: ReportService) {}

  @Get('api/credits/report')
  @Authorize('credits.read')
  @ApiOkResponse({ description: 'per unit: how many people have met, are on track, behind or at risk; with `unit`, that unit\'s people' })
  report(@Access() access: AccessContext, @Query() query: ReportQueryDto, @Req() req: Request) {
    return this.reports.report(access, query, req.locale);
  }

  @Get('api/credits/report.xlsx')
  @Authorize('credits.read')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async spreadsheet(@Access() access: AccessContext, @Query() query: ReportQueryDto, @Req() req: Request, @Res() res: Response) {
    const { filename, sheets } = await this.reports.spreadsheet(access, query, req.locale);
    await streamWorkbook(res, filename, sheets);
  }

  @Get('credits/report')
  @Authorize('credits.read')
  @ApiExcludeEndpoint()
  async page(@Access() access: AccessContext, @Query() query: ReportQueryDto, @Req() req: Request, @Res() res: Response) {
    const [report, choices] = await Promise.all([this.reports.report(access, query, req.locale), this.reports.choices(access)]);
    res.render('pages/credits/report', {
      ...reportPage(report, choices, query, req.locale, access.can('people.sensitive')),
      exportFilters: { groupBy: report.groupBy, cycle: query.cycle ?? '', scheme: query.scheme ?? '', unit: report.unit?.id ?? '' },
    });
  }
}
