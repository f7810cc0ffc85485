import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PeopleModule } from '../people/people.module.js';
import { ComplianceModule } from './compliance.module.js';
import { ComplianceReminderService } from './compliance-reminder.service.js';
import { CreditExportController } from './credit-export.controller.js';
import { CreditExportQuery } from './credit-export.query.js';
import { CreditExportService } from './credit-export.service.js';
import { ReportController } from './report.controller.js';
import { ReportQuery } from './report.query.js';
import { ReportService } from './report.service.js';
import { TranscriptPagesController } from './transcript-pages.controller.js';
import { TranscriptQuery } from './transcript.query.js';
import { TranscriptService } from './transcript.service.js';

/** Transcripts (page and PDF), compliance reports and exports, cycle-end reminders. */
@Module({
  imports: [ComplianceModule, PeopleModule, NotificationsModule, AuditModule],
  providers: [TranscriptQuery, TranscriptService, ReportQuery, ReportService, CreditExportQuery, CreditExportService, ComplianceReminderService],
  controllers: [TranscriptPagesController, ReportController, CreditExportController],
  exports: [ComplianceReminderService, ReportService],
})
export class TranscriptModule {}
