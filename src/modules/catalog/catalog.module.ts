import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { OrgModule } from '../org/org.module.js';
import { PeopleModule } from '../people/people.module.js';
import { CreditsModule } from '../credits/credits.module.js';
import { Course, CourseTrainer, Material, Meeting, Offering, OfferingTrainer } from './catalog.entities.js';
import { OfferingDirectory } from './offering-directory.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Course, CourseTrainer, Offering, OfferingTrainer, Meeting, Material]), AuditModule, OrgModule, PeopleModule, CreditsModule],
  providers: [OfferingDirectory],
  controllers: [],
  exports: [OfferingDirectory],
})
export class CatalogModule {}
