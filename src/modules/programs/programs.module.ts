import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { FilesModule } from '../files/files.module.js';
import { UploadParser } from '../files/upload-parser.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PromotionModule } from '../titles/promotion.module.js';
import { TitlesModule } from '../titles/titles.module.js';
import { ApplicationFactsQuery } from './application-facts.query.js';
import { ApplicationsController } from './applications.controller.js';
import { ApplicationsQuery } from './applications.query.js';
import { ApplicationsService, MAX_ATTACHMENTS } from './applications.service.js';
import { ProgramMember } from './cohort.entities.js';
import { ProgramDefinitionsController } from './program-definitions.controller.js';
import { ProgramDefinitionsService } from './program-definitions.service.js';
import { ProgramEligibilityService } from './program-eligibility.service.js';
import { ProgramListQuery } from './program-list.query.js';
import { ProgramNotifier } from './program-notifier.service.js';
import { ProgramPagesController } from './program-pages.controller.js';
import { ProgramsDirectory } from './programs-directory.service.js';
import { Program, ProgramApplication, ProgramReviewAssignment, ProgramReviewScore } from './programs.entities.js';
import { ReviewPagesController } from './review-pages.controller.js';
import { ReviewsController } from './reviews.controller.js';
import { ReviewsQuery } from './reviews.query.js';
import { ReviewsService } from './reviews.service.js';
import { SelectionPagesController } from './selection-pages.controller.js';
import { SelectionReserveService } from './selection-reserve.service.js';
import { SelectionController } from './selection.controller.js';
import { SelectionQuery } from './selection.query.js';
import { SelectionService } from './selection.service.js';

/** Talent programs: definitions, applications and nominations with dossiers, expert review and selection within quotas. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Program, ProgramApplication, ProgramReviewAssignment, ProgramReviewScore, ProgramMember]),
    AuditModule, FilesModule, NotificationsModule, TitlesModule, PromotionModule,
  ],
  providers: [
    ProgramsDirectory, ProgramListQuery, ProgramDefinitionsService, ProgramEligibilityService, ProgramNotifier,
    ApplicationFactsQuery, ApplicationsQuery, ApplicationsService,
    ReviewsQuery, ReviewsService,
    SelectionQuery, SelectionReserveService, SelectionService,
  ],
  controllers: [
    ProgramDefinitionsController, ApplicationsController, ReviewsController, SelectionController,
    ProgramPagesController, ReviewPagesController, SelectionPagesController,
  ],
  exports: [ProgramsDirectory],
})
export class ProgramsModule implements NestModule {
  constructor(private readonly uploads: UploadParser) {}

  /** Attachments are read before the access guard, which then finds a page form's `_csrf` in the body. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.uploads.middlewareForFiles(MAX_ATTACHMENTS)).forRoutes(
      { path: 'api/programs/:id/applications', method: RequestMethod.POST },
      { path: 'programs/:id/apply', method: RequestMethod.POST },
    );
  }
}
