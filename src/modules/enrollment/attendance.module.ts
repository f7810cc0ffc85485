import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PeopleModule } from '../people/people.module.js';
import { Attendance, CheckInCode, Enrollment, MaterialProgress } from './enrollment.entities.js';

/** Attendance, self check-in, material progress, calendars and meeting reminders. */
@Module({
  imports: [TypeOrmModule.forFeature([Attendance, CheckInCode, Enrollment, MaterialProgress]), AuditModule, CatalogModule, NotificationsModule, PeopleModule],
  providers: [],
  controllers: [],
  exports: [],
})
export class AttendanceModule {}
