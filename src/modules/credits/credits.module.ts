import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { OrgModule } from '../org/org.module.js';
import { CreditConversionRule } from './credit-conversion-rule.entity.js';
import { CreditConversionService } from './credit-conversion.service.js';
import { CreditCyclesController } from './credit-cycles.controller.js';
import { CreditCyclesService } from './credit-cycles.service.js';
import { CreditCycle, CreditEntry } from './credit.entities.js';
import { CreditsController } from './credits.controller.js';
import { LedgerController } from './ledger.controller.js';
import { LedgerPagesController } from './ledger-pages.controller.js';
import { LedgerQuery } from './ledger.query.js';
import { LedgerService } from './ledger.service.js';
import { LedgerImportWriter } from './ledger-import.writer.js';

/** Conversion rules, credit cycles and the append-only ledger. */
@Module({
  imports: [TypeOrmModule.forFeature([CreditConversionRule, CreditCycle, CreditEntry]), AuditModule, OrgModule],
  providers: [CreditConversionService, CreditCyclesService, LedgerQuery, LedgerService, LedgerImportWriter],
  controllers: [CreditsController, LedgerController, LedgerPagesController, CreditCyclesController],
  exports: [CreditConversionService, CreditCyclesService, LedgerService, LedgerImportWriter],
})
export class CreditsModule {}
