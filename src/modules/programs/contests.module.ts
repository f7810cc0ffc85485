import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContestEntry } from './contest.entities.js';

/** Contests (业务竞赛): entries, judged results and awards that feed the record. */
@Module({
  imports: [TypeOrmModule.forFeature([ContestEntry])],
})
export class ContestsModule {}
