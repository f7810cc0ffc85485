import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound, ValidationFailed } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { AuditService } from '../audit/audit.service.js';
import { ComplianceService } from './compliance.service.js';
import type { ComplianceResult } from './compliance.types.js';
import type { ReportGrouping, ReportQueryDto } from './report.dto.js';
import { ReportQuery, type CycleChoice, type ReportPerson, type SchemeChoice } from './report.query.js';
import { reportSheets, type SheetSpec } from './report-xlsx.js';
import { missingLines, worstStanding, type Standing } from './transcript-views.js';

export type ReportCounts = Record<Standing, number> & { total: number };

export interface ReportUnit {
  id: string;
  name: string;
  counts: ReportCounts;
}

export interface ReportPersonRow {
  personId: string;
  fullName: string;
  kindergartenName: string;
  unitId: string;
  unitName: string;
  standing: Standing;
  missing: string[];
}

export interface ComplianceReport {
  groupBy: ReportGrouping;
  asOf: string;
  cycle: { code: string; name: string; startsOn: string; endsOn: string } | null;
  scheme: { code: string; name: string } | null;
  units: ReportUnit[];
  totals: ReportCounts;
  /** The unit drilled into, with its people; null without `unit`. */
  unit: { id: string; name: string } | null;
  people: ReportPersonRow[] | null;
}

const BATCH = 200;

function emptyCounts(): ReportCounts {
  return { met: 0, on_track: 0, behind: 0, at_risk: 0, not_applicable: 0, total: 0 };
}

/**
 * Who is on track, behind or at risk, counted per kindergarten, group, town or district, over the
 * people in the caller's credits.read scope (a kindergarten admin's kindergarten, a group admin's
 * group, district staff's district). Each person counts once, with the worst standing of the schemes
 * that apply to them (or of the one scheme asked for).
 */
@Injectable()
export class ReportService {
  constructor(private readonly query: ReportQuery, private readonly compliance: ComplianceService, private readonly audit: AuditService) {}

  async report(access: AccessContext, filter: ReportQueryDto, locale: Locale): Promise<ComplianceReport> {
    const { report, rows } = await this.build(access, filter, locale);
    if (!filter.unit) return report;
    const wanted = filter.unit.toLowerCase();
    const unit = report.units.find((u) => u.id === wanted);
    if (!unit) throw new NotFound('Unit', filter.unit);
    return { ...report, unit: { id: unit.id, name: unit.name }, people: rows.filter((r) => r.unitId === unit.id) };
  }

  /** The report as two sheets (units, then everyone with their standing); the export of names is audited. */
  async spreadsheet(access: AccessContext, filter: ReportQueryDto, locale: Locale): Promise<{ filename: string; sheets: SheetSpec[] }> {
    const { report, rows } = await this.build(access, filter, locale);
    await this.audit.record(access.userId, 'export', 'credit_report', randomUUID(), access.districtIdFor('credits.read'), null,
      { format: 'xlsx', groupBy: filter.groupBy, cycle: filter.cycle ?? null, scheme: filter.scheme ?? null, people: rows.length });
    return { filename: `${translate(locale, 'transcript.report.title')}-${report.asOf}.xlsx`, sheets: reportSheets(report, rows, locale) };
  }

  /** The cycles and schemes the report can be filtered by. */
  async choices(access: AccessContext): Promise<{ cycles: CycleChoice[]; schemes: SchemeChoice[] }> {
    const [cycles, schemes] = await Promise.all([this.query.cycles(access.scopePaths('credits.read')), this.query.schemes()]);
    return { cycles, schemes };
  }

  /** The report with every person's row, for the spreadsheet. */
  async build(access: AccessContext, filter: ReportQueryDto, locale: Locale): Promise<{ report: ComplianceReport; rows: ReportPersonRow[] }> {
    const paths = access.scopePaths('credits.read');
    const asOf = shanghaiDate();
    const [cycles, schemes, people] = await Promise.all([this.query.cycles(paths), this.query.schemes(), this.query.people(paths)]);
    const cycle = this.cycleFor(cycles, filter.cycle, asOf);
    const scheme = filter.scheme === undefined ? null : schemes.find((s) => s.code === filter.scheme);
    if (scheme === undefined) throw ValidationFailed.field('scheme', 'SCHEME_NOT_FOUND', 'No such requirement scheme');

    const rows: ReportPersonRow[] = [];
    for (let i = 0; i < people.length; i += BATCH) {
      const batch = people.slice(i, i + BATCH);
      const standings = await this.compliance.standings(batch.map((p) => p.personId), { cycleCode: filter.cycle });
      for (const person of batch) {
        const results = (standings.get(person.personId) ?? []).filter((r) => !scheme || r.periods.some((p) => p.schemeCode === scheme.code));
        rows.push(this.row(person, filter.groupBy, results, locale));
      }
    }
    const units = new Map<string, ReportUnit>();
    const totals = emptyCounts();
    for (const row of rows) {
      const unit = units.get(row.unitId) ?? { id: row.unitId, name: row.unitName, counts: emptyCounts() };
      unit.counts[row.standing] += 1;
      unit.counts.total += 1;
      totals[row.standing] += 1;
      totals.total += 1;
      units.set(row.unitId, unit);
    }
    const report: ComplianceReport = {
      groupBy: filter.groupBy, asOf,
      cycle: cycle ? { code: cycle.code, name: locale === 'en' ? cycle.nameEn : cycle.nameZh, startsOn: cycle.startsOn, endsOn: cycle.endsOn } : null,
      scheme: scheme ? { code: scheme.code, name: locale === 'en' ? scheme.nameEn : scheme.nameZh } : null,
      // People come in kindergarten order, so units keep the order of their first kindergarten.
      units: [...units.values()],
      totals, unit: null, people: null,
    };
    return { report, rows };
  }

  private cycleFor(cycles: CycleChoice[], code: string | undefined, asOf: string): CycleChoice | null {
    if (code !== undefined) {
      const chosen = cycles.find((c) => c.code === code);
      if (!chosen) throw ValidationFailed.field('cycle', 'CYCLE_NOT_FOUND', 'No such credit cycle');
      return chosen;
    }
    return cycles.find((c) => c.startsOn <= asOf && asOf <= c.endsOn) ?? null;
  }

  private row(person: ReportPerson, groupBy: ReportGrouping, results: ComplianceResult[], locale: Locale): ReportPersonRow {
    const applicable = results.filter((r) => r.standing !== 'not_applicable');
    const unit = unitOf(person, groupBy, locale);
    return {
      personId: person.personId, fullName: person.fullName, kindergartenName: person.kindergartenName,
      unitId: unit.id, unitName: unit.name,
      standing: worstStanding(applicable),
      missing: applicable.flatMap((r) => missingLines(r, locale)),
    };
  }
}

function unitOf(person: ReportPerson, groupBy: ReportGrouping, locale: Locale): { id: string; name: string } {
  switch (groupBy) {
    case 'kindergarten': return { id: person.kindergartenId, name: person.kindergartenName };
    case 'group': return person.groupId ? { id: person.groupId, name: person.groupName! } : { id: 'none', name: translate(locale, 'transcript.report.noGroup') };
    case 'town': return person.townId ? { id: person.townId, name: person.townName! } : { id: 'none', name: translate(locale, 'transcript.report.noTown') };
    case 'district': return { id: person.districtId, name: person.districtName };
  }
}
