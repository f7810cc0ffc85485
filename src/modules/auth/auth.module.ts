import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrgModule } from '../org/org.module.js';
import { PeopleModule } from '../people/people.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { AppUser, AuthSession, LoginThrottle, RoleAssignment } from './auth.entities.js';
import { AuthService } from './auth.service.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { SessionTokenStrategy } from './session-token.strategy.js';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthPagesController } from './auth-pages.controller.js';
import { UsersService } from './users.service.js';
import { UsersController } from './users.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([AppUser, AuthSession, RoleAssignment, LoginThrottle]), PassportModule, OrgModule, PeopleModule, AuditModule],
  providers: [AuthService, UsersService, LoginThrottleService, SessionTokenStrategy, { provide: APP_GUARD, useClass: AccessGuard }],
  controllers: [AuthController, AuthPagesController, UsersController],
  exports: [AuthService],
})
export class AuthModule {}
