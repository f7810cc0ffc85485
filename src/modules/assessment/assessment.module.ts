import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { AttendanceModule } from '../enrollment/attendance.module.js';
import { FilesModule } from '../files/files.module.js';
import { CompletionModule } from './completion.module.js';
import { ItemsController } from './items.controller.js';
import { ItemsQuery } from './items.query.js';
import { ItemsService } from './items.service.js';
import { LearnerItemsService } from './learner-items.service.js';
import { LearnerItemsPagesController } from './learner-items-pages.controller.js';
import { UploadParser } from '../files/upload-parser.js';
import { MAX_FILES } from './item-rules.js';
import { SubmissionsController } from './submissions.controller.js';
import { SubmissionsQuery } from './submissions.query.js';
import { SubmissionsService } from './submissions.service.js';
import { SurveysService } from './surveys.service.js';
import { TeachingItemsPagesController } from './teaching-items-pages.controller.js';

/** Assessment items (assignments, course evaluation surveys, offline items) and learners' submissions. */
@Module({
  imports: [AuditModule, CatalogModule, AttendanceModule, FilesModule, CompletionModule],
  providers: [ItemsQuery, ItemsService, SubmissionsQuery, SubmissionsService, LearnerItemsService, SurveysService],
  controllers: [ItemsController, SubmissionsController, LearnerItemsPagesController, TeachingItemsPagesController],
  exports: [ItemsService, SubmissionsService],
})
export class AssessmentModule implements NestModule {
  constructor(private readonly uploads: UploadParser) {}

  /** Files are read before the access guard, which then finds a page form's `_csrf` in the body. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.uploads.middlewareForFiles(MAX_FILES)).forRoutes(
      { path: 'api/items/:id/submissions', method: RequestMethod.POST },
      { path: 'learning/items/:id/submissions', method: RequestMethod.POST },
    );
  }
}
