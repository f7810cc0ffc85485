import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { PeopleModule } from '../people/people.module.js';
import { ComplianceController } from './compliance.controller.js';
import { ComplianceQuery } from './compliance.query.js';
import { ComplianceService } from './compliance.service.js';
import { SchemesPagesController } from './schemes-pages.controller.js';
import { SchemesService } from './schemes.service.js';

/** Requirement schemes and whether a person meets them (an exact allocation, explained). */
@Module({
  imports: [AuditModule, PeopleModule],
  providers: [ComplianceQuery, ComplianceService, SchemesService],
  controllers: [ComplianceController, SchemesPagesController],
  exports: [ComplianceService],
})
export class ComplianceModule {}
