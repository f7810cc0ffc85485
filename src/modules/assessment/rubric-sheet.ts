import { csvText, xlsxBuffer, type SheetCell } from '../../common/spreadsheet.js';
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
