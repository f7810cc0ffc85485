import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

type Level = 'info' | 'warn' | 'error';

/**
 * One log line per request when its answer is sent: info, warn for 4xx, error for 5xx; warn "request
 * aborted" when the client went away first. The line carries the request's id (the proxy's
 * X-Request-Id, else a new one), method, address, status and time. Nothing is built for a line the
 * level drops: pino-http made a child logger and serialised the request for every request whatever
 * the level, which under load was a quarter of a simple request's CPU.
 */
export function requestLog(logger: Logger, options: { ignore: (url: string) => boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const write = (level: Level, message: string) => {
      if (!logger.isLevelEnabled(level) || (level === 'info' && options.ignore(req.url))) return;
      const id = req.headers['x-request-id'];
      logger[level]({
        reqId: typeof id === 'string' && id ? id : randomUUID(),
        req: { method: req.method, url: req.originalUrl, remoteAddress: req.ip },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - started),
      }, message);
    };
    res.once('finish', () => write(res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info', 'request completed'));
    res.once('close', () => { if (!res.writableFinished) write('warn', 'request aborted'); });
    next();
  };
}
