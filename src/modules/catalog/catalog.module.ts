import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { OrgModule } from '../org/org.module.js';
import { PeopleModule } from '../people/people.module.js';
import { CreditsModule } from '../credits/credits.module.js';
import { Course, CourseTrainer, Material, Meeting, Offering, OfferingTrainer } from './catalog.entities.js';
import { OfferingDirectory } from './offering-directory.service.js';
import { CatalogReferenceQuery } from './catalog-reference.query.js';
import { CatalogChecks } from './catalog-checks.service.js';
import { CatalogQuery } from './catalog.query.js';
import { CourseQuery } from './course.query.js';
import { CourseService } from './course.service.js';
import { OfferingService } from './offering.service.js';
import { OfferingContentService } from './offering-content.service.js';
import { CatalogService } from './catalog.service.js';
import { CatalogChoices } from './catalog-choices.service.js';
import { CoursesController } from './courses.controller.js';
import { OfferingsController } from './offerings.controller.js';
import { OfferingHooks } from './offering-hooks.js';
import { CatalogController } from './catalog.controller.js';
import { CatalogPagesController } from './catalog-pages.controller.js';
import { CoursePagesController } from './course-pages.controller.js';
import { OfferingPagesController } from './offering-pages.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Course, CourseTrainer, Offering, OfferingTrainer, Meeting, Material]), AuditModule, OrgModule, PeopleModule, CreditsModule],
  providers: [
    OfferingDirectory, CatalogReferenceQuery, CatalogChecks, CatalogQuery, CourseQuery,
    CourseService, OfferingService, OfferingContentService, CatalogService, CatalogChoices, OfferingHooks,
  ],
  // Offering pages (/courses/offerings/:id) before the course pages (/courses/:id).
  controllers: [CatalogPagesController, OfferingPagesController, CoursePagesController, CoursesController, OfferingsController, CatalogController],
  // CourseService, OfferingService and OfferingContentService: the lecture series creates its course, session offerings and meetings through them.
  exports: [OfferingDirectory, CatalogService, OfferingHooks, CourseService, OfferingService, OfferingContentService],
})
export class CatalogModule {}
