/**
 * The kinds of file the platform accepts, recognised by their bytes (never by the client's name or
 * content type). None of them is anything a browser would run; a file that is none of them is refused.
 */
export const SNIFFED_TYPES = {
  'application/pdf': { extension: 'pdf' },
  'image/jpeg': { extension: 'jpg' },
  'image/png': { extension: 'png' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { extension: 'docx' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extension: 'xlsx' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { extension: 'pptx' },
  'application/msword': { extension: 'doc' },
  'application/vnd.ms-excel': { extension: 'xls' },
  'application/vnd.ms-powerpoint': { extension: 'ppt' },
  'video/mp4': { extension: 'mp4' },
  'video/quicktime': { extension: 'mov' },
  'audio/mp4': { extension: 'm4a' },
  'audio/mpeg': { extension: 'mp3' },
} as const;

/**
 * Data files for imports and exports, kept apart from SNIFFED_TYPES so they are never offered as
 * something a teacher hands in. CSV has no magic bytes: it is recognised as plain text (see isCsvText).
 */
export const DATA_TYPES = {
  'text/csv': { extension: 'csv' },
} as const;
export type SniffedType = keyof typeof SNIFFED_TYPES | keyof typeof DATA_TYPES;

/** The type with this extension (`docx`, `.PDF`), or null; for settings such as an assignment's allowed types. */
export function typeOfExtension(extension: string): SniffedType | null {
  const wanted = extension.replace(/^\./, '').toLowerCase();
  const found = Object.entries({ ...SNIFFED_TYPES, ...DATA_TYPES }).find(([, info]) => info.extension === wanted);
  return found ? (found[0] as SniffedType) : null;
}

/** The type the bytes really are, or null when they are none of the known kinds. */
export function sniffType(bytes: Buffer): SniffedType | null {
  if (startsWith(bytes, '%PDF-')) return 'application/pdf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, 'PK\x03\x04')) return officeOpenXmlType(bytes);
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return compoundFileType(bytes);
  if (bytes.length >= 16 && bytes.toString('latin1', 4, 8) === 'ftyp') return isoMediaType(bytes);
  return mpegAudioType(bytes) ?? (isCsvText(bytes) ? 'text/csv' : null);
}

/** What a download may be served as: a known safe type, else bytes (never anything a browser would run, like text/html). */
export function servedType(contentType: string): string {
  return contentType in SNIFFED_TYPES || contentType in DATA_TYPES ? contentType : 'application/octet-stream';
}

/** How much of a text file is looked at: enough to judge, cheap for a 50,000-row import. */
const TEXT_SAMPLE_BYTES = 1 << 20;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;
/** Markup or a script a browser or shell would run: such text is never taken for a spreadsheet. */
const ACTIVE_CONTENT = /<\s*(script|html|svg|body|iframe|object|embed|\?xml|!doctype)|javascript:/i;

/**
 * CSV as Excel writes it: text in UTF-8 (with or without byte-order mark) or GB18030, without NUL or
 * other control bytes, with no markup anywhere and not starting like a script (`#!`).
 */
export function isCsvText(bytes: Buffer): boolean {
  if (bytes.length === 0) return false;
  const sample = bytes.subarray(0, TEXT_SAMPLE_BYTES);
  if (sample.includes(0)) return false;
  const text = decodeStrict(sample, 'utf-8') ?? decodeStrict(sample, 'gb18030');
  if (text === null) return false;
  // Blank text is harmless: an import answers it as an empty sheet.
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<') || start.startsWith('#!')) return false;
  return !CONTROL_CHARACTERS.test(text) && !ACTIVE_CONTENT.test(text);
}

/** The text, or null when the bytes are not in that encoding (a character cut at the sample's end is fine). */
function decodeStrict(bytes: Buffer, encoding: 'utf-8' | 'gb18030'): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return null;
  }
}

function startsWith(bytes: Buffer, prefix: string | number[]): boolean {
  const expected = typeof prefix === 'string' ? Buffer.from(prefix, 'latin1') : Buffer.from(prefix);
  return bytes.length >= expected.length && bytes.subarray(0, expected.length).equals(expected);
}

