import type { NextFunction, Request, Response } from 'express';

const FLASH_COOKIE = 'tgp_flash';

export interface FlashMessage {
  kind: 'success' | 'danger' | 'info' | 'warning';
  /** An i18n key, rendered in the reader's language. */
  key: string;
}

/** A message shown once on the next page, carried in a short-lived cookie across the redirect. */
export function flash(res: Response, message: FlashMessage): void {
  res.cookie(FLASH_COOKIE, JSON.stringify(message), { httpOnly: true, sameSite: 'lax', maxAge: 60_000 });
}

export function flashMiddleware(req: Request, res: Response, next: NextFunction) {
  const raw = (req.cookies as Record<string, string> | undefined)?.[FLASH_COOKIE];
  res.locals.flash = [];
  if (raw) {
    try {
      const message = JSON.parse(raw) as FlashMessage;
      if (typeof message.key === 'string' && typeof message.kind === 'string') res.locals.flash = [message];
    } catch {
      /* an unreadable flash is dropped */
    }
    res.clearCookie(FLASH_COOKIE);
  }
  next();
}
