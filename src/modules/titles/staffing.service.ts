import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { POSTS, type Post } from '../people/person.entity.js';
import { CoverageService } from './coverage.service.js';
import { StaffingQuery, type StaffingKindergarten } from './staffing.query.js';
import { certificateCoverage, checkStaffing, type CertificateCoverage, type StaffCounts, type StaffingCheck } from './staffing.js';
import type { ScopeUnit } from './target-measures.js';

export interface StaffingRow extends Omit<StaffingKindergarten, 'standard'> {
  standard: { id: string; regionCode: string | null; effectiveFrom: string } | null;
  staff: StaffCounts & { total: number };
  checks: StaffingCheck[];
  /** Every check passes (false when the kindergarten's classes or children are not recorded). */
  meetsStandard: boolean;
  certificates: CertificateCoverage;
}

export interface StaffingReport {
  orgUnit: ScopeUnit | null;
  asOf: string;
  kindergartens: StaffingRow[];
  meetingStandard: number;
  certificates: CertificateCoverage;
}

const zeroCounts = () => Object.fromEntries(POSTS.map((p) => [p, 0])) as StaffCounts;

/** Each kindergarten's staff against the staffing standard in force, and 持证上岗 coverage. */
@Injectable()
export class StaffingService {
  constructor(private readonly query: StaffingQuery, private readonly coverage: CoverageService) {}

  async report(access: AccessContext, orgUnitId: string | undefined, options: { ownership?: 'public' | 'all'; asOf?: string }): Promise<StaffingReport> {
    const { unit, paths } = await this.coverage.scope(access, orgUnitId);
    return { orgUnit: unit, ...(await this.staffing(paths, options)) };
  }

  /** Every kindergarten by default: the standard binds private ones too. */
  async staffing(paths: string[], options: { ownership?: 'public' | 'all'; asOf?: string } = {}): Promise<Omit<StaffingReport, 'orgUnit'>> {
    const asOf = options.asOf ?? shanghaiDate();
    const ownership = options.ownership === 'public' ? 'public' : null;
    const [kindergartens, posts] = await Promise.all([this.query.kindergartens(paths, ownership, asOf), this.query.posts(paths, ownership, asOf)]);
    const rows = kindergartens.map((k): StaffingRow => {
      const own = posts.filter((p) => p.kindergartenId === k.id);
      const staff = zeroCounts();
      for (const p of own) staff[p.post as Post] += p.needing;
      const known = k.classes !== null && k.children !== null && !!k.standard;
      const checks = known ? checkStaffing({ classes: k.classes!, children: k.children!, fullDay: true }, staff, k.standard!.rules) : [];
      return {
        id: k.id, code: k.code, name: k.name, ownership: k.ownership, classes: k.classes, children: k.children,
        standard: k.standard ? { id: k.standard.id, regionCode: k.standard.regionCode, effectiveFrom: k.standard.effectiveFrom } : null,
        staff: { ...staff, total: Object.values(staff).reduce((a, b) => a + b, 0) },
        checks, meetsStandard: known && checks.every((c) => c.status === 'ok'),
        certificates: certificateCoverage(own.map(({ post, needing, holding }) => ({ post, needing, holding }))),
      };
    });
    const all = POSTS.map((post) => ({
      post, needing: posts.filter((p) => p.post === post).reduce((a, p) => a + p.needing, 0), holding: posts.filter((p) => p.post === post).reduce((a, p) => a + p.holding, 0),
    }));
    return { asOf, kindergartens: rows, meetingStandard: rows.filter((r) => r.meetsStandard).length, certificates: certificateCoverage(all) };
  }
}
