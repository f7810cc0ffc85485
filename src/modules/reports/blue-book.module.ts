import { Module } from '@nestjs/common';
import { ComplianceModule } from '../credits/compliance.module.js';
import { TargetsModule } from '../titles/targets.module.js';
import { BlueBookActivityQuery } from './blue-book-activity.query.js';
import { BlueBookProgramsQuery } from './blue-book-programs.query.js';
import { BlueBookPagesController } from './blue-book-pages.controller.js';
import { BlueBookController } from './blue-book.controller.js';
import { BlueBookQuery } from './blue-book.query.js';
import { BlueBookService } from './blue-book.service.js';

/** The yearly blue book (学前教育蓝皮书): HTML and PDF with server-side charts. */
@Module({
  imports: [ComplianceModule, TargetsModule],
  providers: [BlueBookQuery, BlueBookActivityQuery, BlueBookProgramsQuery, BlueBookService],
  controllers: [BlueBookController, BlueBookPagesController],
  exports: [BlueBookService],
})
export class BlueBookModule {}
