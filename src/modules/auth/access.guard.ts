import { Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import { ACCESS_RULE, type AccessRule } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { Forbidden, Unauthenticated } from '../../common/errors.js';
import { SECRETS } from '../../common/core.module.js';
import type { Secrets } from '../../config/secrets.js';
import { csrfTokenFor, safeEqual } from './tokens.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard: a route without an access rule is refused; otherwise the caller is resolved,
 * the rule checked, and cookie-authenticated writes must carry the session's CSRF token.
 */
@Injectable()
export class AccessGuard extends AuthGuard('session-token') {
  constructor(private readonly reflector: Reflector, @Inject(SECRETS) private readonly secrets: Secrets) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (!rule) throw new Forbidden('ROUTE_NOT_DECLARED', 'This route declares no access rule');
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    try {
      await super.canActivate(context);
    } catch (error) {
      if (rule.kind !== 'public') throw error;
    }
    const access = (req.user as AccessContext | undefined) ?? null;
    res.locals.access = access;
    if (access && req.localeChosen) access.locale = req.locale;
    else if (access) res.locals.locale = req.locale = access.locale;
    if (access) res.locals.csrfToken = csrfTokenFor(this.secrets.sessionSecret, access.sessionId);
    if (rule.kind === 'public') return true;
    if (!access) throw new Unauthenticated();
    if (access.viaCookie && !SAFE_METHODS.has(req.method)) {
      const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, res.locals.csrfToken as string)) {
        throw new Forbidden('CSRF_INVALID', 'Missing or invalid CSRF token');
      }
    }
    if (req.body && typeof req.body === 'object') delete (req.body as Record<string, unknown>)._csrf;
    if (rule.kind === 'permission' && !access.can(rule.permission)) throw new Forbidden();
    return true;
  }

  /** No caller is 401; a failure while resolving one (the database out of reach) is that failure, not a sign-out. */
  override handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error;
    if (!user) throw new Unauthenticated();
    return user;
  }
}
