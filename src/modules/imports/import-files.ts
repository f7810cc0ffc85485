import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { csvLine, type SheetCell } from '../../common/spreadsheet.js';
import type { ImportKind } from './imports.entities.js';
import type { StoredRow } from './imports.query.js';
import { fieldHeader, problemColumn, problemReason } from './imports-views.js';
import type { RowImporter } from './row-importer.js';

export type SheetFileFormat = 'xlsx' | 'csv';

/**
 * The files of an import: the template (the importer's headers in Chinese, an example row, and in
 * XLSX an instructions sheet) and the result (every row's outcome and reasons). Every template column
 * is text, so Excel keeps an 18-digit national ID as typed instead of turning it into a number.
 */
export async function templateFile(kind: ImportKind, importer: RowImporter, format: SheetFileFormat, locale: Locale): Promise<Buffer> {
  const headers = importer.fields.map((f) => f.headerZh);
  const example = importer.fields.map((f) => f.example ?? '');
  if (format === 'csv') return Buffer.from(`\uFEFF${csvLine(headers)}${csvLine(example)}`, 'utf8');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(translate(locale, `imports.kind.${kind}`).slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = importer.fields.map((f) => ({ width: Math.max(12, f.headerZh.length * 2 + 4), style: { numFmt: '@' } }));
  sheet.addRow(headers).font = { bold: true };
  sheet.addRow(example);
  const guide = workbook.addWorksheet(translate(locale, 'imports.template.guide').slice(0, 31));
  guide.columns = [{ width: 24 }, { width: 10 }, { width: 60 }];
  guide.addRow([translate(locale, 'imports.template.column'), translate(locale, 'imports.template.required'), translate(locale, 'imports.template.accepted')]).font = { bold: true };
  for (const field of importer.fields) {
    guide.addRow([
      field.headerZh, translate(locale, field.required ? 'imports.template.yes' : 'imports.template.no'),
      field.choices?.join(locale === 'en' ? ', ' : '、') ?? (field.aliases?.length ? `${translate(locale, 'imports.template.aliases')}${field.aliases.join('、')}` : ''),
    ]);
  }
  guide.addRow([]);
  guide.addRow([translate(locale, 'imports.template.firstSheet')]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The result file's header: row, outcome, written, the importer's identifying columns, changed columns, problems. */
function resultHeader(importer: RowImporter, locale: Locale): string[] {
  return [
    translate(locale, 'imports.result.row'), translate(locale, 'imports.result.outcome'), translate(locale, 'imports.result.written'),
    ...(importer.resultColumns ?? []).map((c) => (locale === 'en' ? c.headerEn : c.headerZh)),
    translate(locale, 'imports.result.changes'), translate(locale, 'imports.result.problems'),
  ];
}

function resultLine(row: StoredRow, importer: RowImporter, mapping: Record<string, string>, locale: Locale): SheetCell[] {
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  const changes = Array.isArray(row.data.changes) ? (row.data.changes as string[]) : [];
  return [
    row.rowNumber, translate(locale, `imports.outcome.${row.outcome}`),
    translate(locale, row.appliedAt ? 'imports.template.yes' : 'imports.template.no'),
    ...(importer.resultColumns ?? []).map((c) => text(row.data[c.key])),
    changes.map((key) => {
      const field = importer.fields.find((f) => f.key === key);
      return field ? fieldHeader(field, locale) : key;
    }).join(locale === 'en' ? ', ' : '、'),
    row.errors.map((p) => `${problemColumn(p, importer.fields, mapping, locale)}: ${problemReason(p, locale)}`).join('; '),
  ];
}

/**
 * Streams the result file page by page from the stored rows: CSV with a byte-order mark (cells that
 * start like a formula are defused), or XLSX through exceljs' streaming writer.
 */
export function resultFile(pages: AsyncGenerator<StoredRow[]>, importer: RowImporter, mapping: Record<string, string>,
  format: SheetFileFormat, locale: Locale): Readable {
  const out = new PassThrough();
  const write = async () => {
    if (format === 'csv') {
      out.write(`\uFEFF${csvLine(resultHeader(importer, locale))}`);
      for await (const rows of pages) {
        if (!out.write(rows.map((row) => csvLine(resultLine(row, importer, mapping, locale))).join(''))) await new Promise((r) => out.once('drain', r));
      }
      out.end();
      return;
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(translate(locale, 'imports.result.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
    const header = sheet.addRow(resultHeader(importer, locale));
    header.font = { bold: true };
    header.commit();
    for await (const rows of pages) for (const row of rows) sheet.addRow(resultLine(row, importer, mapping, locale)).commit();
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error) => out.destroy(error as Error));
  return out;
}
