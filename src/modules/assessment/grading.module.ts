import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { AttendanceModule } from '../enrollment/attendance.module.js';
import { FilesModule } from '../files/files.module.js';
import { UploadParser } from '../files/upload-parser.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PeopleModule } from '../people/people.module.js';
import { CompletionModule } from './completion.module.js';
import { GradeImportController } from './grade-import.controller.js';
import { GradeImportService } from './grade-import.service.js';
import { GradeWriter } from './grade-writer.service.js';
import { GradingNotifier } from './grading-notifier.service.js';
import { GradingPagesController } from './grading-pages.controller.js';
import { GradingController } from './grading.controller.js';
import { GradingQuery } from './grading.query.js';
import { GradingService } from './grading.service.js';

/** Marking one submission at a time, second marking, release, the history of released grades, and bulk grade import. */
@Module({
  imports: [AuditModule, AttendanceModule, CatalogModule, CompletionModule, FilesModule, NotificationsModule, PeopleModule],
  providers: [GradingService, GradingQuery, GradeWriter, GradingNotifier, GradeImportService],
  controllers: [GradingController, GradeImportController, GradingPagesController],
  exports: [GradingService],
})
export class GradingModule implements NestModule {
  constructor(private readonly uploads: UploadParser) {}

  /** The sheet is read before the access guard, which then finds a page form's `_csrf` in the body. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.uploads.middleware('file')).forRoutes(
      { path: 'api/offerings/:id/grade-imports', method: RequestMethod.POST },
      { path: 'teaching/offerings/:id/grades/import', method: RequestMethod.POST },
    );
  }
}
