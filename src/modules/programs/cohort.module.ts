import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CreditsModule } from '../credits/credits.module.js';
import { FilesModule } from '../files/files.module.js';
import { UploadParser } from '../files/upload-parser.js';
import { PeopleModule } from '../people/people.module.js';
import { CohortAccess } from './cohort-access.service.js';
import { CohortAlumniQuery } from './cohort-alumni.query.js';
import { CohortPagesController } from './cohort-pages.controller.js';
import { CohortReadsService } from './cohort-reads.service.js';
import { CohortController } from './cohort.controller.js';
import { ProgramTeam, ProgramMember, ProgramMilestone, ProgramOutput } from './cohort.entities.js';
import { CohortQuery } from './cohort.query.js';
import { MemberAssessmentsService } from './member-assessments.service.js';
import { MemberMovesService } from './member-moves.service.js';
import { MAX_OUTPUT_FILES, OutputsService } from './outputs.service.js';
import { ProgramsModule } from './programs.module.js';
import { TeamPagesController } from './team-pages.controller.js';
import { TeamProgressQuery } from './team-progress.query.js';
import { TeamWorkService } from './team-work.service.js';
import { TeamsController } from './teams.controller.js';
import { TeamsService } from './teams.service.js';

/** Cohort work: teams (研修团队) with hosts and plans, milestones, outputs, assessments, completion, exits, moves and promotions. */
@Module({
  imports: [TypeOrmModule.forFeature([ProgramTeam, ProgramMember, ProgramMilestone, ProgramOutput]), ProgramsModule, AuditModule, CreditsModule, PeopleModule, FilesModule],
  providers: [
    CohortAccess, CohortQuery, TeamProgressQuery, CohortAlumniQuery, CohortReadsService,
    TeamsService, TeamWorkService, OutputsService, MemberAssessmentsService, MemberMovesService,
  ],
  controllers: [CohortController, TeamsController, CohortPagesController, TeamPagesController],
})
export class CohortModule implements NestModule {
  constructor(private readonly uploads: UploadParser) {}

  /** Output files are read before the access guard, which then finds a page form's `_csrf` in the body. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.uploads.middlewareForFiles(MAX_OUTPUT_FILES)).forRoutes(
      { path: 'api/teams/:id/outputs', method: RequestMethod.POST },
      { path: 'teams/:id/outputs', method: RequestMethod.POST },
    );
  }
}
