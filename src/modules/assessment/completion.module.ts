import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { CertificatesModule } from '../certificates/certificates.module.js';
import { CreditsModule } from '../credits/credits.module.js';
import { AttendanceModule } from '../enrollment/attendance.module.js';
import { EnrollmentModule } from '../enrollment/enrollment.module.js';
import { PeopleModule } from '../people/people.module.js';
import { CompletionController } from './completion.controller.js';
import { CompletionPagesController } from './completion-pages.controller.js';
import { CompletionQuery } from './completion.query.js';
import { CompletionRulesService } from './completion-rules.service.js';
import { CompletionService } from './completion.service.js';
import { CompletionStatusService } from './completion-status.service.js';

/** Completion rules (effective-dated), evaluation at once when the last condition is met, credit and reopening. */
@Module({
  imports: [AuditModule, AttendanceModule, CatalogModule, CertificatesModule, CreditsModule, EnrollmentModule, PeopleModule],
  providers: [CompletionQuery, CompletionService, CompletionRulesService, CompletionStatusService],
  controllers: [CompletionController, CompletionPagesController],
  exports: [CompletionService],
})
export class CompletionModule {}
