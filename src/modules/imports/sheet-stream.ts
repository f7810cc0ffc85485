import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellText } from '../../common/spreadsheet.js';
import { checkZip } from '../files/zip-guard.js';

/**
 * Reading an uploaded spreadsheet as a stream of rows, without holding the file's cells in memory:
 * the first worksheet of an XLSX workbook (exceljs' streaming reader) or the records of a CSV file
 * (UTF-8, with or without byte-order mark, or GB18030 as Excel on Chinese Windows saves it).
 */
export type SheetFormat = 'xlsx' | 'csv';
export type TextEncoding = 'utf-8' | 'gb18030';

/** One row as text cells; `rowNumber` is the row as a spreadsheet program shows it (1 = the header). */
export interface SheetRow {
  rowNumber: number;
  cells: string[];
}

/** The file is not a spreadsheet we can read to the end (corrupt workbook, text in no known encoding, an unclosed quote). */
export class SheetUnreadable extends Error {}

export type OpenSource = () => Promise<Readable>;

/** UTF-8 when every byte of the file decodes as UTF-8, else GB18030 (checked in one streaming pass). */
export async function detectEncoding(open: OpenSource): Promise<TextEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const source = await open();
  try {
    for await (const chunk of source) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return 'utf-8';
  } catch {
    return 'gb18030';
  } finally {
    source.destroy();
  }
}

/** Every non-empty row of the sheet, in order. Throws SheetUnreadable when the file cannot be read. */
export async function* sheetRows(open: OpenSource, format: SheetFormat, encoding: TextEncoding = 'utf-8'): AsyncGenerator<SheetRow> {
  const source = await open();
  try {
    const rows = format === 'xlsx' ? xlsxRows(source) : csvRows(source, encoding);
    for await (const row of rows) {
      if (row.cells.some((cell) => cell.trim() !== '')) yield row;
    }
  } catch (error) {
    if (error instanceof SheetUnreadable) throw error;
    throw new SheetUnreadable((error as Error).message);
  } finally {
    source.destroy();
  }
}

async function* xlsxRows(source: Readable): AsyncGenerator<SheetRow> {
  // A ZIP's directory is at its end, so the (compressed, upload-sized) archive is held to be checked
  // for a zip bomb before anything is inflated; the check inflates each entry just as this reader's
  // local-header walk would, so sizes that lie cannot get more past it than the limit.
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  const bytes = Buffer.concat(chunks);
  const verdict = checkZip(bytes);
  if (!verdict.ok) throw new SheetUnreadable(verdict.reason === 'unreadable' ? verdict.detail : `the workbook unpacks to too much data (${verdict.detail})`);
  // Styles are read so that date cells come as dates, not as day numbers.
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
  });
  for await (const worksheet of workbook) {
    for await (const row of worksheet) {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, column) => { cells[column - 1] = cellText(cell.value); });
      yield { rowNumber: row.number, cells: Array.from(cells, (cell) => cell ?? '') };
    }
    // Only the first worksheet is the data; the others (instructions, lists) are not read.
    return;
  }
}

async function* csvRows(source: Readable, encoding: TextEncoding): AsyncGenerator<SheetRow> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const parser = new CsvStreamParser();
  let rowNumber = 0;
  for await (const chunk of source) {
    for (const cells of parser.push(decoder.decode(chunk as Buffer, { stream: true }))) yield { rowNumber: ++rowNumber, cells };
  }
  for (const cells of parser.push(decoder.decode())) yield { rowNumber: ++rowNumber, cells };
  for (const cells of parser.end()) yield { rowNumber: ++rowNumber, cells };
}

/**
 * RFC 4180 CSV fed in chunks: quoted fields, doubled quotes, CRLF/LF/CR line ends; the separator
 * (comma, semicolon or tab) is the one the first line uses most. A byte-order mark is dropped.
 */
export class CsvStreamParser {
  private separator: string | null = null;
  private pending = '';
  private row: string[] = [];
  private field = '';
  private quoted = false;
  private quoteSeen = false;
  private afterCarriageReturn = false;
  private started = false;

  /** The records completed by this chunk. */
  push(chunk: string): string[][] {
    let text = chunk;
    if (!this.started && text) {
      text = text.replace(/^\uFEFF/, '');
      this.started = true;
    }
    if (this.separator === null) {
      this.pending += text;
      const end = this.pending.search(/[\r\n]/);
      if (end < 0) return [];
      this.separator = separatorOf(this.pending.slice(0, end));
      text = this.pending;
      this.pending = '';
    }
    return this.scan(text);
  }

  /** The last record (a file need not end with a line break). Throws SheetUnreadable on an unclosed quote. */
  end(): string[][] {
    if (this.separator === null) {
      this.separator = separatorOf(this.pending);
      const records = this.scan(this.pending);
      this.pending = '';
      return [...records, ...this.end()];
    }
    if (this.quoted && !this.quoteSeen) throw new SheetUnreadable('a quoted field is not closed');
    this.quoted = false;
    this.quoteSeen = false;
    if (this.field !== '' || this.row.length) {
      this.row.push(this.field);
      const last = this.row;
      this.row = [];
      this.field = '';
      return [last];
    }
    return [];
  }

  private scan(text: string): string[][] {
    const records: string[][] = [];
    const separator = this.separator!;
    for (const ch of text) {
      if (this.afterCarriageReturn) {
        this.afterCarriageReturn = false;
        if (ch === '\n') continue;
      }
      if (this.quoted) {
        // A quote inside a quoted field is decided by the next character (which may be in the next chunk).
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (ch === '"') { this.field += '"'; continue; }
          this.quoted = false;
        } else {
          if (ch === '"') this.quoteSeen = true;
          else this.field += ch;
          continue;
        }
      }
      if (ch === '"' && this.field === '') {
        this.quoted = true;
      } else if (ch === separator) {
        this.row.push(this.field);
        this.field = '';
      } else if (ch === '\n' || ch === '\r') {
        this.afterCarriageReturn = ch === '\r';
        this.row.push(this.field);
        this.field = '';
        records.push(this.row);
        this.row = [];
      } else {
        this.field += ch;
      }
    }
    return records;
  }
}

function separatorOf(firstLine: string): string {
  return [',', ';', '\t'].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
}
