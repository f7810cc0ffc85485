import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LectureFilingDeadline, LectureSeries, LectureSession } from './lecture.entities.js';

/** The principal lecture series (示范园园长大课堂): semester schedules filed with the city, sessions as offerings. */
@Module({
  imports: [TypeOrmModule.forFeature([LectureFilingDeadline, LectureSeries, LectureSession])],
})
export class LecturesModule {}
