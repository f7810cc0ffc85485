/** The demo data describes the district as of this day; no generated date lies after it. */
export const AS_OF = '2025-12-31';
export const AS_OF_YEAR = 2025;
/**
 * The day the demo's activity is staged around: the catalog's autumn offerings take enrolments,
 * the seed program takes applications and the caregivers' contest takes entries on it.
 */
export const DEMO_TODAY = '2026-11-16';

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** ISO date (YYYY-MM-DD); month and day are 1-based. */
export function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** Same month and day `years` later; 29 February becomes 28 February in common years. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = y + years;
  const leap = (target % 4 === 0 && target % 100 !== 0) || target % 400 === 0;
  return isoDate(target, m, m === 2 && d === 29 && !leap ? 28 : d);
}

export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
