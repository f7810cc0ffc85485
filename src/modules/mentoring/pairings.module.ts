import { Module } from '@nestjs/common';

/** Pairings 1+N: proposals, consents, approvals per kindergarten, agreements, limits, matching suggestions and the probation year. */
@Module({
  imports: [],
  providers: [],
  controllers: [],
  exports: [],
})
export class PairingsModule {}
