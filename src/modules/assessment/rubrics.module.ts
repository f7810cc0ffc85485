import { Module } from '@nestjs/common';

/** Reusable rubrics and marking guides, with spreadsheet import and export. */
@Module({
  imports: [],
  providers: [],
  controllers: [],
  exports: [],
})
export class RubricsModule {}
