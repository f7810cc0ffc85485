import type { FieldProblem } from '../../common/errors.js';
import type { Title } from './person-records.entity.js';

/** 三级 < 二级 < 一级 < 高级 < 正高级. */
export const TITLE_RANK: Record<Title, number> = { third: 1, second: 2, first: 3, senior: 4, professorial: 5 };

export interface TitleOnRecord {
  title: Title;
  effectiveDate: string;
}

export interface TitleEntry extends TitleOnRecord {
  isCorrection?: boolean;
  correctionReason?: string | null;
}

/**
 * Titles only go up. A record equal to or below the current title, or an earlier one, is a
 * correction of the history and must say so with a reason; a correction may not predate the
 * current record either, so the latest record stays the current title.
 */
export function titleEntryProblems(current: TitleOnRecord | null, entry: TitleEntry, birthDate: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const reason = entry.correctionReason?.trim() ?? '';
  if (entry.isCorrection && !reason) {
    problems.push({ field: 'correctionReason', code: 'CORRECTION_REASON_REQUIRED', message: 'A correction needs a reason' });
  }
  if (entry.effectiveDate <= birthDate) {
    problems.push({ field: 'effectiveDate', code: 'BEFORE_BIRTH', message: 'effectiveDate must be after the birth date' });
  }
  if (!current) return problems;
  if (entry.effectiveDate < current.effectiveDate) {
    problems.push({
      field: 'effectiveDate', code: 'TITLE_DATE_BEFORE_CURRENT',
      message: `effectiveDate must not be before the current title's (${current.effectiveDate})`,
    });
  }
  if (!entry.isCorrection && TITLE_RANK[entry.title] <= TITLE_RANK[current.title]) {
    problems.push({
      field: 'title', code: 'TITLE_NOT_HIGHER',
      message: `${entry.title} is not higher than the current title ${current.title}; record it as a correction with a reason`,
    });
  }
  return problems;
}

/** Scope paths at district level or above (`/<city>/` or `/<city>/<district>/`): they also reach people between jobs. */
export function districtLevelPaths(paths: string[]): string[] {
  return paths.filter((p) => p.split('/').filter(Boolean).length <= 2);
}

/**
 * Whether a person is inside the given scope: by their current kindergarten, or, when they hold
 * no post right now, by their district for callers whose scope covers the whole district.
 */
export function personInScope(scopePaths: string[], kindergartenPath: string | null, districtPath: string | null): boolean {
  if (kindergartenPath) return scopePaths.some((p) => kindergartenPath.startsWith(p));
  return !!districtPath && districtLevelPaths(scopePaths).some((p) => districtPath.startsWith(p));
}

export type SensitivePurpose = 'record' | 'self' | 'write';

/**
 * Full national ID and phone are shown only on the HR record view to holders of people.sensitive
 * over the person; the self-service profile and the answers to writes always carry masked values.
 */
export function revealsSensitive(purpose: SensitivePurpose, sensitiveScopePaths: string[], kindergartenPath: string | null, districtPath: string | null): boolean {
  return purpose === 'record' && personInScope(sensitiveScopePaths, kindergartenPath, districtPath);
}

/** How a list search term is read: a national ID or phone matches exactly via the lookup hash, anything else the name. */
export function searchTerms(q: string | undefined): { name: string; nationalId: string | null; phone: string | null } | null {
  const text = q?.trim() ?? '';
  if (!text) return null;
  const compact = text.replace(/[\s-]/g, '').toUpperCase();
  return {
    name: text,
    nationalId: /^\d{17}[\dX]$/.test(compact) ? compact : null,
    phone: /^\+?\d{7,15}$/.test(compact) ? compact.replace(/^\+86/, '') : null,
  };
}

/** The day before an ISO date (`2025-09-01` → `2025-08-31`). */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
