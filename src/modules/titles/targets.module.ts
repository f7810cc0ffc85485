import { Module } from '@nestjs/common';

/** Workforce targets as data, title coverage with gap planning, and the staffing check. */
@Module({
  imports: [],
  providers: [],
  controllers: [],
  exports: [],
})
export class TargetsModule {}
