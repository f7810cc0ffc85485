import express from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import type { AddressInfo } from 'node:net';
import { securityHeaders } from './security-headers.js';

const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], frameAncestors: ["'none'"], upgradeInsecureRequests: null } },
};

/** The headers one GET answers with, from an express app using `middleware`. */
async function headersWith(middleware: express.RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.use(middleware);
  app.get('/', (_req, res) => { res.json({ ok: true }); });
  const server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await response.arrayBuffer();
    const out = Object.fromEntries(response.headers);
    delete out.date;
    return out;
  } finally {
    await new Promise((r) => server.close(r));
  }
}

describe('securityHeaders', () => {
  it('sends exactly the headers helmet sends with the same options, X-Powered-By removed included', async () => {
    const expected = await headersWith(helmet(OPTIONS));
    const actual = await headersWith(securityHeaders(OPTIONS));
    expect(actual).toEqual(expected);
    expect(actual['content-security-policy']).toContain("script-src 'self'");
    expect(actual['x-powered-by']).toBeUndefined();
  });

  it('follows the options: another policy gives other headers', async () => {
    const other = await headersWith(securityHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"] } }, frameguard: false }));
    expect(other['content-security-policy']).toContain("default-src 'none'");
    expect(other['x-frame-options']).toBeUndefined();
  });
});
