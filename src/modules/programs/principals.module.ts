import { Module } from '@nestjs/common';
import { ComplianceModule } from '../credits/compliance.module.js';
import { TargetsModule } from '../titles/targets.module.js';
import { PrincipalLadderQuery } from './principal-ladder.query.js';
import { PrincipalLadderService } from './principal-ladder.service.js';
import { PrincipalScope } from './principal-scope.js';
import { PrincipalsPagesController } from './principals-pages.controller.js';
import { PrincipalsController } from './principals.controller.js';
import { TwoCertificatesQuery } from './two-certificates.query.js';
import { TwoCertificatesService } from './two-certificates.service.js';

/** Principal development: the principal ladder report and the two-certificates (双证) report. */
@Module({
  imports: [ComplianceModule, TargetsModule],
  providers: [PrincipalLadderQuery, PrincipalScope, PrincipalLadderService, TwoCertificatesQuery, TwoCertificatesService],
  controllers: [PrincipalsController, PrincipalsPagesController],
})
export class PrincipalsModule {}
