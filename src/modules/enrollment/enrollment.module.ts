import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PeopleModule } from '../people/people.module.js';
import { TitlesModule } from '../titles/titles.module.js';
import { Enrollment, EnrollmentEvent, NoShowRule } from './enrollment.entities.js';
import { EligibilityService } from './eligibility.service.js';
import { EnrollmentNotifier } from './enrollment-notifier.service.js';
import { EnrollmentCompletionService } from './enrollment-completion.service.js';
import { EnrollmentQuery } from './enrollment.query.js';
import { EnrollmentService } from './enrollment.service.js';
import { EnrollmentListsService } from './enrollment-lists.service.js';
import { OfferingSeatsService } from './offering-seats.service.js';
import { SeatsService } from './seats.service.js';
import { SeatDesk } from './seat-desk.service.js';
import { EnrollmentController } from './enrollment.controller.js';
import { EnrollmentPagesController } from './enrollment-pages.controller.js';

/** Seats: requests, approvals, waitlists, withdrawals, capacity and cancellation. */
@Module({
  imports: [TypeOrmModule.forFeature([Enrollment, EnrollmentEvent, NoShowRule]), AuditModule, CatalogModule, NotificationsModule, PeopleModule, TitlesModule],
  providers: [EligibilityService, EnrollmentCompletionService, EnrollmentNotifier, EnrollmentQuery, EnrollmentService, EnrollmentListsService, OfferingSeatsService, SeatsService, SeatDesk],
  controllers: [EnrollmentController, EnrollmentPagesController],
  exports: [EnrollmentService, EnrollmentListsService, EligibilityService, EnrollmentCompletionService],
})
export class EnrollmentModule {}
