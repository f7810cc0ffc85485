import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { MAX_EVIDENCE_FILES } from './activity-rules.js';
import { UploadParser } from '../files/upload-parser.js';
import { CreditsModule } from '../credits/credits.module.js';
import { FilesModule } from '../files/files.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { MentoringNotifier } from './mentoring-notifier.service.js';
import { ActivitiesController } from './activities.controller.js';
import { ActivitiesQuery } from './activities.query.js';
import { ActivitiesService } from './activities.service.js';
import { FinalAssessmentService } from './final-assessment.service.js';
import { MentoringWorkPagesController } from './mentoring-work-pages.controller.js';
import { MentoringMePagesController } from './mentoring-me-pages.controller.js';
import { PairingsModule } from './pairings.module.js';
import { ReviewsController } from './reviews.controller.js';
import { ReviewsQuery } from './reviews.query.js';
import { ReviewsService } from './reviews.service.js';
import { RotationsController } from './rotations.controller.js';
import { MentoringWorkReviewsPagesController } from './mentoring-work-reviews-pages.controller.js';
import { RotationsPagesController } from './rotations-pages.controller.js';
import { RotationsQuery } from './rotations.query.js';
import { RotationsService } from './rotations.service.js';

/** Mentoring activities with confirmation, term targets and reviews that award credit once, final assessments, and rotations. */
@Module({
  imports: [PairingsModule, CreditsModule, FilesModule, AuditModule, NotificationsModule],
  providers: [
    ActivitiesQuery, ActivitiesService, ReviewsQuery, ReviewsService, FinalAssessmentService, RotationsQuery, RotationsService, MentoringNotifier,
    // Assessment's multi-file parser, reused for evidence files (`files`, `files[]`).
  ],
  controllers: [ActivitiesController, ReviewsController, RotationsController, MentoringWorkPagesController, MentoringWorkReviewsPagesController, RotationsPagesController,
    MentoringMePagesController],
  exports: [RotationsService, ActivitiesService],
})
export class MentoringWorkModule implements NestModule {
  constructor(private readonly uploads: UploadParser) {}

  /** Evidence is read before the access guard, which then finds a page form's `_csrf` in the body. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.uploads.middlewareForFiles(MAX_EVIDENCE_FILES)).forRoutes(
      { path: 'api/mentoring/pairings/:id/activities', method: RequestMethod.POST },
      { path: 'mentoring/pairings/:id/activities/log', method: RequestMethod.POST },
    );
  }
}
