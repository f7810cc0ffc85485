import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProgramTeam, ProgramMember, ProgramMilestone, ProgramOutput } from './cohort.entities.js';

/** Cohort work: teams (研修团队) with hosts and plans, milestones, outputs, assessments, completion, exits, moves and promotions. */
@Module({
  imports: [TypeOrmModule.forFeature([ProgramTeam, ProgramMember, ProgramMilestone, ProgramOutput])],
})
export class CohortModule {}
