import { COURSE_LEVELS, CREDIT_CATEGORIES } from '../catalog/catalog.entities.js';
import type { CreditCycle } from './credit.entities.js';
import { CREDIT_SOURCES } from './credit.entities.js';
import type { LedgerLine, LedgerTotal } from './ledger.query.js';
import { MANUAL_SOURCES } from './ledger-rules.js';

export const RECORD_FORM_FIELDS = ['hours', 'credits', 'category', 'level', 'source', 'title', 'occurredOn', 'reason'] as const;

/** Net credits (and hours) in a grid: one row per category, one column per level, with the sums. */
export function totalsGrid(totals: LedgerTotal[]) {
  const cell = (category: string, level: string) => totals.find((t) => t.category === category && t.level === level);
  const sum = (rows: LedgerTotal[], key: 'hours' | 'credits') => Math.round(rows.reduce((s, r) => s + r[key], 0) * 100) / 100;
  return {
    levels: COURSE_LEVELS,
    rows: CREDIT_CATEGORIES.map((category) => ({
      category,
      cells: COURSE_LEVELS.map((level) => ({ credits: cell(category, level)?.credits ?? 0, hours: cell(category, level)?.hours ?? 0 })),
      credits: sum(totals.filter((t) => t.category === category), 'credits'),
    })),
    levelSums: COURSE_LEVELS.map((level) => sum(totals.filter((t) => t.level === level), 'credits')),
  };
}

/** Ledger lines for the page: reversal rows and reversed entries are marked, and only live entries offer a reversal. */
export function ledgerRows(items: LedgerLine[], canManage: boolean, errors: Record<string, { error: string; reason: string }>) {
  return items.map((line) => ({
    ...line,
    isReversal: !!line.reversesEntryId,
    reversible: canManage && !line.reversesEntryId && !line.reversedByEntryId,
    error: errors[line.id]?.error ?? null,
    reverseReason: errors[line.id]?.reason ?? '',
  }));
}

export function ledgerChoices(cycles: CreditCycle[]) {
  return {
    cycles: [...new Set(cycles.map((c) => c.code))],
    categories: CREDIT_CATEGORIES, levels: COURSE_LEVELS, sources: CREDIT_SOURCES, manualSources: MANUAL_SOURCES,
  };
}
