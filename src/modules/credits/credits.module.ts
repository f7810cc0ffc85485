import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { OrgModule } from '../org/org.module.js';
import { CreditConversionRule } from './credit-conversion-rule.entity.js';
import { CreditConversionService } from './credit-conversion.service.js';
import { CreditsController } from './credits.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([CreditConversionRule]), AuditModule, OrgModule],
  providers: [CreditConversionService],
  controllers: [CreditsController],
  exports: [CreditConversionService],
})
export class CreditsModule {}
