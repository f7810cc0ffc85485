import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError } from '../../common/errors.js';
import { SECRETS } from '../../common/core.module.js';
import type { Secrets } from '../../config/secrets.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { translate } from '../../common/i18n/i18n.js';
import { flash } from '../../common/web/flash.js';
import { AuthService } from './auth.service.js';
import { ChangePasswordFormDto, LoginFormDto } from './auth.dto.js';
import { csrfTokenFor, newToken, PRE_SESSION_COOKIE, safeEqual, SESSION_COOKIE } from './tokens.js';

/** Only same-site relative paths are followed after sign-in. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(
    private readonly auth: AuthService,
    @Inject(SECRETS) private readonly secrets: Secrets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('login')
  @Authorize('public')
  loginPage(@Req() req: Request, @Res() res: Response, @Query('next') next?: string) {
    this.renderLogin(req, res, { next: safeNext(next), identifier: '', error: null }, 200);
  }

  @Post('login')
  @Authorize('public')
  async login(@Req() req: Request, @Res() res: Response, @Body() body: LoginFormDto) {
    const binding = (req.cookies as Record<string, string>)[PRE_SESSION_COOKIE];
    if (!binding || !safeEqual(body._csrf, csrfTokenFor(this.secrets.sessionSecret, `pre:${binding}`))) {
      throw new DomainError('CSRF_INVALID', 403, 'Missing or invalid CSRF token');
    }
    try {
      const { token, expiresAt } = await this.auth.login(body.identifier, body.password, {
        ip: req.ip ?? 'unknown', userAgent: req.headers['user-agent'] ?? null, kind: 'web',
      });
      res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: this.config.COOKIE_SECURE, expires: expiresAt, path: '/' });
      res.clearCookie(PRE_SESSION_COOKIE);
      res.redirect(303, safeNext(body.next));
    } catch (error) {
      if (!(error instanceof DomainError) || !['INVALID_CREDENTIALS', 'TOO_MANY_ATTEMPTS'].includes(error.code)) throw error;
      const message = translate(req.locale, `errors.${error.code}`, error.params);
      this.renderLogin(req, res, { next: safeNext(body.next), identifier: body.identifier, error: message }, error.status);
    }
  }

  private renderLogin(req: Request, res: Response, data: { next: string; identifier: string; error: string | null }, status: number) {
    let binding = (req.cookies as Record<string, string>)[PRE_SESSION_COOKIE];
    if (!binding) {
      binding = newToken();
      res.cookie(PRE_SESSION_COOKIE, binding, { httpOnly: true, sameSite: 'lax', secure: this.config.COOKIE_SECURE, path: '/' });
    }
    res.locals.csrfToken = csrfTokenFor(this.secrets.sessionSecret, `pre:${binding}`);
    res.status(status).render('pages/auth/login', { title: translate(req.locale, 'login.title'), ...data });
  }

  @Post('logout')
  @Authorize('signed_in')
  async logout(@Access() access: AccessContext, @Res() res: Response) {
    await this.auth.logout(access.sessionId);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  }

  @Get('account/password')
  @Authorize('signed_in')
  passwordPage(@Req() req: Request, @Res() res: Response) {
    res.render('pages/auth/password', { title: translate(req.locale, 'password.title'), errors: {} });
  }

  @Post('account/password')
  @Authorize('signed_in')
  async changePassword(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response, @Body() body: ChangePasswordFormDto) {
    const errors: Record<string, string> = {};
    if (body.newPassword !== body.confirmPassword) errors.confirmPassword = translate(req.locale, 'password.mismatch');
    if (!errors.confirmPassword) {
      try {
        await this.auth.changePassword(access, body.currentPassword, body.newPassword);
        flash(res, { kind: 'success', key: 'password.changed' });
        return res.redirect(303, '/');
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.code === 'WRONG_PASSWORD') errors.currentPassword = translate(req.locale, 'errors.WRONG_PASSWORD');
        else errors.newPassword = translate(req.locale, 'password.rules');
      }
    }
    res.status(400).render('pages/auth/password', { title: translate(req.locale, 'password.title'), errors });
  }
}
