import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { PeopleModule } from '../people/people.module.js';
import { EthicsSanction } from './ethics-sanction.entity.js';
import { EthicsService } from './ethics.service.js';
import { EthicsController } from './ethics.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([EthicsSanction]), AuditModule, PeopleModule],
  providers: [EthicsService],
  controllers: [EthicsController],
  exports: [EthicsService],
})
export class TitlesModule {}
