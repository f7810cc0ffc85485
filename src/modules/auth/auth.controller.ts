import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { NoIdempotency } from '../../common/idempotency/no-idempotency.decorator.js';
import { AuthService } from './auth.service.js';
import { ChangePasswordDto, LoginDto } from './auth.dto.js';

@ApiTags('auth')
@Controller('api')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/login')
  @NoIdempotency('its answer is a new session token: a replay would hand out a credential again, and the caller is not known yet')
  @HttpCode(200)
  @Authorize('public')
  async login(@Body() body: LoginDto, @Req() req: Request) {
    const { token, expiresAt } = await this.auth.login(body.identifier, body.password, {
      ip: req.ip ?? 'unknown', userAgent: req.headers['user-agent'] ?? null, kind: 'api',
    });
    return { accessToken: token, tokenType: 'Bearer', expiresAt: expiresAt.toISOString() };
  }

  @Post('auth/logout')
  @NoIdempotency('ends the calling session; after it the key could never be replayed to the same session anyway')
  @HttpCode(204)
  @Authorize('signed_in')
  @ApiBearerAuth()
  async logout(@Access() access: AccessContext) {
    await this.auth.logout(access.sessionId);
  }

  @Post('auth/logout-everywhere')
  @NoIdempotency('revokes every session including the calling one; a retry must run again, not replay')
  @HttpCode(200)
  @Authorize('signed_in')
  @ApiBearerAuth()
  async logoutEverywhere(@Access() access: AccessContext) {
    return { revokedSessions: await this.auth.logoutEverywhere(access.userId) };
  }

  @Post('auth/password')
  @NoIdempotency('checks the current password each time; a replayed success would skip that check')
  @HttpCode(204)
  @Authorize('signed_in')
  @ApiBearerAuth()
  async changePassword(@Access() access: AccessContext, @Body() body: ChangePasswordDto) {
    await this.auth.changePassword(access, body.currentPassword, body.newPassword);
  }

  @Get('me')
  @Authorize('signed_in')
  @ApiBearerAuth()
  me(@Access() access: AccessContext) {
    return {
      userId: access.userId,
      username: access.username,
      displayName: access.displayName,
      personId: access.personId,
      locale: access.locale,
      roles: access.grants.map((g) => ({ role: g.role, orgUnitId: g.orgUnitId, groupId: g.groupId })),
    };
  }
}
