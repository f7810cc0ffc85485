import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { MatchingQuery } from './matching.query.js';
import { MentoringRulesService } from './mentoring-rules.service.js';
import { PairingLifecycleService } from './pairing-lifecycle.service.js';
import { PairingReadsService } from './pairing-reads.service.js';
import { PairingsDirectory } from './pairings-directory.service.js';
import { PairingsController } from './pairings.controller.js';
import { PairingsPagesController } from './pairings-pages.controller.js';
import { PairingsQuery } from './pairings.query.js';
import { PairingsService } from './pairings.service.js';
import { PairingProgressQuery } from './pairing-progress.query.js';

/** Pairings 1+N: proposals, consents, approvals per kindergarten, agreements, limits, matching suggestions and the probation year. */
@Module({
  imports: [AuditModule],
  providers: [PairingsDirectory, PairingsService, PairingLifecycleService, PairingReadsService, PairingsQuery, MatchingQuery, MentoringRulesService, PairingProgressQuery],
  controllers: [PairingsController, PairingsPagesController],
  exports: [PairingsDirectory, PairingReadsService, PairingsService],
})
export class PairingsModule {}
