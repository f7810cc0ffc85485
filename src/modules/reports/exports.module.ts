import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GradebookModule } from '../assessment/gradebook.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { TranscriptModule } from '../credits/transcript.module.js';
import { EnrollmentModule } from '../enrollment/enrollment.module.js';
import { FilesModule } from '../files/files.module.js';
import { ExportJob } from '../imports/imports.entities.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { OrgModule } from '../org/org.module.js';
import { PeopleModule } from '../people/people.module.js';
import { TargetsModule } from '../titles/targets.module.js';
import { ExportJobsService } from './export-jobs.service.js';
import { KindergartensExportSource, PeopleExportSource } from './export-org-sources.js';
import { ExportRenderJob } from './export-render-job.service.js';
import { ExportRenderer } from './export-renderer.js';
import { ComplianceExportSource, CoverageExportSource } from './export-report-sources.js';
import { ExportSensitiveQuery, ExportUnmasker } from './export-sensitive.js';
import { GradebookExportSource, RosterExportSource } from './export-teaching-sources.js';
import { ExportsPagesController } from './exports-pages.controller.js';
import { ExportsController } from './exports.controller.js';

/** Exports of list pages to XLSX and CSV, large ones as jobs, with sensitive columns masked unless the user may see them. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ExportJob]), AuditModule, AuthModule, FilesModule, NotificationsModule,
    PeopleModule, OrgModule, EnrollmentModule, GradebookModule, TranscriptModule, TargetsModule,
  ],
  providers: [
    PeopleExportSource, KindergartensExportSource, RosterExportSource, GradebookExportSource, ComplianceExportSource, CoverageExportSource,
    ExportSensitiveQuery, ExportUnmasker, ExportRenderer, ExportJobsService, ExportRenderJob,
  ],
  controllers: [ExportsController, ExportsPagesController],
})
export class ExportsModule {}
