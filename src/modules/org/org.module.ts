import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { OrgUnit } from './org-unit.entity.js';
import { KindergartenGroup, KindergartenGroupMember } from './kindergarten-group.entity.js';
import { OrgScopeService } from './org-scope.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([OrgUnit, KindergartenGroup, KindergartenGroupMember]), AuditModule],
  providers: [OrgScopeService],
  controllers: [],
  exports: [OrgScopeService],
})
export class OrgModule {}
