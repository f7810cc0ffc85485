import ExcelJS from 'exceljs';
import type { Rubric, RubricCriterion, RubricMethod } from './assessment.entities.js';
import { normaliseCriteria, type CriterionInput } from './rubric-rules.js';

/** The columns of a rubric sheet: the Chinese header we write first, then every header we accept (compared without case or spaces). */
export const SHEET_COLUMNS = {
  criterion: ['评价标准', '标准', 'criterion'],
  criterionDescription: ['标准说明', 'criterion description'],
  level: ['等级', 'level'],
  points: ['分值', '分数', 'points'],
  levelDescription: ['等级说明', 'level description'],
  maxPoints: ['满分', '最高分', 'max points', 'maximum'],
} as const;
export type SheetColumn = keyof typeof SHEET_COLUMNS;

export const METHOD_COLUMNS: Record<RubricMethod, SheetColumn[]> = {
  rubric: ['criterion', 'criterionDescription', 'level', 'points', 'levelDescription'],
  guide: ['criterion', 'criterionDescription', 'maxPoints'],
};
const REQUIRED: Record<RubricMethod, SheetColumn[]> = { rubric: ['criterion', 'level', 'points'], guide: ['criterion', 'maxPoints'] };

/** A bad cell or row; `row` is the spreadsheet's row number (the header is row 1 when it is the first line). */
export interface SheetProblem {
  row: number | null;
  column: string | null;
  code: string;
  message: string;
}

export interface ParsedSheet {
  method: RubricMethod;
  /** Required columns the header lacks, by their Chinese names; nothing else is read when any is missing. */
  missing: string[];
  /** Every data row as read, for the dry-run table. */
  rows: Array<{ row: number; cells: Partial<Record<SheetColumn, string>> }>;
  criteria: RubricCriterion[];
  maxPoints: number;
  problems: SheetProblem[];
}

const key = (header: string) => header.replace(/[\s*＊]/g, '').toLowerCase();
const ALIASES = new Map(Object.entries(SHEET_COLUMNS).flatMap(([column, names]) => names.map((n) => [key(n), column as SheetColumn])));

/**
 * Reads a rubric (or marking guide) from a sheet's rows. A rubric has one row per level; the criterion's
 * cells may be repeated on each of its rows or left blank after the first. Every bad row is reported, by
 * the same rules as the API (rubric-rules), mapped back to its row and column.
 */
export function rubricFromRows(table: string[][], requestedMethod?: RubricMethod): ParsedSheet {
  // The header is the first row naming a known column, so a title line above it is skipped.
  const headerIndex = table.findIndex((cells) => cells.some((c) => ALIASES.has(key(c))));
  const header = headerIndex >= 0 ? table[headerIndex] : [];
  const positions = new Map<SheetColumn, number>();
  header.forEach((cell, i) => {
    const column = ALIASES.get(key(cell));
    if (column && !positions.has(column)) positions.set(column, i);
  });
  const method = requestedMethod ?? (positions.has('maxPoints') && !positions.has('level') ? 'guide' : 'rubric');
  const missing = REQUIRED[method].filter((c) => !positions.has(c)).map((c) => SHEET_COLUMNS[c][0]);
  const empty: ParsedSheet = { method, missing, rows: [], criteria: [], maxPoints: 0, problems: [] };
  if (missing.length) return empty;

  const rows = table.slice(headerIndex + 1).map((cells, i) => ({
    row: headerIndex + 2 + i,
    cells: Object.fromEntries([...positions].map(([column, at]) => [column, unescapeCell(cells[at] ?? '').trim()])) as Partial<Record<SheetColumn, string>>,
  })).filter((r) => Object.values(r.cells).some(Boolean));

  const problems: SheetProblem[] = [];
  const inputs: Array<CriterionInput & { row: number; levelRows: number[] }> = [];
  for (const { row, cells } of rows) {
    if (method === 'guide') {
      inputs.push({ title: cells.criterion, description: cells.criterionDescription, maxPoints: cells.maxPoints, row, levelRows: [] });
      continue;
    }
    let current = inputs[inputs.length - 1];
    if (cells.criterion && cells.criterion !== current?.title) {
      current = { title: cells.criterion, description: cells.criterionDescription, levels: [], row, levelRows: [] };
      inputs.push(current);
    } else if (!current) {
      problems.push({ row, column: SHEET_COLUMNS.criterion[0], code: 'LEVEL_WITHOUT_CRITERION', message: 'This level has no criterion above it' });
      continue;
    }
    if (!current.description && cells.criterionDescription) current.description = cells.criterionDescription;
    // A row holding only the criterion (and its description) opens it; its levels follow.
    if (!cells.level && !cells.points && !cells.levelDescription) continue;
    (current.levels as unknown[]).push({ title: cells.level, points: cells.points, description: cells.levelDescription });
    current.levelRows.push(row);
  }
  const normalised = normaliseCriteria(method, inputs);
  for (const problem of normalised.problems) {
    const [, i, j, field] = /^criteria(?:\[(\d+)\])?(?:\.levels(?:\[(\d+)\])?)?(?:\.(\w+))?$/.exec(problem.field) ?? [];
    const input = i === undefined ? undefined : inputs[Number(i)];
    const row = input ? (j === undefined ? input.row : input.levelRows[Number(j)]) : null;
    const column = problemColumn(field, j !== undefined, problem.field.includes('.levels'));
    problems.push({ row: row ?? null, column: column ? SHEET_COLUMNS[column][0] : null, code: problem.code, message: problem.message });
  }
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { method, missing, rows, criteria: normalised.criteria, maxPoints: normalised.maxPoints, problems };
}

