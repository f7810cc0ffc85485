import type { NextFunction, Request, Response } from 'express';
import { isLocale, type Locale } from '../i18n/i18n.js';

export const LOCALE_COOKIE = 'tgp_lang';

declare module 'express-serve-static-core' {
  interface Request {
    locale: Locale;
    localeChosen: boolean;
  }
}

/** `?lang=en` switches and remembers the language; otherwise the cookie, otherwise the default (Chinese). */
export function localeMiddleware(defaultLocale: Locale) {
  return (req: Request, res: Response, next: NextFunction) => {
    const asked = req.query.lang;
    if (isLocale(asked)) {
      res.cookie(LOCALE_COOKIE, asked, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 24 * 3600_000 });
      // A page visit drops `lang` from the address once remembered, so list filters never see it.
      if (req.method === 'GET' && !isApiRequest(req)) {
        const url = new URL(req.originalUrl, 'http://local');
        url.searchParams.delete('lang');
        res.redirect(303, `${url.pathname}${url.search}`);
        return;
      }
      req.locale = asked;
      req.localeChosen = true;
    } else {
      const cookie = (req.cookies as Record<string, string> | undefined)?.[LOCALE_COOKIE];
      req.locale = isLocale(cookie) ? cookie : defaultLocale;
      req.localeChosen = isLocale(cookie);
    }
    res.locals.locale = req.locale;
    res.locals.currentPath = req.path;
    next();
  };
}

export function isApiRequest(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/api' || req.path === '/health';
}
