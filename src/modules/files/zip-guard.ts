import { constants, inflateRawSync } from 'node:zlib';
import type { FieldProblem } from '../../common/errors.js';

/**
 * Zip-bomb limits for Office files (docx/xlsx/pptx are ZIP archives). Real workbooks compress XML
 * about 10–20:1 (a 50,000-row staff sheet: 1.4 MB holding 12 MB); deflate can reach ~1,000:1.
 */
export const ZIP_LIMITS = {
  /** Entries in one archive (a real workbook has a few dozen). */
  maxEntries: 10_000,
  /** All entries together, declared or inflated: this, or twice the archive for big files of already-compressed media. */
  maxTotalBytes: 100 * 1024 * 1024,
  /** Uncompressed ÷ compressed size allowed for one entry once it is big (below that, any ratio is harmless). */
  maxRatio: 100,
  ratioFromBytes: 1024 * 1024,
};
export type ZipLimits = typeof ZIP_LIMITS;

export type ZipRefusal = 'unreadable' | 'too_many_entries' | 'too_large' | 'ratio';
export type ZipVerdict = { ok: true; entries: number; inflatedBytes: number } | { ok: false; reason: ZipRefusal; detail: string };

export const ARCHIVE_TOO_LARGE = 'FILE_ARCHIVE_TOO_LARGE';

/** The uploaded kinds that are ZIP archives (Office Open XML), checked with `checkZip` before they are stored or read. */
export const ZIP_BASED_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_RECORD = 0x06054b50;
const DATA_DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);

/** One entry's compressed bytes as a reader will inflate them, and the size its header declares. */
interface Span { name: string; method: number; start: number; end: number; declared: number }

class Refused extends Error {
  constructor(readonly reason: ZipRefusal, detail: string) { super(detail); }
}

/** The total an archive of this size may hold. */
export function totalLimit(archiveBytes: number, limits: ZipLimits = ZIP_LIMITS): number {
  return Math.max(limits.maxTotalBytes, 2 * archiveBytes);
}

/**
 * Whether a ZIP archive is safe to open, decided before any reader inflates it: the central
 * directory's entry count, declared sizes and ratios; then every entry, as found both through the
 * central directory (how JSZip and Office read) and by walking the local headers in order (how the
 * streaming reader reads), is inflated into a buffer no larger than its declared size plus one
 * byte, so an archive whose headers lie about sizes is refused without ever inflating more than
 * the limit. A deflate stream ends itself, so a reader cannot get more out of an entry than this.
 */
export function checkZip(bytes: Buffer, limits: ZipLimits = ZIP_LIMITS): ZipVerdict {
  try {
    const limit = totalLimit(bytes.length, limits);
    const spans = [...centralSpans(bytes, limits), ...localSpans(bytes, limits)];
    for (const list of [spans.filter((s) => s.name.startsWith('cd:')), spans.filter((s) => s.name.startsWith('local:'))]) {
      const declared = list.reduce((sum, s) => sum + s.declared, 0);
      if (declared > limit) throw new Refused('too_large', `the archive declares ${declared} bytes uncompressed, more than ${limit}`);
      for (const span of list) {
        const compressed = span.end - span.start;
        if (span.declared >= limits.ratioFromBytes && span.declared > limits.maxRatio * Math.max(compressed, 1)) {
          throw new Refused('ratio', `${span.name} would inflate ${compressed} bytes to ${span.declared}`);
        }
      }
    }
    // The two readings normally find the same spans: each is inflated once.
    const inflated = new Map<string, number>();
    for (const span of spans) {
      const key = `${span.start}:${span.end}:${span.method}`;
      if (!inflated.has(key)) inflated.set(key, inflatedSize(bytes, span));
    }
    return { ok: true, entries: spans.filter((s) => s.name.startsWith('cd:')).length, inflatedBytes: [...inflated.values()].reduce((sum, n) => sum + n, 0) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason, detail: error.message };
    return { ok: false, reason: 'unreadable', detail: (error as Error).message };
  }
}

/** The refusal as a field error (400), or null when the archive is fine. */
export function zipProblem(bytes: Buffer, field = 'file', limits: ZipLimits = ZIP_LIMITS): FieldProblem | null {
  const verdict = checkZip(bytes, limits);
  if (verdict.ok) return null;
  const message = verdict.reason === 'unreadable'
    ? `${field} is a damaged archive (${verdict.detail})`
    : `${field} unpacks to too much data (${verdict.detail}); a real document never does`;
  return { field, code: verdict.reason === 'unreadable' ? 'FILE_UNREADABLE' : ARCHIVE_TOO_LARGE, message };
}

