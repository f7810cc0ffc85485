import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { OrgModule } from '../org/org.module.js';
import { LectureFilingDeadline, LectureSeries, LectureSession } from './lecture.entities.js';
import { LectureCatalog } from './lecture-catalog.service.js';
import { LectureDeadlinesService } from './lecture-deadlines.service.js';
import { LectureOverviewService } from './lecture-overview.service.js';
import { LectureQuery } from './lecture.query.js';
import { LectureReads } from './lecture-reads.service.js';
import { LectureSeriesService } from './lecture-series.service.js';
import { LectureSessionsService } from './lecture-sessions.service.js';
import { LecturesController } from './lectures.controller.js';
import { LecturesCityPagesController } from './lectures-city-pages.controller.js';
import { LecturesPagesController } from './lectures-pages.controller.js';

/** The principal lecture series (示范园园长大课堂): semester schedules filed with the city, sessions as offerings. */
@Module({
  imports: [TypeOrmModule.forFeature([LectureFilingDeadline, LectureSeries, LectureSession]), AuditModule, CatalogModule, OrgModule],
  providers: [LectureCatalog, LectureDeadlinesService, LectureOverviewService, LectureQuery, LectureReads, LectureSeriesService, LectureSessionsService],
  controllers: [LecturesController, LecturesCityPagesController, LecturesPagesController],
})
export class LecturesModule {}
