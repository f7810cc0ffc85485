import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { ValidationFailed } from '../../common/errors.js';
import { PrincipalLadderService } from './principal-ladder.service.js';
import { ladderPage, twoCertificatesPage } from './principal-views.js';
import { TwoCertificatesService } from './two-certificates.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STAGE = /^[a-z][a-z0-9_]{0,39}$/;
/** Page links carry the same query; anything malformed is ignored (the API validates strictly). */
const unitOf = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined);

/** /principals: the principal ladder; /principals/two-certificates: the 双证 report. */
@ApiExcludeController()
@Controller('principals')
export class PrincipalsPagesController {
  constructor(private readonly ladder: PrincipalLadderService, private readonly certificates: TwoCertificatesService) {}

  @Get()
  @Authorize('principals.read')
  async ladderPage(@Access() access: AccessContext, @Query('orgUnit') orgUnit: unknown, @Query('stage') stage: unknown, @Req() req: Request, @Res() res: Response) {
    const orgUnitId = unitOf(orgUnit);
    let chosen = typeof stage === 'string' && STAGE.test(stage) ? stage : null;
    let report;
    try {
      report = await this.ladder.ladder(access, { orgUnit: orgUnitId, stage: chosen ?? undefined });
    } catch (error) {
      // An unknown stage in the link shows the whole ladder.
      if (!(error instanceof ValidationFailed)) throw error;
      chosen = null;
      report = await this.ladder.ladder(access, { orgUnit: orgUnitId });
    }
    res.render('pages/principals/ladder', ladderPage(report, chosen, req.locale));
  }

  @Get('two-certificates')
  @Authorize('principals.read')
  async twoCertificates(@Access() access: AccessContext, @Query('orgUnit') orgUnit: unknown, @Req() req: Request, @Res() res: Response) {
    const report = await this.certificates.report(access, { orgUnit: unitOf(orgUnit) });
    res.render('pages/principals/two-certificates', twoCertificatesPage(report, req.locale));
  }
}