/** The entries named by the central directory, with the data each local header points at. */
function centralSpans(bytes: Buffer, limits: ZipLimits): Span[] {
  const end = endRecordAt(bytes);
  const count = bytes.readUInt16LE(end + 10);
  if (count === 0xffff || bytes.readUInt16LE(end + 8) !== count) throw new Refused('unreadable', 'multi-disk or ZIP64 archives are not accepted');
  if (count > limits.maxEntries) throw new Refused('too_many_entries', `${count} entries, more than ${limits.maxEntries}`);
  let at = bytes.readUInt32LE(end + 16);
  const spans: Span[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || bytes.readUInt32LE(at) !== CENTRAL_HEADER) throw new Refused('unreadable', 'the central directory is cut short');
    const method = bytes.readUInt16LE(at + 10);
    const compressed = bytes.readUInt32LE(at + 20);
    const declared = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const offset = bytes.readUInt32LE(at + 42);
    if (compressed === 0xffffffff || declared === 0xffffffff || offset === 0xffffffff) throw new Refused('unreadable', 'ZIP64 entries are not accepted');
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    if (offset + 30 > bytes.length || bytes.readUInt32LE(offset) !== LOCAL_HEADER) throw new Refused('unreadable', `${name} has no local header`);
    const start = offset + 30 + bytes.readUInt16LE(offset + 26) + bytes.readUInt16LE(offset + 28);
    if (start + compressed > bytes.length) throw new Refused('unreadable', `${name} runs past the end of the file`);
    spans.push({ name: `cd:${name}`, method, start, end: start + compressed, declared: method === 0 ? compressed : declared });
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return spans;
}

/** The entries a streaming reader finds by walking local headers from the start up to the central directory. */
function localSpans(bytes: Buffer, limits: ZipLimits): Span[] {
  const spans: Span[] = [];
  let at = 0;
  while (at + 4 <= bytes.length) {
    const signature = bytes.readUInt32LE(at);
    if (signature === CENTRAL_HEADER || signature === END_RECORD) return spans;
    if (signature !== LOCAL_HEADER || at + 30 > bytes.length) throw new Refused('unreadable', `no entry where one should start (byte ${at})`);
    if (spans.length >= limits.maxEntries) throw new Refused('too_many_entries', `more than ${limits.maxEntries} entries`);
    const flags = bytes.readUInt16LE(at + 6);
    const method = bytes.readUInt16LE(at + 8);
    let compressed = bytes.readUInt32LE(at + 18);
    let declared = bytes.readUInt32LE(at + 22);
    const nameLength = bytes.readUInt16LE(at + 26);
    const name = bytes.toString('utf8', at + 30, at + 30 + nameLength);
    const start = at + 30 + nameLength + bytes.readUInt16LE(at + 28);
    let next: number;
    if (!(flags & 0x08) || compressed > 0) {
      next = start + compressed;
      // Some writers give the sizes up front and still add a descriptor: step over it.
      if (flags & 0x08 && bytes.subarray(next, next + 4).equals(DATA_DESCRIPTOR)) next += 16;
    } else {
      // Sizes follow the data, after the descriptor's signature (where the streaming reader stops too).
      const descriptor = bytes.indexOf(DATA_DESCRIPTOR, start);
      if (descriptor < 0 || descriptor + 16 > bytes.length) throw new Refused('unreadable', `${name} has no data descriptor`);
      compressed = descriptor - start;
      declared = bytes.readUInt32LE(descriptor + 12);
      next = descriptor + 16;
    }
    if (start + compressed > bytes.length) throw new Refused('unreadable', `${name} runs past the end of the file`);
    spans.push({ name: `local:${name}`, method, start, end: start + compressed, declared: method === 0 ? compressed : declared });
    at = next;
  }
  return spans;
}

function endRecordAt(bytes: Buffer): number {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (bytes.readUInt32LE(at) === END_RECORD && at + 22 + bytes.readUInt16LE(at + 20) === bytes.length) return at;
  }
  throw new Refused('unreadable', 'no central directory');
}

/** What the entry really inflates to, refused as soon as that passes what its header declared. */
function inflatedSize(bytes: Buffer, span: Span): number {
  if (span.method === 0) return span.end - span.start;
  if (span.method !== 8) throw new Refused('unreadable', `${span.name.replace(/^\w+:/, '')} uses compression method ${span.method}`);
  try {
    // A stream cut short still counts what it gives; only its size matters here.
    return inflateRawSync(bytes.subarray(span.start, span.end), { maxOutputLength: span.declared + 1, finishFlush: constants.Z_SYNC_FLUSH }).length;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Refused('too_large', `${span.name.replace(/^\w+:/, '')} inflates to more than the ${span.declared} bytes it declares`);
    }
    throw new Refused('unreadable', `${span.name.replace(/^\w+:/, '')} cannot be inflated`);
  }
}
