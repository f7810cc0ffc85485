import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { defuse } from '../../common/spreadsheet.js';
import type { ComplianceReport, ReportPersonRow } from './report.service.js';
import type { Standing } from './transcript-views.js';

export type CellValue = string | number | null;

export interface SheetSpec {
  name: string;
  columns: Array<{ header: string; width: number }>;
  /** Rows may come in batches from the database; each is written and let go at once. */
  rows: Iterable<CellValue[]> | AsyncIterable<CellValue[]>;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Streams a workbook to the response with exceljs's streaming writer, so a large export is never
 * held in memory whole. The header row is bold and frozen.
 */
export async function streamWorkbook(res: Response, filename: string, sheets: SheetSpec[]): Promise<void> {
  res.attachment(filename);
  res.type(XLSX_TYPE).setHeader('Cache-Control', 'private, no-store');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = spec.columns.map((c) => ({ header: c.header, width: c.width }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    // Text that a spreadsheet would read as a formula (= + - @) is neutralised, as in every export.
    for await (const row of spec.rows) sheet.addRow(row.map((cell) => (typeof cell === 'string' ? defuse(cell) : cell))).commit();
    sheet.commit();
  }
  await workbook.commit();
}

const STANDING_COLUMNS: readonly Standing[] = ['met', 'on_track', 'behind', 'at_risk', 'not_applicable'];

/** The compliance report's workbook: the counts per unit with a total row, then every person with their standing and gaps. */
export function reportSheets(report: ComplianceReport, rows: ReportPersonRow[], locale: Locale): SheetSpec[] {
  const t = (key: string) => translate(locale, key);
  const unitHeader = t(`transcript.report.groupBy.${report.groupBy}`);
  return [
    {
      name: t('transcript.report.sheet.units'),
      columns: [{ header: unitHeader, width: 36 }, { header: t('transcript.report.people'), width: 10 },
        ...STANDING_COLUMNS.map((s) => ({ header: t(`transcript.standing.${s}`), width: 12 }))],
      rows: [...report.units, { name: t('transcript.total'), counts: report.totals }]
        .map((u) => [u.name, u.counts.total, ...STANDING_COLUMNS.map((s) => u.counts[s])]),
    },
    {
      name: t('transcript.report.sheet.people'),
      columns: [{ header: t('transcript.report.col.name'), width: 12 }, { header: t('transcript.report.col.kindergarten'), width: 36 },
        { header: unitHeader, width: 30 }, { header: t('transcript.report.col.standing'), width: 14 }, { header: t('transcript.report.col.missing'), width: 60 }],
      rows: rows.map((r) => [r.fullName, r.kindergartenName, r.unitName, t(`transcript.standing.${r.standing}`), r.missing.join(locale === 'en' ? '; ' : '；')]),
    },
  ];
}
