import { Module } from '@nestjs/common';

/** Mentoring activities with confirmation, term targets and reviews that award credit once, final assessments, and rotations. */
@Module({
  imports: [],
  providers: [],
  controllers: [],
  exports: [],
})
export class MentoringWorkModule {}
