import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CreditHistoryImporter } from './credit-history-importer.js';
import { ImportJob, ImportRow } from './imports.entities.js';
import { OrgUnitImporter } from './org-unit-importer.js';
import { ROW_IMPORTERS, type RowImporter } from './row-importer.js';

/** Spreadsheet imports of staff, org units and credit history: a per-row dry run, then resumable apply jobs with progress and a result file. */
@Module({
  imports: [TypeOrmModule.forFeature([ImportJob, ImportRow])],
  providers: [
    OrgUnitImporter, CreditHistoryImporter,
    { provide: ROW_IMPORTERS, useFactory: (...importers: RowImporter[]) => importers, inject: [OrgUnitImporter, CreditHistoryImporter] },
  ],
})
export class ImportsModule {}
