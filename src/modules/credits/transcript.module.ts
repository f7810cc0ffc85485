import { Module } from '@nestjs/common';

/** Transcripts (page and PDF), compliance reports and exports, cycle-end reminders. */
@Module({})
export class TranscriptModule {}
