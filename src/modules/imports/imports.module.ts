import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CreditsModule } from '../credits/credits.module.js';
import { FilesModule } from '../files/files.module.js';
import { UploadParser } from '../files/upload-parser.js';
import { OrgModule } from '../org/org.module.js';
import { PeopleModule } from '../people/people.module.js';
import { CreditHistoryImporter } from './credit-history-importer.js';
import { ImportDownloadsService } from './import-downloads.service.js';
import { ImportRunner } from './import-runner.service.js';
import { ImportsPagesController } from './imports-pages.controller.js';
import { ImportsController } from './imports.controller.js';
import { ImportJob, ImportRow } from './imports.entities.js';
import { ImportsQuery } from './imports.query.js';
import { ImportsService } from './imports.service.js';
import { OrgUnitImporter } from './org-unit-importer.js';
import { ROW_IMPORTERS, type RowImporter } from './row-importer.js';
import { StaffImporter } from './staff-importer.js';

/** Spreadsheet imports of staff, org units and credit history: a per-row dry run, then resumable apply jobs with progress and a result file. */
@Module({
  imports: [TypeOrmModule.forFeature([ImportJob, ImportRow]), AuditModule, CreditsModule, FilesModule, OrgModule, PeopleModule],
  providers: [
    StaffImporter, OrgUnitImporter, CreditHistoryImporter,
    { provide: ROW_IMPORTERS, useFactory: (...importers: RowImporter[]) => importers, inject: [StaffImporter, OrgUnitImporter, CreditHistoryImporter] },
    ImportsQuery, ImportRunner, ImportsService, ImportDownloadsService,
  ],
  controllers: [ImportsController, ImportsPagesController],
})
export class ImportsModule implements NestModule {
  constructor(private readonly uploads: UploadParser) {}

  /** The file is read before the access guard, which then finds the page form's `_csrf` in the body. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.uploads.middleware('file')).forRoutes(
      { path: 'api/imports', method: RequestMethod.POST },
      { path: 'imports', method: RequestMethod.POST },
    );
  }
}
