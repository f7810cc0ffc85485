import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { OrgService } from './org.service.js';
import { GroupService } from './group.service.js';
import { CreateOrgUnitDto, MoveOrgUnitDto, OrgPageQuery, OrgUnitListQuery, UpdateOrgUnitDto } from './org.dto.js';
import { CreateGroupDto, GroupMembersDto, UpdateGroupDto } from './group.dto.js';

@ApiTags('org')
@ApiBearerAuth()
@Controller('api')
export class OrgController {
  constructor(private readonly org: OrgService, private readonly groups: GroupService) {}

  @Get('org-units')
  @Authorize('org.read')
  list(@Access() access: AccessContext, @Query() query: OrgUnitListQuery) {
    const { page, pageSize, lang: _lang, ...filters } = query;
    return this.org.list(access, filters, page, pageSize);
  }

  @Get('org-units/tree')
  @Authorize('org.read')
  async tree(@Access() access: AccessContext) {
    return { roots: await this.org.tree(access) };
  }

  @Get('org-units/:id')
  @Authorize('org.read')
  detail(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.org.detail(access, id);
  }

  @Post('org-units')
  @Authorize('org.write')
  create(@Access() access: AccessContext, @Body() dto: CreateOrgUnitDto) {
    return this.org.create(access, dto);
  }

  @Patch('org-units/:id')
  @Authorize('org.write')
  update(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateOrgUnitDto) {
    return this.org.update(access, id, dto);
  }

  @Post('org-units/:id/move')
  @HttpCode(200)
  @Authorize('org.write')
  move(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: MoveOrgUnitDto) {
    return this.org.move(access, id, dto.parentId);
  }

  @Get('groups')
  @Authorize('org.read')
  listGroups(@Access() access: AccessContext, @Query() query: OrgPageQuery) {
    return this.groups.list(access, query.q, query.page, query.pageSize);
  }

  @Get('groups/:id')
  @Authorize('org.read')
  group(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.groups.detail(access, id);
  }

  @Post('groups')
  @Authorize('org.write')
  createGroup(@Access() access: AccessContext, @Body() dto: CreateGroupDto) {
    return this.groups.create(access, dto);
  }

  @Patch('groups/:id')
  @Authorize('org.write')
  updateGroup(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateGroupDto) {
    return this.groups.update(access, id, dto);
  }

  @Put('groups/:id/members')
  @Authorize('org.write')
  replaceMembers(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: GroupMembersDto) {
    return this.groups.replaceMembers(access, id, dto.members);
  }
}
