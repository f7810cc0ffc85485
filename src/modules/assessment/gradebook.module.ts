import { Module } from '@nestjs/common';
import { AttendanceModule } from '../enrollment/attendance.module.js';
import { GradebookPagesController } from './gradebook-pages.controller.js';
import { GradebookController } from './gradebook.controller.js';
import { GradebookQuery } from './gradebook.query.js';
import { GradebookService } from './gradebook.service.js';

/** The gradebook per offering: learners × items, totals, pass/fail against thresholds, filters and export. */
@Module({
  imports: [AttendanceModule],
  providers: [GradebookService, GradebookQuery],
  controllers: [GradebookController, GradebookPagesController],
  exports: [GradebookService],
})
export class GradebookModule {}
