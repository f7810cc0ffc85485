import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound } from '../../common/errors.js';
import { SENIOR_TITLES } from '../people/person-records.entity.js';
import { CoverageQuery, type BucketCount, type KindergartenRef, type SeniorHolder } from './coverage.query.js';
import { percent, readPaths, type ScopeUnit } from './target-measures.js';
import { TargetMeasuresQuery } from './target-measures.query.js';

export type { SeniorHolder } from './coverage.query.js';

export interface CoverageRow extends KindergartenRef {
  seniorCount: number;
  professorialCount: number;
  covered: boolean;
  seniors: SeniorHolder[];
}

export interface CoverageBucket extends BucketCount {
  share: number;
}

export interface CoverageReport {
  asOf: string;
  ownership: 'public' | 'private' | 'all';
  total: number;
  covered: number;
  /** Percent of the kindergartens in scope with at least one senior-title teacher. */
  share: number;
  kindergartens: CoverageRow[];
  byTown: CoverageBucket[];
  byGroup: CoverageBucket[];
}

export interface CoverageScope {
  /** Org path prefixes (a district's, a town's, a kindergarten's, or a group admin's kindergartens). */
  paths: string[];
  /** Public kindergartens only (the target's population) unless 'all'. */
  ownership?: 'public' | 'private' | 'all';
  /** The day counted; today in Shanghai by default. */
  asOf?: string;
}

/** 高级/正高级 coverage of kindergartens: each kindergarten's count, by town and by group, and the share covered. */
@Injectable()
export class CoverageService {
  constructor(
    private readonly query: CoverageQuery,
    private readonly measures: TargetMeasuresQuery,
  ) {}

  async coverage(scope: CoverageScope): Promise<CoverageReport> {
    return JSON.parse(await this.coverageJson(scope)) as CoverageReport;
  }

  /**
   * The report as JSON text: the kindergartens' part comes from the database as it is sent (with `extra`'s
   * fields first, e.g. the org unit asked for). Parsing and serialising thousands of holders again cost the app
   * a third of this report's time at city scale.
   */
  async coverageJson(scope: CoverageScope, extra: Record<string, unknown> = {}): Promise<string> {
    const asOf = scope.asOf ?? shanghaiDate();
    const ownership = scope.ownership ?? 'public';
    const rows = await this.query.report(scope.paths, ownership === 'all' ? null : ownership, asOf, SENIOR_TITLES);
    const withShare = (b: BucketCount): CoverageBucket => ({ ...b, share: percent(b.covered, b.total) });
    const head = JSON.stringify({ ...extra, asOf, ownership, total: rows.total, covered: rows.covered, share: percent(rows.covered, rows.total) });
    return `${head.slice(0, -1)},"kindergartens":${rows.kindergartens},"byTown":${JSON.stringify(rows.byTown.map(withShare))},"byGroup":${JSON.stringify(rows.byGroup.map(withShare))}}`;
  }

  /** A whole district, for the blue book. */
  async forDistrict(districtId: string, options: Omit<CoverageScope, 'paths'> = {}): Promise<CoverageReport> {
    const district = await this.measures.district(districtId);
    if (!district) throw new NotFound('district', districtId);
    return this.coverage({ ...options, paths: [district.path] });
  }

  /** The caller's view: `orgUnitId` when it lies in their targets.read scope (else 404), otherwise their whole scope. */
  async forAccess(access: AccessContext, orgUnitId: string | undefined, options: Omit<CoverageScope, 'paths'>): Promise<CoverageReport & { orgUnit: ScopeUnit | null }> {
    return JSON.parse(await this.forAccessJson(access, orgUnitId, options)) as CoverageReport & { orgUnit: ScopeUnit | null };
  }

  /** `forAccess` as JSON text, for the API. */
  async forAccessJson(access: AccessContext, orgUnitId: string | undefined, options: Omit<CoverageScope, 'paths'>): Promise<string> {
    const { unit, paths } = await this.scope(access, orgUnitId);
    return this.coverageJson({ ...options, paths }, { orgUnit: unit });
  }

  async scope(access: AccessContext, orgUnitId: string | undefined): Promise<{ unit: ScopeUnit | null; paths: string[] }> {
    const unit = orgUnitId ? await this.measures.unit(orgUnitId) : null;
    const paths = readPaths(access, unit, !!orgUnitId);
    if (!paths) throw new NotFound('org unit', orgUnitId);
    return { unit, paths };
  }
}
