import { translate, type Locale } from '../../common/i18n/i18n.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES, type CourseLevel, type CreditCategory } from '../catalog/catalog.entities.js';
import type { ComplianceResult, RuleStatus, SchemePeriodStatus } from './compliance.types.js';
import type { SchemeUnit } from './credit.entities.js';
import type { TranscriptEntry } from './transcript.query.js';

/** Amounts as people write them: at most two decimals, no trailing zeros. */
export function amount(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export interface GridCell {
  credits: string;
  hours: string;
  empty: boolean;
}

export interface CategoryLevelGrid {
  levels: CourseLevel[];
  rows: Array<{ category: CreditCategory; cells: GridCell[]; total: GridCell }>;
  totals: GridCell[];
  total: GridCell;
}

function cell(entries: TranscriptEntry[]): GridCell {
  const credits = entries.reduce((sum, e) => sum + e.credits, 0);
  const hours = entries.reduce((sum, e) => sum + e.hours, 0);
  return { credits: amount(credits), hours: amount(hours), empty: entries.length === 0 };
}

/** Credits and hours by category (rows) and level (columns), with the totals of each. */
export function categoryLevelGrid(entries: TranscriptEntry[]): CategoryLevelGrid {
  return {
    levels: [...COURSE_LEVELS],
    rows: CREDIT_CATEGORIES.map((category) => {
      const own = entries.filter((e) => e.category === category);
      return { category, cells: COURSE_LEVELS.map((level) => cell(own.filter((e) => e.level === level))), total: cell(own) };
    }),
    totals: COURSE_LEVELS.map((level) => cell(entries.filter((e) => e.level === level))),
    total: cell(entries),
  };
}

/** The entries under their category, in date order; categories without entries are left out. */
export function entriesByCategory(entries: TranscriptEntry[]): Array<{ category: CreditCategory; entries: TranscriptEntry[]; total: GridCell }> {
  return CREDIT_CATEGORIES
    .map((category) => {
      const own = entries.filter((e) => e.category === category);
      return { category, entries: own, total: cell(own) };
    })
    .filter((group) => group.entries.length > 0);
}

/** A rule's name in the reader's language: 总量, 师德素养, 市级, 市级·师德素养. */
export function ruleLabel(rule: Pick<RuleStatus, 'kind' | 'category' | 'level' | 'label'>, locale: Locale): string {
  const category = rule.category ? translate(locale, `catalog.category.${rule.category}`) : null;
  const level = rule.level ? translate(locale, `catalog.level.${rule.level}`) : null;
  if (rule.kind === 'total') return translate(locale, 'transcript.rule.total');
  if (level && category) return locale === 'en' ? `${level} · ${category}` : `${level}·${category}`;
  return level ?? category ?? rule.label;
}

export interface RingView {
  label: string;
  earned: string;
  required: string;
  missing: string;
  met: boolean;
  /** 0–100, for the ring's arc (an SVG circle with pathLength 100). */
  percent: number;
  /** The arc and the rest of the circle, as SVG stroke-dasharray. */
  dash: string;
  exact: boolean;
}

export function ringView(rule: RuleStatus, locale: Locale): RingView {
  const percent = rule.required > 0 ? Math.min(100, Math.round((rule.earned / rule.required) * 100)) : 100;
  return {
    label: ruleLabel(rule, locale),
    earned: amount(rule.earned), required: amount(rule.required), missing: amount(rule.missing),
    met: rule.met, percent, dash: `${percent} ${100 - percent}`,
    exact: rule.maximum !== null && rule.maximum === rule.required,
  };
}

export function unitName(unit: SchemeUnit, locale: Locale): string {
  return translate(locale, `transcript.unit.${unit}`);
}

/** What is still missing, one sentence per unmet rule, e.g. "区级·师德素养还差 2 学分". */
export function missingLines(result: ComplianceResult, locale: Locale): string[] {
  return result.periods.flatMap((period) => period.rules
    .filter((rule) => !rule.met && rule.missing > 0)
    .map((rule) => translate(locale, 'transcript.missing.line', { label: ruleLabel(rule, locale), amount: amount(rule.missing), unit: unitName(period.unit, locale) })));
}

/**
 * The least still to earn, and where it would go, e.g. "最少还需 9 学分：区级·师德素养 2、园本·实践体验 7"
 * (one entry counts in several rules, so this is less than the rules' gaps added up). Empty when met.
 */
export function neededLines(result: ComplianceResult, locale: Locale): string[] {
  return result.periods.flatMap((period) => {
    if (period.met || !period.needed) return [];
    const cells = cellsOf(period)
      .filter((c) => c.amount > 0)
      .map((c) => `${ruleLabel({ kind: 'level_category', level: c.level, category: c.category, label: '' }, locale)} ${amount(c.amount)}`);
    return [translate(locale, cells.length ? 'transcript.needed.where' : 'transcript.needed.line', {
      amount: amount(period.needed), unit: unitName(period.unit, locale), cells: cells.join(locale === 'en' ? ', ' : '、'),
    })];
  });
}

/** Level × category cells where the least missing amount would best be earned. */
export function neededCells(results: ComplianceResult[]): Array<{ level: CourseLevel; category: CreditCategory }> {
  return results.flatMap((r) => r.periods.flatMap(cellsOf));
}

/** A scheme with only a total (e.g. 360 学时) has no preferred cell: any training counts the same. */
function cellsOf(period: SchemePeriodStatus): Array<{ level: CourseLevel; category: CreditCategory; amount: number }> {
  if (!period.rules.some((rule) => rule.kind !== 'total')) return [];
  return (period.neededByCell ?? []).filter((c) => c.amount > 0);
}

/** The unmet rules of every scheme period: what an offering could help with. */
export function unmetRules(results: ComplianceResult[]): RuleStatus[] {
  return results.flatMap((r) => r.periods.flatMap((p) => p.rules.filter((rule) => !rule.met && rule.missing > 0)));
}

/** Whether a course of this category and level counts toward the rule. */
export function courseFills(rule: Pick<RuleStatus, 'category' | 'level'>, category: CreditCategory, level: CourseLevel): boolean {
  return (!rule.category || rule.category === category) && (!rule.level || rule.level === level);
}

const STANDING_ORDER = ['at_risk', 'behind', 'on_track', 'met'] as const;
export type Standing = (typeof STANDING_ORDER)[number] | 'not_applicable';

/** The person's standing over several schemes: the worst one that applies. */
export function worstStanding(results: Array<Pick<ComplianceResult, 'standing'>>): Standing {
  for (const standing of STANDING_ORDER) if (results.some((r) => r.standing === standing)) return standing;
  return 'not_applicable';
}

export const STANDING_BADGES: Record<Standing, string> = {
  met: 'success', on_track: 'primary', behind: 'warning', at_risk: 'danger', not_applicable: 'secondary',
};
