import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import type { Request } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { AuthService } from './auth.service.js';
import { SESSION_COOKIE } from './tokens.js';

/** Reads the bearer token (API clients) or the session cookie (web pages) and resolves the caller. */
@Injectable()
export class SessionTokenStrategy extends PassportStrategy(Strategy, 'session-token') {
  constructor(private readonly auth: AuthService) {
    super();
  }

  async validate(req: Request): Promise<AccessContext | false> {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) return (await this.auth.resolve(header.slice(7).trim(), false)) ?? false;
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (cookie) return (await this.auth.resolve(cookie, true)) ?? false;
    return false;
  }
}
