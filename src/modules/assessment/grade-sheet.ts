import ExcelJS from 'exceljs';
import { csvText, decodeText, isZip, parseCsv, readXlsxRows } from '../../common/spreadsheet.js';
import type { GradingMethod } from './assessment.entities.js';

/**
 * The grade spreadsheet (CSV or XLSX) trainers fill in Excel: 报名编号 (enrolment id), 姓名, 幼儿园,
 * then one column per gradable item titled `<item title> [<item id>]`. Values are points, or
 * 通过/不通过 for pass/fail items; a blank cell means "no change". The gradebook export writes the
 * same sheet, so an exported sheet can be edited and imported back.
 */
export type SheetFormat = 'xlsx' | 'csv';

export interface SheetItem {
  id: string;
  title: string;
  gradingMethod: GradingMethod;
  maxPoints: number | null;
}

export interface SheetGrade {
  points: number | null;
  passed: boolean;
}

export interface SheetLearner {
  enrollmentId: string;
  fullName: string;
  kindergarten: string | null;
  grades: Record<string, SheetGrade | undefined>;
}

export const SHEET_HEADERS = { enrollmentId: '报名编号', fullName: '姓名', kindergarten: '幼儿园' } as const;
export const PASS_TEXT = '通过';
export const FAIL_TEXT = '不通过';

