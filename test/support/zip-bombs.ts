import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * ZIP archives built in the test, honest or lying, for the zip-bomb guard (no binary fixtures).
 * A bomb's deflate stream is 1 MiB blocks of zeros flushed one after another, so 150 MiB of
 * content takes about 150 KB and building it never holds the content itself.
 */
export interface ZipEntrySpec {
  name: string;
  /** Content stored deflated (method 8). */
  data?: Buffer | string;
  /** A ready raw-deflate stream and the size it inflates to (a bomb). */
  deflated?: { raw: Buffer; size: number };
  /** Sizes to declare instead of the real uncompressed size: in the central directory, in the local header. */
  centralSays?: number;
  localSays?: number;
  /** Sizes only after the data, in a data descriptor (as streaming writers do). */
  descriptor?: boolean;
}

const MIB = 1024 * 1024;

/** A raw deflate stream of `size` zero bytes. */
export function zerosDeflated(size: number): { raw: Buffer; size: number } {
  const block = deflateRawSync(Buffer.alloc(MIB), { finishFlush: constants.Z_SYNC_FLUSH });
  const whole = Math.floor(size / MIB);
  const tail = deflateRawSync(Buffer.alloc(size - whole * MIB));
  return { raw: Buffer.concat([...Array.from({ length: whole }, () => block), tail]), size };
}

export function zipOf(entries: ZipEntrySpec[], options: { hidden?: ZipEntrySpec[] } = {}): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const write = (entry: ZipEntrySpec, listed: boolean) => {
    const content = entry.data === undefined ? null : Buffer.from(entry.data);
    const raw = entry.deflated?.raw ?? deflateRawSync(content ?? Buffer.alloc(0));
    const size = entry.deflated?.size ?? content?.length ?? 0;
    const crc = content ? crc32(content) : 0;
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.descriptor ? 0x0808 : 0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.descriptor ? 0 : crc, 14);
    local.writeUInt32LE(entry.descriptor ? 0 : raw.length, 18);
    local.writeUInt32LE(entry.descriptor ? 0 : entry.localSays ?? size, 22);
    local.writeUInt16LE(name.length, 26);
    const pieces = [local, name, raw];
    if (entry.descriptor) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(raw.length, 8);
      descriptor.writeUInt32LE(entry.localSays ?? size, 12);
      pieces.push(descriptor);
    }
    if (listed) {
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(entry.descriptor ? 0x0808 : 0x0800, 8);
      central.writeUInt16LE(8, 10);
      central.writeUInt32LE(crc, 16);
      central.writeUInt32LE(raw.length, 20);
      central.writeUInt32LE(entry.centralSays ?? size, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt32LE(offset, 42);
      centrals.push(central, name);
    }
    parts.push(...pieces);
    offset += pieces.reduce((sum, p) => sum + p.length, 0);
  };
  for (const entry of entries) write(entry, true);
  for (const entry of options.hidden ?? []) write(entry, false);
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
  + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
  + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
  + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
const WORKBOOK = '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
  + 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>';

/**
 * An .xlsx (as sniffed: content types and a workbook part) whose sheet part inflates to `size`
 * bytes, declaring honestly or, with `says`, a small size in both directories.
 */
export function bombWorkbook(size: number, options: { says?: number; descriptor?: boolean } = {}): Buffer {
  return zipOf([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: 'xl/workbook.xml', data: WORKBOOK },
    { name: 'xl/worksheets/sheet1.xml', deflated: zerosDeflated(size), centralSays: options.says, localSays: options.says, descriptor: options.descriptor },
  ]);
}

/** The same workbook parts around a given sheet part entry (for entries that lie in one directory only). */
export function workbookWith(sheet: Omit<ZipEntrySpec, 'name'>, extra: ZipEntrySpec[] = [], hidden: ZipEntrySpec[] = []): Buffer {
  return zipOf([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: 'xl/workbook.xml', data: WORKBOOK },
    { name: 'xl/worksheets/sheet1.xml', ...sheet },
    ...extra,
  ], { hidden });
}

export { MIB };
