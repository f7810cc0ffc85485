import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { ReportQueryDto } from '../credits/report.dto.js';
import { ReportService, type ReportPersonRow } from '../credits/report.service.js';
import { CoverageService, type CoverageRow } from '../titles/coverage.service.js';
import { CoverageQueryDto } from '../titles/targets.dto.js';
import { inBatches, mapBatches, type ExportColumn, type ExportSource, type OpenedExport } from './export-kinds.js';

const column = (locale: Locale, key: string, width: number): ExportColumn => ({ header: translate(locale, `exports.col.${key}`), width });

/**
 * The compliance report (/credits/report, GET /api/credits/report) in credits.read scope: everyone with
 * their standing and gaps, grouped as asked; with `unit`, that unit's people (the page's drill-down).
 */
@Injectable()
export class ComplianceExportSource implements ExportSource<ReportQueryDto> {
  readonly kind = 'compliance' as const;
  readonly permission = 'credits.read' as const;
  readonly filters = ReportQueryDto;

  constructor(private readonly reports: ReportService) {}

  async open(access: AccessContext, filters: ReportQueryDto, locale: Locale): Promise<OpenedExport> {
    const filter = Object.assign(new ReportQueryDto(), filters);
    const { report, rows } = filter.unit
      ? await this.reports.report(access, filter, locale).then((r) => ({ report: r, rows: r.people ?? [] }))
      : await this.reports.build(access, filter, locale);
    const separator = locale === 'en' ? '; ' : '；';
    const row = (r: ReportPersonRow) => ({
      personId: r.personId,
      cells: [r.fullName, r.kindergartenName, r.unitName, translate(locale, `transcript.standing.${r.standing}`), r.missing.join(separator)],
    });
    const scope = report.unit ? `-${report.unit.name}` : '';
    return {
      total: rows.length,
      fileName: `${translate(locale, 'exports.kind.compliance')}${scope}-${report.cycle?.code ?? report.asOf}`.replace(/[\\/:*?"<>|]/g, '_'),
      columns: [
        column(locale, 'fullName', 10), column(locale, 'kindergarten', 30),
        column(locale, `unit.${report.groupBy}`, 24),
        column(locale, 'standing', 10), column(locale, 'missing', 60),
      ],
      batches: () => mapBatches(inBatches(rows), row),
    };
  }
}

/** 高级职称 coverage (/targets/title-coverage, GET /api/reports/title-coverage): one row per kindergarten in targets.read scope. */
@Injectable()
export class CoverageExportSource implements ExportSource<CoverageQueryDto> {
  readonly kind = 'coverage' as const;
  readonly permission = 'targets.read' as const;
  readonly filters = CoverageQueryDto;

  constructor(private readonly coverage: CoverageService) {}

  async open(access: AccessContext, filters: CoverageQueryDto, locale: Locale): Promise<OpenedExport> {
    const report = await this.coverage.forAccess(access, filters.orgUnit?.toLowerCase(), { ownership: filters.ownership, asOf: filters.asOf });
    const yesNo = (value: boolean) => translate(locale, value ? 'exports.value.yes' : 'exports.value.no');
    const separator = locale === 'en' ? ', ' : '、';
    const row = (k: CoverageRow) => ({
      cells: [
        k.code, k.name, k.town?.name ?? '', k.groups.map((g) => g.name).join(separator), k.seniorCount, k.professorialCount, yesNo(k.covered),
        k.seniors.map((s) => (s.rotatedFrom ? `${s.name}${translate(locale, 'exports.value.rotated')}` : s.name)).join(separator),
      ],
    });
    const scope = report.orgUnit ? `-${report.orgUnit.name}` : '';
    return {
      total: report.kindergartens.length,
      fileName: `${translate(locale, 'exports.kind.coverage')}${scope}-${report.asOf}`.replace(/[\\/:*?"<>|]/g, '_'),
      columns: [
        column(locale, 'code', 14), column(locale, 'name', 30), column(locale, 'town', 14), column(locale, 'groups', 24),
        column(locale, 'seniorCount', 10), column(locale, 'professorialCount', 10), column(locale, 'covered', 8), column(locale, 'seniors', 40),
      ],
      batches: () => mapBatches(inBatches(report.kindergartens), row),
    };
  }
}
