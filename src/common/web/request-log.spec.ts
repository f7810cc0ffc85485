import express from 'express';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { requestLog } from './request-log.js';

/** An app logging through `requestLog` at `level` into `lines`; `/fail` answers 500, `/missing` 404. */
async function withApp(level: string, work: (base: string, lines: Array<Record<string, unknown>>) => Promise<void>) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } });
  const logger = pino({ level }, sink);
  const app = express();
  app.use(requestLog(logger, { ignore: (url) => url === '/health' }));
  app.get('/ok', (_req, res) => { res.json({ ok: true }); });
  app.get('/health', (_req, res) => { res.json({ ok: true }); });
  app.get('/missing', (_req, res) => { res.status(404).json({}); });
  app.get('/fail', (_req, res) => { res.status(500).json({}); });
  const server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  try {
    await work(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers }).then((r) => r.arrayBuffer());
const settle = () => new Promise((r) => setImmediate(r));

describe('requestLog', () => {
  it('logs each answered request once at the level its status calls for, with the proxy request id', async () => {
    await withApp('info', async (base, lines) => {
      await get(`${base}/ok?x=1`, { 'x-request-id': 'req-42' });
      await get(`${base}/missing`);
      await get(`${base}/fail`);
      await get(`${base}/health`);
      await settle();
      expect(lines.map((l) => [l.level, (l.req as { url: string }).url, (l.res as { statusCode: number }).statusCode])).toEqual([
        [30, '/ok?x=1', 200], [40, '/missing', 404], [50, '/fail', 500],
      ]);
      expect(lines[0]!.reqId).toBe('req-42');
      expect(lines[1]!.reqId).toMatch(/^[0-9a-f-]{36}$/);
      expect(typeof lines[0]!.responseTime).toBe('number');
      expect(lines[0]!.msg).toBe('request completed');
    });
  });

  it('at level warn writes only the failures', async () => {
    await withApp('warn', async (base, lines) => {
      await get(`${base}/ok`);
      await get(`${base}/missing`);
      await settle();
      expect(lines.map((l) => (l.res as { statusCode: number }).statusCode)).toEqual([404]);
    });
  });
});
