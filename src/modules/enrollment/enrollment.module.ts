import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PeopleModule } from '../people/people.module.js';
import { TitlesModule } from '../titles/titles.module.js';
import { Enrollment, EnrollmentEvent, NoShowRule } from './enrollment.entities.js';

@Module({
  imports: [TypeOrmModule.forFeature([Enrollment, EnrollmentEvent, NoShowRule]), AuditModule, CatalogModule, NotificationsModule, PeopleModule, TitlesModule],
  providers: [],
  controllers: [],
  exports: [],
})
export class EnrollmentModule {}
