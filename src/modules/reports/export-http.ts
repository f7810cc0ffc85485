import type { Readable } from 'node:stream';
import type { Response } from 'express';

/** `attachment` with an ASCII fallback name and the real (UTF-8, RFC 5987) name, which browsers show for Chinese names. */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Headers of every export download: always saved, never sniffed or rendered by the browser, never cached. */
function downloadHeaders(res: Response, name: string, contentType: string): void {
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Disposition', attachment(name));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
}

export function sendFile(res: Response, file: { fileName: string; contentType: string; bytes: Buffer }): void {
  downloadHeaders(res, file.fileName, file.contentType);
  res.status(200).send(file.bytes);
}

export function sendStream(res: Response, name: string, contentType: string, size: number, stream: Readable): void {
  downloadHeaders(res, name, contentType);
  res.setHeader('Content-Length', String(size));
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
