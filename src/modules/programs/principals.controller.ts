import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { PrincipalLadderService } from './principal-ladder.service.js';
import { LadderQuery, PrincipalReportQuery } from './principals.dto.js';
import { TwoCertificatesService } from './two-certificates.service.js';

/** Principal development: the ladder with stages and credit standings, and the two-certificates (双证) report. */
@ApiTags('principals')
@ApiBearerAuth()
@Controller('api/principals')
export class PrincipalsController {
  constructor(private readonly ladder: PrincipalLadderService, private readonly certificates: TwoCertificatesService) {}

  @Get('ladder')
  @Authorize('principals.read')
  ladderReport(@Access() access: AccessContext, @Query() query: LadderQuery) {
    return this.ladder.ladder(access, { orgUnit: query.orgUnit?.toLowerCase(), stage: query.stage });
  }

  @Get('two-certificates')
  @Authorize('principals.read')
  twoCertificates(@Access() access: AccessContext, @Query() query: PrincipalReportQuery) {
    return this.certificates.report(access, { orgUnit: query.orgUnit?.toLowerCase() });
  }
}
