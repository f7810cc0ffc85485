import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'tgp_session';
export const PRE_SESSION_COOKIE = 'tgp_presession';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Sessions are stored by hash, so a database read does not yield usable tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The form token bound to a session (or to the pre-session cookie on the sign-in page). */
export function csrfTokenFor(secret: string, binding: string): string {
  return createHmac('sha256', secret).update(`csrf:${binding}`).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
