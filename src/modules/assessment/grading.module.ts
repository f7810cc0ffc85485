import { Module } from '@nestjs/common';

/** Marking one submission at a time, second marking, release, and the history of released grades. */
@Module({
  imports: [],
  providers: [],
  controllers: [],
  exports: [],
})
export class GradingModule {}
