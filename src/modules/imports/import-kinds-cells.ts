import type { RowProblem } from './imports.entities.js';

/**
 * Reading spreadsheet cells the way people type them in Excel: full-width characters, Chinese
 * yes/no words, dates as 2024-9-1, 2024/9/1, 2024年9月1日, 20240901, an Excel serial or the ISO
 * text exceljs gives for a date cell.
 */

/** A problem with the row parameters the page fills into the translated reason (`imports.problem.<code>`). */
export type ImportProblem = RowProblem & { params?: Record<string, string | number> };

export function problem(field: string, code: string, message: string, params?: Record<string, string | number>): ImportProblem {
  return params ? { field, code, message, params } : { field, code, message };
}

/** Full-width ASCII to half-width, ideographic space to space, then trimmed. */
export function halfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ').trim();
}

/** A label for comparison: half-width, no spaces, lower case. */
export function labelKey(text: string): string {
  return halfWidth(text).replace(/\s+/g, '').toLowerCase();
}

/** The value whose label (or own key) matches the cell, or undefined. */
export function fromLabels<T extends string>(text: string, labels: Record<T, readonly string[]>): T | undefined {
  const key = labelKey(text);
  for (const [value, names] of Object.entries(labels) as Array<[T, readonly string[]]>) {
    if (labelKey(value) === key || names.some((name) => labelKey(name) === key)) return value;
  }
  return undefined;
}

const YES = ['是', 'y', 'yes', 'true', '1', '√', '✓'];
const NO = ['否', 'n', 'no', 'false', '0', '×', '✗', '不是'];

export function yesNo(text: string): boolean | undefined {
  const key = labelKey(text);
  if (YES.includes(key)) return true;
  if (NO.includes(key)) return false;
  return undefined;
}

/** A whole number written plainly (1,200 and 12.0 are accepted); undefined for anything else. */
export function wholeNumber(text: string): number | undefined {
  const plain = halfWidth(text).replace(/,/g, '');
  if (!/^-?\d+(\.0+)?$/.test(plain)) return undefined;
  const value = Number(plain);
  return Number.isSafeInteger(value) ? value : undefined;
}

export function decimalNumber(text: string): number | undefined {
  const plain = halfWidth(text).replace(/,/g, '');
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(plain)) return undefined;
  const value = Number(plain);
  return Number.isFinite(value) ? value : undefined;
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function isoDate(y: number, m: number, d: number): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** A calendar date as YYYY-MM-DD, or undefined when the cell is not a real date. */
export function calendarDate(text: string): string | undefined {
  const plain = halfWidth(text);
  // exceljs reads a date cell as midnight UTC of that day.
  const fromCell = /^(\d{4})-(\d{2})-(\d{2})T00:00:00(\.000)?Z$/.exec(plain);
  if (fromCell) return isoDate(+fromCell[1], +fromCell[2], +fromCell[3]);
  const parts = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(plain) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(plain);
  if (parts) return isoDate(+parts[1], +parts[2], +parts[3]);
  // A date cell saved as a plain number: days since 1899-12-30 (20000 is 1954, 80000 is 2119).
  if (/^\d{5}$/.test(plain) && +plain >= 20000 && +plain <= 80000) {
    return new Date(EXCEL_EPOCH_MS + +plain * 86_400_000).toISOString().slice(0, 10);
  }
  return undefined;
}

/** The date `years` whole years after `date` (29 February falls to 28 February). */
export function yearsAfter(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return isoDate(y + years, m, d) ?? isoDate(y + years, m, d - 1)!;
}
