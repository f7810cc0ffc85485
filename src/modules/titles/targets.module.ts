import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { MentoringWorkModule } from '../mentoring/mentoring-work.module.js';
import { CoverageQuery } from './coverage.query.js';
import { CoverageService } from './coverage.service.js';
import { GapPlanningService } from './gap-planning.service.js';
import { PromotionModule } from './promotion.module.js';
import { StaffingQuery } from './staffing.query.js';
import { StaffingService } from './staffing.service.js';
import { TargetDefinitionsPagesController } from './target-definitions-pages.controller.js';
import { TargetDefinitionsService } from './target-definitions.service.js';
import { TargetMeasuresQuery } from './target-measures.query.js';
import { TargetsPagesController } from './targets-pages.controller.js';
import { TargetsController } from './targets.controller.js';
import { TargetsService } from './targets.service.js';
import { StaffingStandard, WorkforceTarget } from './titles.entities.js';

/** Workforce targets as data, title coverage with gap planning, and the staffing check. */
@Module({
  imports: [TypeOrmModule.forFeature([WorkforceTarget, StaffingStandard]), AuditModule, MentoringWorkModule, PromotionModule],
  providers: [TargetMeasuresQuery, TargetsService, TargetDefinitionsService, CoverageQuery, CoverageService, GapPlanningService, StaffingQuery, StaffingService],
  controllers: [TargetsController, TargetsPagesController, TargetDefinitionsPagesController],
  exports: [TargetsService, CoverageService, StaffingService],
})
export class TargetsModule {}
