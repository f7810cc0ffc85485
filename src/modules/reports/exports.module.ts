import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExportJob } from '../imports/imports.entities.js';

/** Exports of list pages to XLSX and CSV, large ones as jobs, with sensitive columns masked unless the user may see them. */
@Module({
  imports: [TypeOrmModule.forFeature([ExportJob])],
})
export class ExportsModule {}