const OOXML_MAIN_PARTS: Array<[RegExp, SniffedType]> = [
  [/^word\/document\d*\.xml$/, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  [/^xl\/workbook\d*\.xml$/, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  [/^ppt\/presentation\d*\.xml$/, 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
];

/**
 * A Word/Excel/PowerPoint file is a ZIP whose central directory names `[Content_Types].xml` and exactly
 * one kind of main part. Only names are read, nothing is inflated. Macro projects are refused: a
 * `.docx` never legitimately holds one, and they are what makes office files dangerous.
 */
function officeOpenXmlType(bytes: Buffer): SniffedType | null {
  const names = zipEntryNames(bytes);
  if (!names || !names.includes('[Content_Types].xml')) return null;
  if (names.some((name) => /(^|\/)vbaProject\.bin$/i.test(name))) return null;
  const kinds = new Set(names.flatMap((name) => OOXML_MAIN_PARTS.filter(([part]) => part.test(name)).map(([, type]) => type)));
  return kinds.size === 1 ? [...kinds][0] : null;
}

/** The entry names from a ZIP's central directory, or null when it has no readable one. */
export function zipEntryNames(bytes: Buffer): string[] | null {
  const endRecord = 0x06054b50;
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (bytes.readUInt32LE(at) === endRecord && at + 22 + bytes.readUInt16LE(at + 20) === bytes.length) { end = at; break; }
  }
  if (end < 0) return null;
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff || at >= end) return null;
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || bytes.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = bytes.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    if (next > end) return null;
    names.push(bytes.toString('utf8', at + 46, at + 46 + nameLength));
    at = next;
  }
  return names;
}

const COMPOUND_FILE_STREAMS: Array<[string, SniffedType]> = [
  ['WordDocument', 'application/msword'],
  ['Workbook', 'application/vnd.ms-excel'],
  ['Book', 'application/vnd.ms-excel'],
  ['PowerPoint Document', 'application/vnd.ms-powerpoint'],
];

/**
 * Legacy Office files are OLE2 compound files told apart by their main stream's directory entry
 * (128-byte entries, aligned to 128 bytes in the file: a UTF-16 name, its length, type 2 = stream).
 * Other compound files (installers, Outlook messages) are refused.
 */
function compoundFileType(bytes: Buffer): SniffedType | null {
  for (let at = 512; at + 128 <= bytes.length; at += 128) {
    if (bytes[at + 66] !== 2) continue;
    const nameBytes = bytes.readUInt16LE(at + 64);
    if (nameBytes < 4 || nameBytes > 64) continue;
    const name = bytes.toString('utf16le', at, at + nameBytes - 2);
    const match = COMPOUND_FILE_STREAMS.find(([stream]) => stream === name);
    if (match) return match[1];
  }
  return null;
}

const QUICKTIME_BRANDS = new Set(['qt  ']);
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ']);
const VIDEO_BRANDS = new Set(['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'M4VH', 'M4VP', 'dash', 'mmp4', 'MSNV', '3gp4', '3gp5', '3gp6', '3g2a']);

/** ISO media (MP4, MOV, M4A) by the `ftyp` box's major brand; images in the same container (HEIC, AVIF) are not video. */
function isoMediaType(bytes: Buffer): SniffedType | null {
  const boxSize = bytes.readUInt32BE(0);
  if (boxSize < 16 || boxSize > 4096 || boxSize % 4 !== 0) return null;
  const brand = bytes.toString('latin1', 8, 12);
  if (QUICKTIME_BRANDS.has(brand)) return 'video/quicktime';
  if (AUDIO_BRANDS.has(brand)) return 'audio/mp4';
  if (VIDEO_BRANDS.has(brand)) return 'video/mp4';
  return null;
}

const BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/**
 * MP3: an ID3v2 tag, or an MPEG layer III frame header followed by a second one exactly one frame
 * later (one header alone is 11 bits and too easily matched by chance).
 */
function mpegAudioType(bytes: Buffer): SniffedType | null {
  if (bytes.length >= 10 && startsWith(bytes, 'ID3') && bytes[3] >= 2 && bytes[3] <= 4 && bytes.subarray(6, 10).every((b) => b < 0x80)) {
    return 'audio/mpeg';
  }
  const first = mpegFrameLength(bytes, 0);
  return first && mpegFrameLength(bytes, first) ? 'audio/mpeg' : null;
}

/** The length of the MPEG layer III frame whose header starts at `at`, or null when there is none. */
function mpegFrameLength(bytes: Buffer, at: number): number | null {
  if (at + 4 > bytes.length || bytes[at] !== 0xff || (bytes[at + 1] & 0xe6) !== 0xe2) return null;
  const version = (bytes[at + 1] >> 3) & 0x03;
  const bitrateIndex = bytes[at + 2] >> 4;
  const rateIndex = (bytes[at + 2] >> 2) & 0x03;
  if (version === 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const bitrate = (version === 3 ? BITRATES_V1_L3 : BITRATES_V2_L3)[bitrateIndex] * 1000;
  const sampleRate = SAMPLE_RATES[version][rateIndex];
  const padding = (bytes[at + 2] >> 1) & 0x01;
  return Math.floor(((version === 3 ? 144 : 72) * bitrate) / sampleRate) + padding;
}
