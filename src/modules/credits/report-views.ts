import { translate, type Locale } from '../../common/i18n/i18n.js';
import { REPORT_GROUPINGS, type ReportQueryDto } from './report.dto.js';
import type { CycleChoice, SchemeChoice } from './report.query.js';
import type { ComplianceReport, ReportCounts } from './report.service.js';
import { STANDING_BADGES, type Standing } from './transcript-views.js';

/** The bar's segments in this order, worst last, so the eye finds red at the right end. */
const BAR: Array<{ standing: Standing; colour: string }> = [
  { standing: 'met', colour: '#198754' },
  { standing: 'on_track', colour: '#0d6efd' },
  { standing: 'behind', colour: '#ffc107' },
  { standing: 'at_risk', colour: '#dc3545' },
  { standing: 'not_applicable', colour: '#adb5bd' },
];

/** A stacked bar as SVG rectangles in a 0–100 box (attributes, not inline styles: the CSP allows no inline CSS). */
export function barSegments(counts: ReportCounts): Array<{ x: string; width: string; colour: string; standing: Standing; count: number }> {
  let x = 0;
  return BAR.filter((b) => counts[b.standing] > 0).map((b) => {
    const width = counts.total ? (counts[b.standing] / counts.total) * 100 : 0;
    const segment = { x: x.toFixed(2), width: width.toFixed(2), colour: b.colour, standing: b.standing, count: counts[b.standing] };
    x += width;
    return segment;
  });
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** What templates/pages/credits/report.hbs shows. */
export function reportPage(report: ComplianceReport, choices: { cycles: CycleChoice[]; schemes: SchemeChoice[] }, filter: ReportQueryDto, locale: Locale, canExportEntries: boolean) {
  const base = { groupBy: report.groupBy, cycle: filter.cycle, scheme: filter.scheme };
  const standings = (counts: ReportCounts) => (['met', 'on_track', 'behind', 'at_risk', 'not_applicable'] as const).map((s) => ({ standing: s, count: counts[s] }));
  return {
    title: translate(locale, 'transcript.report.title'),
    report,
    asOfLine: translate(locale, 'transcript.report.asOf', { date: report.asOf, cycle: report.cycle?.name ?? '' }),
    filters: { groupBy: report.groupBy, cycle: filter.cycle ?? '', scheme: filter.scheme ?? '' },
    groupings: REPORT_GROUPINGS,
    cycles: choices.cycles.map((c) => ({ code: c.code, name: locale === 'en' ? c.nameEn : c.nameZh })),
    schemes: choices.schemes.map((s) => ({ code: s.code, name: locale === 'en' ? s.nameEn : s.nameZh })),
    units: report.units.map((u) => ({
      ...u, standings: standings(u.counts), bar: barSegments(u.counts),
      href: `/credits/report${query({ ...base, unit: u.id })}`, selected: report.unit?.id === u.id,
    })),
    totals: { counts: report.totals, standings: standings(report.totals), bar: barSegments(report.totals) },
    people: report.people?.map((p) => ({ ...p, badge: STANDING_BADGES[p.standing], href: `/people/${p.personId}/transcript${query({ cycle: filter.cycle })}` })) ?? null,
    backHref: `/credits/report${query(base)}`,
    xlsxHref: `/api/credits/report.xlsx${query(base)}`,
    canExportEntries,
    entriesCsvHref: `/api/credits/export.csv${query({ cycle: filter.cycle ?? report.cycle?.code })}`,
    entriesXlsxHref: `/api/credits/export.xlsx${query({ cycle: filter.cycle ?? report.cycle?.code })}`,
  };
}
