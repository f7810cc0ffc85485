import type { Locale } from '../../common/i18n/i18n.js';
import type { CoverageBucket, CoverageReport } from './coverage.service.js';
import type { GapReport } from './gap-planning.service.js';
import type { StaffingReport } from './staffing.service.js';
import type { TargetProgress } from './targets.service.js';

/** Bootstrap colour of a status, for badges. */
export const STATUS_COLOURS = { met: 'success', on_track: 'primary', behind: 'warning', overdue: 'danger' } as const;

const shown = (value: number, unit: 'percent' | 'count') => (unit === 'percent' ? `${value}%` : String(value));

/** A target as the dashboard shows it: its name in the reader's language, the value against the threshold, a bar. */
export function targetRow(target: TargetProgress, locale: Locale) {
  return {
    id: target.id, code: target.code, status: target.status, colour: STATUS_COLOURS[target.status],
    name: locale === 'en' ? target.nameEn : target.nameZh,
    value: shown(target.value, target.unit), threshold: shown(target.threshold, target.unit), expected: shown(target.expected, target.unit),
    fraction: target.denominator !== null ? `${target.numerator}/${target.denominator}` : null,
    deadline: target.deadline, source: target.source,
    // The bar runs to the threshold for counts (2 of 2 is full), to 100 for percents.
    barValue: Math.min(target.value, target.unit === 'percent' ? 100 : target.threshold),
    barMax: target.unit === 'percent' ? 100 : Math.max(target.threshold, 1),
    isDefault: target.districtId === null,
  };
}

/** The chart's data: covered and uncovered kindergartens per town and per group, read by public/targets-dashboard.js. */
export function coverageChart(report: CoverageReport, noGroup: string): string {
  const series = (buckets: CoverageBucket[]) => buckets.map((b) => ({ name: b.name ?? noGroup, covered: b.covered, uncovered: b.total - b.covered }));
  return JSON.stringify({ byTown: series(report.byTown), byGroup: series(report.byGroup) });
}

export function bucketRows(buckets: CoverageBucket[], noGroup: string) {
  return buckets.map((b) => ({ ...b, name: b.name ?? noGroup, uncovered: b.total - b.covered, full: b.covered === b.total }));
}

/** The uncovered kindergartens with their candidates, rotation options and what the plan proposes for each. */
export function gapRows(report: GapReport) {
  return report.gaps.map((gap) => {
    const promotion = report.plan.promotions.find((p) => p.kindergartenId === gap.id) ?? null;
    const rotation = report.plan.rotations.find((r) => r.kindergartenId === gap.id) ?? null;
    const uncovered = report.plan.uncovered.find((u) => u.kindergartenId === gap.id) ?? null;
    return {
      id: gap.id, code: gap.code, name: gap.name, town: gap.town?.name ?? null, groups: gap.groups.map((g) => g.name).join('、'),
      candidates: gap.candidates.map((c) => ({ ...c, unmet: c.unmet.join(', ') })),
      rotationOptions: gap.rotationOptions.map((o) => ({ ...o, teachers: o.teachers.map((t) => t.name).join('、') })),
      promotion, rotation, reason: uncovered?.reason ?? null,
    };
  });
}

export function staffingRows(report: StaffingReport) {
  return report.kindergartens.map((k) => ({
    ...k,
    short: k.checks.filter((c) => c.status !== 'ok'),
    unknown: !k.checks.length,
    certificateGap: k.certificates.needing - k.certificates.holding,
  }));
}
