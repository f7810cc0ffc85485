import { Module } from '@nestjs/common';
import { CompletionService } from './completion.service.js';

/** Completion rules (effective-dated), evaluation at once when the last condition is met, credit and reopening. */
@Module({
  imports: [],
  providers: [CompletionService],
  controllers: [],
  exports: [CompletionService],
})
export class CompletionModule {}
