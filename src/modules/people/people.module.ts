import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { OrgModule } from '../org/org.module.js';
import { Person } from './person.entity.js';
import { Employment, PersonCertificate, PersonHonour, StageDefinition, StageRecord, TitleRecord } from './person-records.entity.js';
import { PeopleDirectory } from './people-directory.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Person, Employment, TitleRecord, PersonCertificate, PersonHonour, StageRecord, StageDefinition]), AuditModule, OrgModule],
  providers: [PeopleDirectory],
  controllers: [],
  exports: [PeopleDirectory],
})
export class PeopleModule {}
