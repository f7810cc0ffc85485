import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's security headers, worked out once at start. Our policy is the same for every request (no
 * per-request nonce: the pages load no inline script), yet helmet rebuilds each header string, the
 * content-security policy included, on every request; under load that was about a tenth of a
 * request's CPU. The headers sent are exactly helmet's (security-headers.spec.ts).
 */
export function securityHeaders(options: HelmetOptions) {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const probe = {
    setHeader: (name: string, value: unknown) => { set.push([name, String(value)]); },
    removeHeader: (name: string) => { removed.push(name); },
    getHeader: () => undefined,
    locals: {},
  };
  let synchronous = false;
  helmet(options)({ headers: {} } as Request, probe as unknown as Response, (error?: unknown) => {
    if (error) throw error;
    synchronous = true;
  });
  if (!synchronous) throw new Error('securityHeaders: helmet did not finish synchronously; its headers cannot be precomputed');
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