/** Texts read as pass or fail, lower-cased (Excel users write both languages and the usual synonyms). */
const PASS_WORDS = new Set(['通过', '合格', '是', 'pass', 'passed', 'yes', 'y', '√', '✓']);
const FAIL_WORDS = new Set(['不通过', '未通过', '不合格', '否', 'fail', 'failed', 'no', 'n', '×', '✗']);
const ITEM_HEADER = /\[([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\]\s*$/i;

export const itemHeader = (item: Pick<SheetItem, 'id' | 'title'>) => `${item.title} [${item.id}]`;

function cellOf(item: SheetItem, grade: SheetGrade | undefined): string | number | null {
  if (!grade) return null;
  if (item.gradingMethod === 'pass_fail') return grade.passed ? PASS_TEXT : FAIL_TEXT;
  return grade.points;
}

export async function buildGradeSheet(input: { items: SheetItem[]; learners: SheetLearner[] }, format: SheetFormat): Promise<Buffer> {
  const header = [SHEET_HEADERS.enrollmentId, SHEET_HEADERS.fullName, SHEET_HEADERS.kindergarten, ...input.items.map(itemHeader)];
  const rows = input.learners.map((l) => [l.enrollmentId, l.fullName, l.kindergarten ?? '', ...input.items.map((i) => cellOf(i, l.grades[i.id]))]);
  if (format === 'csv') return Buffer.from(csvText([header, ...rows]), 'utf8');

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('成绩', { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
  sheet.columns = header.map((text, i) => ({ header: text, width: i === 0 ? 38 : i === 2 ? 30 : i === 1 ? 10 : Math.min(40, Math.max(12, text.length)) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  // Excel offers the allowed values in the cell, so fewer typos reach the import.
  input.items.forEach((item, index) => {
    const column = sheet.getColumn(4 + index);
    for (let r = 2; r <= rows.length + 1; r++) {
      const cell = sheet.getCell(r, column.number);
      if (item.gradingMethod === 'pass_fail') {
        cell.dataValidation = { type: 'list', allowBlank: true, formulae: [`"${PASS_TEXT},${FAIL_TEXT}"`] };
      } else if (item.maxPoints !== null) {
        cell.dataValidation = { type: 'decimal', operator: 'between', allowBlank: true, formulae: [0, item.maxPoints] };
      }
    }
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// --- Reading ---

export interface SheetProblem {
  /** 1-based spreadsheet row (1 is the header). */
  row: number;
  /** The column's header as written in the sheet (or its letter when it has none). */
  column: string;
  code: string;
  message: string;
}

export interface SheetColumn {
  header: string;
  itemId: string;
  index: number;
}

export interface SheetRow {
  row: number;
  enrollmentId: string;
  fullName: string;
  /** Non-blank cells of item columns, as text. */
  cells: Array<{ column: SheetColumn; text: string }>;
}

export interface ParsedGradeSheet {
  columns: SheetColumn[];
  rows: SheetRow[];
  problems: SheetProblem[];
}

/** XLSX is a zip file; anything else is read as CSV text. */
export function sniffSheetFormat(bytes: Buffer, fileName?: string | null): SheetFormat {
  if (isZip(bytes)) return 'xlsx';
  if (fileName && /\.xlsx$/i.test(fileName)) return 'xlsx';
  return 'csv';
}

export async function parseGradeSheet(bytes: Buffer, format: SheetFormat): Promise<ParsedGradeSheet> {
  let table: string[][];
  try {
    table = format === 'csv' ? parseCsv(decodeText(bytes)) : await readXlsxRows(bytes);
  } catch (error) {
    return { columns: [], rows: [], problems: [{ row: 1, column: '', code: 'unreadable', message: `the file is not a readable ${format.toUpperCase()} spreadsheet: ${(error as Error).message}` }] };
  }
  return readTable(table);
}

/** The header row names the columns; rows with no enrolment id and no values are skipped. */
export function readTable(table: string[][]): ParsedGradeSheet {
  const problems: SheetProblem[] = [];
  const header = (table[0] ?? []).map((h) => h.trim());
  const find = (name: string) => header.findIndex((h) => h === name);
  const idIndex = find(SHEET_HEADERS.enrollmentId);
  const nameIndex = find(SHEET_HEADERS.fullName);
  if (idIndex < 0) {
    problems.push({ row: 1, column: SHEET_HEADERS.enrollmentId, code: 'missing_column', message: `the sheet has no ${SHEET_HEADERS.enrollmentId} column` });
  }
  const columns: SheetColumn[] = [];
  const seenItems = new Set<string>();
  header.forEach((text, index) => {
    if (index === idIndex || index === nameIndex || text === SHEET_HEADERS.kindergarten || text === '') return;
    const match = ITEM_HEADER.exec(text);
    if (!match) {
      problems.push({ row: 1, column: text, code: 'unknown_column', message: `column "${text}" is not an item column (its title must end with the item id in brackets)` });
    } else if (seenItems.has(match[1].toLowerCase())) {
      problems.push({ row: 1, column: text, code: 'duplicate_column', message: `column "${text}" appears twice` });
    } else {
      seenItems.add(match[1].toLowerCase());
      columns.push({ header: text, itemId: match[1].toLowerCase(), index });
    }
  });
  if (idIndex < 0) return { columns, rows: [], problems };
  const rows: SheetRow[] = [];
  table.slice(1).forEach((values, offset) => {
    const cells = columns.map((column) => ({ column, text: (values[column.index] ?? '').trim() })).filter((c) => c.text !== '');
    const enrollmentId = (values[idIndex] ?? '').trim().toLowerCase();
    if (!enrollmentId && !cells.length) return;
    rows.push({ row: offset + 2, enrollmentId, fullName: nameIndex >= 0 ? (values[nameIndex] ?? '').trim() : '', cells });
  });
  return { columns, rows, problems };
}

export type CellValue = { points: number } | { passed: boolean };

/** What one cell says for an item of this method and maximum, or why it cannot be read. */
export function readCell(text: string, item: Pick<SheetItem, 'gradingMethod' | 'maxPoints'>): { value: CellValue } | { code: string; message: string } {
  if (item.gradingMethod === 'pass_fail') {
    const word = text.trim().toLowerCase();
    if (PASS_WORDS.has(word)) return { value: { passed: true } };
    if (FAIL_WORDS.has(word)) return { value: { passed: false } };
    return { code: 'not_pass_fail', message: `"${text}" is not ${PASS_TEXT} or ${FAIL_TEXT}` };
  }
  const cleaned = text.trim().replace(/^'/, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(cleaned)) return { code: 'not_a_number', message: `"${text}" is not a number` };
  const points = Number(cleaned);
  if (points < 0) return { code: 'out_of_range', message: `${points} is below 0` };
  if (item.maxPoints !== null && points > item.maxPoints) return { code: 'above_maximum', message: `${points} is above the maximum of ${item.maxPoints}` };
  if (Math.abs(Math.round(points * 100) - points * 100) > 1e-6) return { code: 'precision', message: `${points} has more than two decimals` };
  return { value: { points: Math.round(points * 100) / 100 } };
}
