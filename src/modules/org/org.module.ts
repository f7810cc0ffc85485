import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { OrgUnit } from './org-unit.entity.js';
import { KindergartenGroup, KindergartenGroupMember } from './kindergarten-group.entity.js';
import { OrgScopeService } from './org-scope.service.js';
import { OrgTreeQuery } from './org-tree.query.js';
import { GroupQuery } from './group.query.js';
import { OrgService } from './org.service.js';
import { GroupService } from './group.service.js';
import { OrgController } from './org.controller.js';
import { OrgPagesController } from './org-pages.controller.js';
import { GroupPagesController } from './group-pages.controller.js';
import { OrgBulkWriter } from './org-bulk-writer.js';

@Module({
  imports: [TypeOrmModule.forFeature([OrgUnit, KindergartenGroup, KindergartenGroupMember]), AuditModule],
  providers: [OrgScopeService, OrgTreeQuery, GroupQuery, OrgService, GroupService, OrgBulkWriter],
  controllers: [OrgController, OrgPagesController, GroupPagesController],
  exports: [OrgScopeService, OrgService, GroupService, OrgBulkWriter],
})
export class OrgModule {}
