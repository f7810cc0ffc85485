import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { CreditsModule } from '../credits/credits.module.js';
import { PeopleModule } from '../people/people.module.js';
import { ContestEntriesService } from './contest-entries.service.js';
import { ContestPagesController } from './contest-pages.controller.js';
import { ContestReadsService } from './contest-reads.service.js';
import { ContestResultsService } from './contest-results.service.js';
import { ContestController } from './contest.controller.js';
import { ContestEntry } from './contest.entities.js';
import { ContestQuery } from './contest.query.js';
import { ProgramsModule } from './programs.module.js';

/** Contests (业务竞赛): entries, judged results and awards that feed the record. */
@Module({
  imports: [TypeOrmModule.forFeature([ContestEntry]), ProgramsModule, PeopleModule, CreditsModule, AuditModule],
  providers: [ContestQuery, ContestEntriesService, ContestResultsService, ContestReadsService],
  controllers: [ContestController, ContestPagesController],
})
export class ContestsModule {}
