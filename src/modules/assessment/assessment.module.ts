import { Module } from '@nestjs/common';

/** Assessment items (assignments, course evaluation surveys, offline items) and learners' submissions. */
@Module({
  imports: [],
  providers: [],
  controllers: [],
  exports: [],
})
export class AssessmentModule {}
