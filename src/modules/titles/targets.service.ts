import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound } from '../../common/errors.js';
import { CoverageService, type CoverageReport } from './coverage.service.js';
import { MEASURES, judge, scopeOwnership, type MeasureCount, type ScopeUnit, type TargetStatus } from './target-measures.js';
import { TargetMeasuresQuery } from './target-measures.query.js';
import { WorkforceTarget } from './titles.entities.js';

export interface TargetProgress {
  id: string;
  code: string;
  /** Null for the defaults every district shares (a district overrides a code with its own row). */
  districtId: string | null;
  nameZh: string;
  nameEn: string;
  measure: string;
  scope: Record<string, unknown>;
  unit: 'percent' | 'count';
  threshold: number;
  deadline: string;
  source: string | null;
  value: number;
  numerator: number;
  denominator: number | null;
  details: Record<string, number> | null;
  met: boolean;
  status: TargetStatus;
  /** The straight-line value expected on `asOf`, against which on track / behind is judged. */
  expected: number;
}

const byMeasure = (a: WorkforceTarget, b: WorkforceTarget) =>
  MEASURES.indexOf(a.measure as never) - MEASURES.indexOf(b.measure as never) || a.deadline.localeCompare(b.deadline) || a.code.localeCompare(b.code);

/** The district's targets (defaults overridden by the district's own rows) measured live over a scope. */
@Injectable()
export class TargetsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly measures: TargetMeasuresQuery,
    private readonly coverage: CoverageService,
  ) {}

  /** The definitions in force for a district: its own row for a code, else the default; archived rows hide the code. */
  async definitions(districtId: string | null, manager?: EntityManager): Promise<Array<WorkforceTarget & { archived: boolean }>> {
    const rows = await (manager ?? this.db).getRepository(WorkforceTarget).find({
      where: districtId ? [{ districtId }, { districtId: IsNull() }] : [{ districtId: IsNull() }],
    });
    const byCode = new Map<string, WorkforceTarget>();
    for (const row of rows) if (!byCode.has(row.code) || row.districtId) byCode.set(row.code, row);
    return [...byCode.values()].sort(byMeasure).map((row) => Object.assign(row, { archived: !!row.archivedAt }));
  }

  /** Every target of a whole district with its value on `asOf` (today by default): for the blue book. */
  async progress(districtId: string, asOf: string = shanghaiDate()): Promise<TargetProgress[]> {
    const district = await this.measures.district(districtId);
    if (!district) throw new NotFound('district', districtId);
    return this.evaluate(districtId, [district.path], asOf);
  }

  /** The caller's view: the unit asked for when it lies in their targets.read scope (else 404), otherwise their whole scope. */
  async forAccess(access: AccessContext, orgUnitId: string | undefined, asOf: string = shanghaiDate()): Promise<{ orgUnit: ScopeUnit | null; asOf: string; targets: TargetProgress[] }> {
    const { unit, paths } = await this.coverage.scope(access, orgUnitId);
    const districtId = unit ? (unit.kind === 'district' ? unit.id : unit.districtId) : access.districtIdFor('targets.read');
    return { orgUnit: unit, asOf, targets: await this.evaluate(districtId, paths, asOf) };
  }

  private async evaluate(districtId: string | null, paths: string[], asOf: string): Promise<TargetProgress[]> {
    const targets = (await this.definitions(districtId)).filter((t) => !t.archived);
    const coverages = new Map<string, Promise<CoverageReport>>();
    const count = async (target: WorkforceTarget): Promise<MeasureCount> => {
      const ownership = scopeOwnership(target.scope);
      if (target.measure !== 'kindergartens_with_senior_title') {
        return (await this.measures.count(target.measure, paths, ownership, asOf)) ?? { numerator: 0, denominator: null };
      }
      const key = ownership ?? 'all';
      if (!coverages.has(key)) coverages.set(key, this.coverage.coverage({ paths, asOf, ownership: key }));
      const report = await coverages.get(key)!;
      return { numerator: report.covered, denominator: report.total };
    };
    return Promise.all(targets.map(async (target) => {
      const measured = await count(target);
      const outcome = judge(target.unit, measured, target.threshold, target.deadline, asOf);
      return {
        id: target.id, code: target.code, districtId: target.districtId, nameZh: target.nameZh, nameEn: target.nameEn, measure: target.measure,
        scope: target.scope, unit: target.unit, threshold: target.threshold, deadline: target.deadline, source: target.source,
        numerator: measured.numerator, denominator: measured.denominator, details: measured.details ?? null, ...outcome,
      };
    }));
  }
}
