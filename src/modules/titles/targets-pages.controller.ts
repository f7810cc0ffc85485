import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { translate } from '../../common/i18n/i18n.js';
import { CoverageService } from './coverage.service.js';
import { GapPlanningService } from './gap-planning.service.js';
import { StaffingService } from './staffing.service.js';
import { TargetsService } from './targets.service.js';
import { bucketRows, coverageChart, gapRows, staffingRows, targetRow } from './targets-views.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Page links carry the same query; anything malformed is simply ignored (the API validates strictly). */
const unitOf = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value : undefined);
const dateOf = (value: unknown) => (typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined);

/** /targets: the district's targets with progress, title coverage with the gap plan, and the staffing check. */
@ApiExcludeController()
@Controller('targets')
export class TargetsPagesController {
  constructor(
    private readonly targets: TargetsService,
    private readonly coverage: CoverageService,
    private readonly gaps: GapPlanningService,
    private readonly staffing: StaffingService,
  ) {}

  @Get()
  @Authorize('targets.read')
  async dashboard(@Access() access: AccessContext, @Query('orgUnit') orgUnit: unknown, @Req() req: Request, @Res() res: Response) {
    const answer = await this.targets.forAccess(access, unitOf(orgUnit));
    res.render('pages/titles/targets-dashboard', {
      title: translate(req.locale, 'targets.dashboard.title'),
      orgUnit: answer.orgUnit, asOf: answer.asOf, query: unitOf(orgUnit) ? `?orgUnit=${unitOf(orgUnit)}` : '',
      targets: answer.targets.map((t) => targetRow(t, req.locale)),
      metCount: answer.targets.filter((t) => t.met).length,
      canManage: access.can('targets.manage'),
    });
  }

  @Get('title-coverage')
  @Authorize('targets.read')
  async titleCoverage(@Access() access: AccessContext, @Query('orgUnit') orgUnit: unknown, @Query('by') by: unknown, @Req() req: Request, @Res() res: Response) {
    const unit = unitOf(orgUnit);
    const [report, gaps] = await Promise.all([this.coverage.forAccess(access, unit, { ownership: 'public' }), this.gaps.gaps(access, unit, dateOf(by))]);
    const noGroup = translate(req.locale, 'targets.coverage.noGroup');
    res.render('pages/titles/targets-coverage', {
      title: translate(req.locale, 'targets.coverage.title'),
      orgUnit: report.orgUnit, orgUnitId: unit ?? null, report,
      towns: bucketRows(report.byTown, noGroup), groups: bucketRows(report.byGroup, noGroup),
      chart: coverageChart(report, noGroup),
      gaps: gapRows(gaps), plan: gaps.plan, by: gaps.by, query: unit ? `?orgUnit=${unit}` : '',
      exportFilters: { orgUnit: unit ?? '' },
    });
  }

  @Get('staffing')
  @Authorize('targets.read')
  async staffingCheck(@Access() access: AccessContext, @Query('orgUnit') orgUnit: unknown, @Req() req: Request, @Res() res: Response) {
    const unit = unitOf(orgUnit);
    const report = await this.staffing.report(access, unit, {});
    res.render('pages/titles/targets-staffing', {
      title: translate(req.locale, 'targets.staffing.title'),
      orgUnit: report.orgUnit, report, rows: staffingRows(report), query: unit ? `?orgUnit=${unit}` : '',
    });
  }
}
