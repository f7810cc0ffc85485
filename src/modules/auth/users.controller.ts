import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { PageQuery } from '../../common/pagination.js';
import { UsersService } from './users.service.js';
import { CreateUserDto, RoleGrantDto } from './users.dto.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Authorize('roles.manage')
  async list(@Access() access: AccessContext, @Query() query: PageQuery) {
    return { ...(await this.users.list(access, query.q, query.page, query.pageSize)), page: query.page, pageSize: query.pageSize };
  }

  @Get(':id')
  @Authorize('roles.manage')
  get(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.users.get(access, id);
  }

  @Post()
  @Authorize('roles.manage')
  create(@Access() access: AccessContext, @Body() body: CreateUserDto) {
    return this.users.create(access, body);
  }

  @Post(':id/roles')
  @Authorize('roles.manage')
  grant(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: RoleGrantDto) {
    return this.users.grant(access, id, body);
  }

  @Delete(':id/roles/:assignmentId')
  @HttpCode(204)
  @Authorize('roles.manage')
  revoke(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Param('assignmentId', ParseUUIDPipe) assignmentId: string) {
    return this.users.revoke(access, id, assignmentId);
  }

  @Post(':id/disable')
  @HttpCode(204)
  @Authorize('roles.manage')
  disable(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.users.setDisabled(access, id, true);
  }

  @Post(':id/enable')
  @HttpCode(204)
  @Authorize('roles.manage')
  enable(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string) {
    return this.users.setDisabled(access, id, false);
  }
}
