import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { OrgModule } from '../org/org.module.js';
import { Person } from './person.entity.js';
import { Employment, PersonCertificate, PersonHonour, StageDefinition, StageRecord, TitleRecord } from './person-records.entity.js';
import { PeopleDirectory } from './people-directory.service.js';
import { PeopleService } from './people.service.js';
import { PersonRecordsService } from './person-records.service.js';
import { StageDefinitionsService } from './stage-definitions.service.js';
import { PeopleQuery } from './people.query.js';
import { PeopleController } from './people.controller.js';
import { PeoplePagesController } from './people-pages.controller.js';
import { MeController } from './me.controller.js';
import { EmploymentHooks } from './employment-hooks.js';
import { PeopleBulkWriter } from './people-bulk-writer.js';

@Module({
  imports: [TypeOrmModule.forFeature([Person, Employment, TitleRecord, PersonCertificate, PersonHonour, StageRecord, StageDefinition]), AuditModule, OrgModule],
  providers: [PeopleDirectory, PeopleService, PersonRecordsService, StageDefinitionsService, PeopleQuery, EmploymentHooks, PeopleBulkWriter],
  controllers: [PeopleController, PeoplePagesController, MeController],
  exports: [PeopleDirectory, PersonRecordsService, EmploymentHooks, PeopleService, StageDefinitionsService, PeopleBulkWriter],
})
export class PeopleModule {}