function problemColumn(field: string | undefined, ofLevel: boolean, aboutLevels: boolean): SheetColumn | null {
  if (ofLevel) return field === 'points' ? 'points' : field === 'description' ? 'levelDescription' : 'level';
  if (aboutLevels) return 'level';
  if (field === 'title') return 'criterion';
  if (field === 'description') return 'criterionDescription';
  if (field === 'maxPoints') return 'maxPoints';
  return 'criterion';
}

/** Our CSV export puts ' before text that would start a formula; reading it back takes the mark off. */
function unescapeCell(cell: string): string {
  return /^'[=+\-@]/.test(cell) ? cell.slice(1) : cell;
}

/** The rows of a rubric's sheet, header first: the criterion repeated on each of its levels, so sorting in Excel loses nothing. */
export function rubricRows(rubric: Pick<Rubric, 'method' | 'criteria'>): SheetCell[][] {
  const header = METHOD_COLUMNS[rubric.method].map((c) => SHEET_COLUMNS[c][0]);
  if (rubric.method === 'guide') {
    return [header, ...rubric.criteria.map((c) => [c.title, c.description ?? '', c.maxPoints ?? 0])];
  }
  return [header, ...rubric.criteria.flatMap((c) => (c.levels ?? []).map((l) => [c.title, c.description ?? '', l.title, l.points, l.description ?? '']))];
}

export function rubricCsv(rubric: Pick<Rubric, 'method' | 'criteria'>): string {
  return csvText(rubricRows(rubric));
}

const WIDTHS: Record<SheetColumn, number> = { criterion: 20, criterionDescription: 36, level: 12, points: 8, levelDescription: 40, maxPoints: 8 };

export function rubricXlsx(rubric: Pick<Rubric, 'method' | 'criteria'>): Promise<Buffer> {
  return xlsxBuffer(rubric.method === 'guide' ? '评分指南' : '评价量规', rubricRows(rubric), METHOD_COLUMNS[rubric.method].map((c) => WIDTHS[c]));
}

// ---- spreadsheet files (also used by the gradebook export) ------------------------------------

export type SheetCell = string | number | null;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; CRLF, LF or CR end a record. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (source[i + 1] === '"') field += source[++i];
      else quoted = false;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      rows.push([...row, field]);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

/** A text cell that starts like a formula gets a leading ' so a spreadsheet shows it instead of running it. */
function csvCell(value: SheetCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with a byte-order mark, so Excel opens Chinese text as UTF-8. */
export function csvText(rows: SheetCell[][]): string {
  return `\uFEFF${rows.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('')}`;
}

/**
 * The first worksheet of an XLSX file, or a CSV file's records, as text cells. CSV may be UTF-8 (with or
 * without a byte-order mark) or GB18030, which Excel on Chinese Windows writes by default. Null when unreadable.
 */
export async function readTable(bytes: Buffer): Promise<string[][] | null> {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch {
      return null;
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) return [];
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, number) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => { cells[col - 1] = cellText(cell); });
      rows[number - 1] = Array.from(cells, (c) => c ?? '');
    });
    return Array.from(rows, (r) => r ?? []);
  }
  if (bytes.includes(0)) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return parseCsv(text);
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value as unknown;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && 'result' in value) return String((value as { result: unknown }).result ?? '');
  if (typeof value === 'object' && 'richText' in value) return (value as { richText: Array<{ text: string }> }).richText.map((r) => r.text).join('');
  return cell.text ?? '';
}

/** A workbook with one sheet: a bold, frozen header row and the given column widths. */
export async function xlsxBuffer(name: string, rows: SheetCell[][], widths: number[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(name.replace(/[\[\]:*?/\\]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = widths.map((width) => ({ width }));
  for (const row of rows) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
