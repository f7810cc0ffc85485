import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ValidationFailed } from './errors.js';
import { zipProblem } from '../modules/files/zip-guard.js';

/**
 * Reading and writing the spreadsheets people exchange with Excel: CSV (UTF-8 with a byte-order mark
 * when we write it; UTF-8 or GB18030 when we read it, as Excel on Chinese Windows saves) and XLSX.
 */
export type SheetCell = string | number | null;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';

/**
 * Text that starts like a formula (= + - @, or a tab or carriage return) gets a leading ' so a spreadsheet
 * shows it instead of running it (CSV/formula injection). Every writer below passes text cells through here.
 */
export function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const defuseCell = (cell: SheetCell): SheetCell => (typeof cell === 'string' ? defuse(cell) : cell);

/** A text cell that starts like a formula is prefixed with ' so a spreadsheet shows it instead of running it. */
export function csvCell(value: SheetCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = defuse(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: SheetCell[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** CSV with a byte-order mark, so Excel opens Chinese text as UTF-8. */
export function csvText(rows: SheetCell[][]): string {
  return `\uFEFF${rows.map(csvLine).join('')}`;
}

/** UTF-8 (with or without BOM) as Excel's "CSV UTF-8" writes; otherwise GB18030, as Excel on Chinese Windows writes plain CSV. */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** RFC 4180 with quoted fields, doubled quotes and CRLF, LF or CR line ends; a semicolon or tab header decides the separator. Throws on an unclosed quote. */
export function parseCsv(input: string): string[][] {
  const text = input.replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const separator = [',', ';', '\t'].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === separator) {
      row.push(field); field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else {
      field += ch;
    }
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** XLSX is a zip file. */
export function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304;
}

/**
 * The first worksheet's cells as text, row by row (empty cells as ''). Throws when the bytes are not a
 * workbook; a zip bomb (or an archive too damaged to check) is refused before inflating, as a 400 naming `file`.
 */
export async function readXlsxRows(bytes: Buffer): Promise<string[][]> {
  const refused = zipProblem(bytes, 'file');
  if (refused) throw new ValidationFailed([refused]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => { values[col - 1] = cellText(cell.value); });
    table[rowNumber - 1] = Array.from(values, (v) => v ?? '');
  });
  return Array.from(table, (r) => r ?? []);
}

/** An XLSX workbook's first sheet or a CSV file's records, told apart by content; null when unreadable (a zip bomb throws, see readXlsxRows). */
export async function readTable(bytes: Buffer): Promise<string[][] | null> {
  try {
    if (isZip(bytes)) return await readXlsxRows(bytes);
    if (bytes.includes(0)) return null;
    return parseCsv(decodeText(bytes));
  } catch (error) {
    if (error instanceof ValidationFailed) throw error;
    return null;
  }
}

export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('result' in value) return value.result === undefined || value.result === null ? '' : cellText(value.result as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}

/** A workbook with one sheet: a bold, frozen header row and the given column widths. */
export async function xlsxBuffer(name: string, rows: SheetCell[][], widths: number[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = widths.map((width) => ({ width }));
  for (const row of rows) sheet.addRow(row.map(defuseCell));
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export type SheetFormat = 'xlsx' | 'csv';

export interface SheetSpec {
  /** The worksheet's name (XLSX); characters Excel refuses become spaces. */
  name: string;
  columns: Array<{ header: string; width: number }>;
  /** Rows in batches, as the database pages them; each batch is written and let go. */
  batches: AsyncIterable<SheetCell[][]> | Iterable<SheetCell[][]>;
}

/** Writes one batch, waiting when the stream asks us to (a slow download or upload). */
async function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
}

/**
 * Streams one sheet into `out`: CSV (UTF-8 with a byte-order mark, so Excel reads Chinese) or XLSX
 * through exceljs's streaming writer (bold, frozen header row), so a large export is never held
 * whole as cells. Text cells are defused. Ends `out`.
 */
export async function writeSheet(out: Writable, format: SheetFormat, spec: SheetSpec): Promise<void> {
  if (format === 'csv') {
    await writeChunk(out, `\uFEFF${csvLine(spec.columns.map((c) => c.header))}`);
    for await (const batch of spec.batches) await writeChunk(out, batch.map(csvLine).join(''));
    await new Promise<void>((resolve) => out.end(resolve));
    return;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(spec.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = spec.columns.map((c) => ({ header: defuse(c.header), width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const batch of spec.batches) {
    for (const row of batch) sheet.addRow(row.map(defuseCell)).commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** The sheet as bytes (for storing a rendered export), written through the same streaming writer. */
export async function sheetBytes(format: SheetFormat, spec: SheetSpec): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer | string) => chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
  const ended = new Promise<void>((resolve, reject) => { sink.on('end', resolve); sink.on('error', reject); });
  await writeSheet(sink, format, spec);
  await ended;
  return Buffer.concat(chunks);
}
