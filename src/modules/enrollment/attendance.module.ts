import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PeopleModule } from '../people/people.module.js';
import { Attendance, CheckInCode, Enrollment, MaterialProgress } from './enrollment.entities.js';
import { AttendanceListeners } from './attendance-listeners.js';
import { AttendanceController } from './attendance.controller.js';
import { AttendanceQuery } from './attendance.query.js';
import { AttendanceService } from './attendance.service.js';
import { CalendarController } from './calendar.controller.js';
import { CalendarService } from './calendar.service.js';
import { CheckInPagesController } from './check-in-pages.controller.js';
import { CheckInService } from './check-in.service.js';
import { MaterialProgressController } from './material-progress.controller.js';
import { MaterialProgressService } from './material-progress.service.js';
import { MeetingReminderService } from './meeting-reminder.service.js';
import { TeachingAccess } from './teaching-access.service.js';
import { TeachingPagesController } from './teaching-pages.controller.js';
import { TeachingQuery } from './teaching.query.js';

/** Attendance, self check-in, material progress, calendars and meeting reminders. */
@Module({
  imports: [TypeOrmModule.forFeature([Attendance, CheckInCode, Enrollment, MaterialProgress]), AuditModule, CatalogModule, NotificationsModule, PeopleModule],
  providers: [
    AttendanceListeners, AttendanceQuery, AttendanceService, CheckInService, MaterialProgressService, CalendarService, MeetingReminderService, TeachingAccess, TeachingQuery,
  ],
  controllers: [AttendanceController, MaterialProgressController, CalendarController, TeachingPagesController, CheckInPagesController],
  exports: [AttendanceService, AttendanceListeners, TeachingAccess],
})
export class AttendanceModule {}
