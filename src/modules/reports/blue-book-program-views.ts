import { translate, type Locale } from '../../common/i18n/i18n.js';
import type { ContestRow, LectureCounts, TierCounts, TierRow } from './blue-book-programs.query.js';

export const BUILT_IN_TIERS = ['seed', 'talent', 'navigator'] as const;
export const OUTPUT_KINDS = ['research_report', 'public_lesson', 'contest_award', 'paper', 'other'] as const;
export const PRIZES = ['first', 'second', 'third', 'excellence'] as const;

export interface KindCount {
  key: string;
  label: string;
  count: number;
}

export interface TierFigures extends TierCounts {
  tier: string;
  label: string;
  outputsByKind: KindCount[];
}

export interface ContestFigures {
  id: string;
  name: string;
  startsOn: string;
  /** Awards count only once the results are published. */
  published: boolean;
  entries: number;
  awards: KindCount[];
  prizes: number;
}

/** Section 5's programs part: cohorts per tier, contests, the principal lecture series. */
export interface ProgramFigures {
  /** Anything at all in the year (a cohort figure, a contest or a lecture session). */
  recorded: boolean;
  cohorts: { recorded: boolean; tiers: TierFigures[]; total: TierCounts; outputsByKind: KindCount[] };
  contests: { recorded: boolean; held: number; entries: number; prizes: number; byAward: KindCount[]; list: ContestFigures[] };
  lectures: LectureCounts & { recorded: boolean };
}

const COUNTS: ReadonlyArray<keyof TierCounts> = ['programs', 'applications', 'selected', 'activeMembers', 'completed', 'credits', 'outputs'];
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The built-in tiers always (so the table reads 种子 / 拔尖 / 领航 even at zero), then each of the
 * district's own tiers with a figure, labelled with the names its latest program gave it.
 */
export function programFigures(tierRows: TierRow[], contestRows: ContestRow[], lectures: LectureCounts, locale: Locale): ProgramFigures {
  const t = (key: string) => translate(locale, key);
  const byTier = new Map(tierRows.map((r) => [r.tier, r]));
  const custom = tierRows.filter((r) => !(BUILT_IN_TIERS as readonly string[]).includes(r.tier)).sort((a, b) => a.tier.localeCompare(b.tier));
  const empty = (tier: string): TierRow => ({ tier, nameZh: null, nameEn: null, programs: 0, applications: 0, selected: 0, activeMembers: 0, completed: 0, credits: 0, outputs: 0, outputsByKind: new Map() });
  const tiers = [...BUILT_IN_TIERS.map((tier) => byTier.get(tier) ?? empty(tier)), ...custom].map((r): TierFigures => ({
    tier: r.tier,
    label: (BUILT_IN_TIERS as readonly string[]).includes(r.tier) ? t(`blueBook.tier.${r.tier}`) : (locale === 'en' ? r.nameEn : r.nameZh) ?? r.tier,
    ...Object.fromEntries(COUNTS.map((k) => [k, k === 'credits' ? round2(r[k]) : r[k]])) as unknown as TierCounts,
    outputsByKind: kinds(r.outputsByKind, OUTPUT_KINDS, (k) => t(`blueBook.outputKind.${k}`)),
  }));
  const total = Object.fromEntries(COUNTS.map((k) => [k, round2(tiers.reduce((s, x) => s + x[k], 0))])) as unknown as TierCounts;
  const allOutputs = new Map<string, number>();
  for (const r of tierRows) for (const [k, n] of r.outputsByKind) allOutputs.set(k, (allOutputs.get(k) ?? 0) + n);

  const list = contestRows.map((c): ContestFigures => {
    const awards = kinds(c.awards, PRIZES, (k) => t(`blueBook.award.${k}`)).filter((a) => (PRIZES as readonly string[]).includes(a.key));
    return { id: c.id, name: locale === 'en' ? c.nameEn : c.nameZh, startsOn: c.startsOn, published: c.published, entries: c.entries, awards, prizes: awards.reduce((s, a) => s + a.count, 0) };
  });
  const byAward = PRIZES.map((key) => ({ key, label: t(`blueBook.award.${key}`), count: list.reduce((s, c) => s + (c.awards.find((a) => a.key === key)?.count ?? 0), 0) }));
  const cohortsRecorded = COUNTS.some((k) => total[k] !== 0);
  return {
    recorded: cohortsRecorded || list.length > 0 || lectures.sessions > 0,
    cohorts: { recorded: cohortsRecorded, tiers, total, outputsByKind: kinds(allOutputs, OUTPUT_KINDS, (k) => t(`blueBook.outputKind.${k}`)) },
    contests: {
      recorded: list.length > 0, held: list.length, entries: list.reduce((s, c) => s + c.entries, 0),
      prizes: byAward.reduce((s, a) => s + a.count, 0), byAward, list,
    },
    lectures: { ...lectures, recorded: lectures.sessions > 0 },
  };
}

/** Counts in the given order, unseen keys as 0, unexpected ones appended. */
function kinds(counts: Map<string, number>, order: readonly string[], label: (key: string) => string): KindCount[] {
  const keys = [...order, ...[...counts.keys()].filter((k) => !order.includes(k)).sort()];
  return keys.map((key) => ({ key, label: label(key), count: counts.get(key) ?? 0 }));
}

/** The tiers side by side, one row per figure (a phone shows four narrow columns rather than eight wide ones). */
export interface FigureTable {
  head: string[];
  /** PDF column widths (pdf-markup `widths`). */
  widths: string;
  rows: Array<{ key: string; label: string; cells: number[]; sub: boolean }>;
}

export function cohortTable(cohorts: ProgramFigures['cohorts'], locale: Locale): FigureTable {
  const t = (key: string) => translate(locale, key);
  const row = (key: keyof TierCounts) => ({ key, label: t(`blueBook.programs.${key}`), cells: [...cohorts.tiers.map((x) => x[key]), cohorts.total[key]], sub: false });
  const outputRows = cohorts.outputsByKind.filter((k) => k.count > 0).map((k) => ({
    key: `outputs.${k.key}`, label: k.label, sub: true,
    cells: [...cohorts.tiers.map((x) => x.outputsByKind.find((o) => o.key === k.key)?.count ?? 0), k.count],
  }));
  return {
    head: [t('blueBook.col.item'), ...cohorts.tiers.map((x) => x.label), t('blueBook.col.total')],
    widths: ['3', ...cohorts.tiers.map(() => '1.2'), '1.2'].join(','),
    rows: [...COUNTS.map(row), ...outputRows],
  };
}
