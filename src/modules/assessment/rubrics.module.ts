import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { FilesModule } from '../files/files.module.js';
import { UploadParser } from '../files/upload-parser.js';
import { Rubric } from './assessment.entities.js';
import { RubricsPagesController } from './rubrics-pages.controller.js';
import { RubricsController } from './rubrics.controller.js';
import { RubricsQuery } from './rubrics.query.js';
import { RubricsService } from './rubrics.service.js';

/** Reusable rubrics and marking guides, with spreadsheet import and export. */
@Module({
  imports: [TypeOrmModule.forFeature([Rubric]), AuditModule, FilesModule],
  providers: [RubricsService, RubricsQuery],
  controllers: [RubricsController, RubricsPagesController],
  exports: [RubricsService],
})
export class RubricsModule implements NestModule {
  constructor(private readonly uploads: UploadParser) {}

  /** The sheet is read before the access guard, which then finds a page form's `_csrf` in the body. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.uploads.middleware('file')).forRoutes(
      { path: 'api/rubrics/import', method: RequestMethod.POST },
      { path: 'rubrics/import', method: RequestMethod.POST },
    );
  }
}
