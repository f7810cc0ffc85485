import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Program, ProgramApplication, ProgramReviewAssignment, ProgramReviewScore } from './programs.entities.js';
import { ProgramMember } from './cohort.entities.js';
import { ProgramsDirectory } from './programs-directory.service.js';

/** Talent programs: definitions, applications and nominations with dossiers, expert review and selection within quotas. */
@Module({
  imports: [TypeOrmModule.forFeature([Program, ProgramApplication, ProgramReviewAssignment, ProgramReviewScore, ProgramMember])],
  providers: [ProgramsDirectory],
  exports: [ProgramsDirectory],
})
export class ProgramsModule {}
