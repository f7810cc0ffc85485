import { Module } from '@nestjs/common';

/** The gradebook per offering: learners × items, export, and bulk grade import with a dry run. */
@Module({
  imports: [],
  providers: [],
  controllers: [],
  exports: [],
})
export class GradebookModule {}
