import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImportJob, ImportRow } from './imports.entities.js';

/** Spreadsheet imports of staff, org units and credit history: a per-row dry run, then resumable apply jobs with progress and a result file. */
@Module({
  imports: [TypeOrmModule.forFeature([ImportJob, ImportRow])],
})
export class ImportsModule {}
