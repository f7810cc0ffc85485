import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound } from '../../common/errors.js';
import { SENIOR_TITLES, type Title } from '../people/person-records.entity.js';
import type { RotationAssignment } from '../mentoring/rotations.query.js';
import { RotationsService } from '../mentoring/rotations.service.js';
import { CoverageQuery, type KindergartenRef, type SeniorHolder, type TitledPerson } from './coverage.query.js';
import { percent, readPaths, type ScopeUnit } from './target-measures.js';
import { TargetMeasuresQuery } from './target-measures.query.js';

export type { SeniorHolder } from './coverage.query.js';

export interface CoverageRow extends KindergartenRef {
  seniorCount: number;
  professorialCount: number;
  covered: boolean;
  seniors: SeniorHolder[];
}

export interface CoverageBucket {
  id: string | null;
  name: string | null;
  total: number;
  covered: number;
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

/**
 * Who counts where on a day: staff hold their titles at their kindergarten; a rotation counted at the
 * host moves the person there, one counted at both adds them to the host as well.
 */
export function seniorsAt(staff: TitledPerson[], rotations: RotationAssignment[], rotatedTitles: Map<string, Title | null>): Map<string, SeniorHolder[]> {
  const at = new Map<string, SeniorHolder[]>();
  for (const s of staff) {
    if (s.title && SENIOR_TITLES.includes(s.title)) {
      const holder: SeniorHolder = { personId: s.personId, name: s.name, title: s.title, post: s.post, rotatedFrom: null };
      const list = at.get(s.kindergartenId);
      if (list) list.push(holder);
      else at.set(s.kindergartenId, [holder]);
    }
  }
  return rotated(at, rotations, rotatedTitles);
}

/**
 * The holders at each kindergarten (its own staff, in order) after the rotations on the day: less
 * those counted at a host, plus those counted here as host. Lists no rotation touches are kept as they are.
 */
export function rotated(at: Map<string, SeniorHolder[]>, rotations: RotationAssignment[], rotatedTitles: Map<string, Title | null>): Map<string, SeniorHolder[]> {
  const countedAway = new Set(rotations.filter((r) => r.countAt === 'host').map((r) => r.personId));
  const out = new Map<string, SeniorHolder[]>();
  for (const [kindergartenId, list] of at) {
    const kept = countedAway.size && list.some((h) => countedAway.has(h.personId)) ? list.filter((h) => !countedAway.has(h.personId)) : list;
    if (kept.length) out.set(kindergartenId, kept);
  }
  for (const r of rotations) {
    const title = rotatedTitles.get(r.personId);
    if (r.countAt !== 'home' && title && SENIOR_TITLES.includes(title)) {
      const holder: SeniorHolder = { personId: r.personId, name: r.personName, title, post: null, rotatedFrom: r.homeKindergartenId };
      out.set(r.hostKindergartenId, [...(out.get(r.hostKindergartenId) ?? []), holder]);
    }
  }
  return out;
}

function buckets(rows: CoverageRow[], keys: (row: CoverageRow) => Array<{ id: string; name: string } | null>): CoverageBucket[] {
  const found = new Map<string | null, CoverageBucket>();
  for (const row of rows) {
    const list = keys(row);
    for (const key of list.length ? list : [null]) {
      const bucket = found.get(key?.id ?? null) ?? { id: key?.id ?? null, name: key?.name ?? null, total: 0, covered: 0, share: 0 };
      bucket.total += 1;
      bucket.covered += row.covered ? 1 : 0;
      found.set(bucket.id, bucket);
    }
  }
  return [...found.values()].map((b) => ({ ...b, share: percent(b.covered, b.total) }));
}

/** 高级/正高级 coverage of kindergartens: each kindergarten's count, by town and by group, and the share covered. */
@Injectable()
export class CoverageService {
  constructor(
    private readonly query: CoverageQuery,
    private readonly measures: TargetMeasuresQuery,
    private readonly rotations: RotationsService,
  ) {}

  async coverage(scope: CoverageScope): Promise<CoverageReport> {
    const asOf = scope.asOf ?? shanghaiDate();
    const ownership = scope.ownership ?? 'public';
    const kindergartens = await this.query.kindergartensWithHolders(scope.paths, ownership === 'all' ? null : ownership, asOf, SENIOR_TITLES);
    const own = new Map(kindergartens.filter((k) => k.holders.length).map((k) => [k.id, k.holders]));
    const seniors = await this.withRotations(own, kindergartens.map((k) => k.id), asOf);
    const rows: CoverageRow[] = kindergartens.map((k) => {
      const holders = seniors.get(k.id) ?? [];
      return {
        id: k.id, code: k.code, name: k.name, ownership: k.ownership, town: k.town, groups: k.groups,
        seniorCount: holders.length, professorialCount: holders.filter((h) => h.title === 'professorial').length, covered: holders.length > 0, seniors: holders,
      };
    });
    const covered = rows.filter((r) => r.covered).length;
    return {
      asOf, ownership, total: rows.length, covered, share: percent(covered, rows.length), kindergartens: rows,
      byTown: buckets(rows, (r) => [r.town]),
      byGroup: buckets(rows, (r) => r.groups),
    };
  }

  /** A whole district, for the blue book. */
  async forDistrict(districtId: string, options: Omit<CoverageScope, 'paths'> = {}): Promise<CoverageReport> {
    const district = await this.measures.district(districtId);
    if (!district) throw new NotFound('district', districtId);
    return this.coverage({ ...options, paths: [district.path] });
  }

  /** The caller's view: `orgUnitId` when it lies in their targets.read scope (else 404), otherwise their whole scope. */
  async forAccess(access: AccessContext, orgUnitId: string | undefined, options: Omit<CoverageScope, 'paths'>): Promise<CoverageReport & { orgUnit: ScopeUnit | null }> {
    const { unit, paths } = await this.scope(access, orgUnitId);
    return { orgUnit: unit, ...(await this.coverage({ ...options, paths })) };
  }

  async scope(access: AccessContext, orgUnitId: string | undefined): Promise<{ unit: ScopeUnit | null; paths: string[] }> {
    const unit = orgUnitId ? await this.measures.unit(orgUnitId) : null;
    const paths = readPaths(access, unit, !!orgUnitId);
    if (!paths) throw new NotFound('org unit', orgUnitId);
    return { unit, paths };
  }

  /** Senior-title holders counted at each kindergarten on the day, rotations included. */
  async seniorsOn(kindergartenIds: string[], asOf: string): Promise<Map<string, SeniorHolder[]>> {
    if (!kindergartenIds.length) return new Map();
    const [staff, rotations] = await Promise.all([
      this.query.titledStaff(kindergartenIds, SENIOR_TITLES, asOf),
      this.rotations.activeAt(asOf, kindergartenIds),
    ]);
    const titles = await this.query.titles([...new Set(rotations.map((r) => r.personId))], asOf);
    return seniorsAt(staff, rotations, titles);
  }

  /** `own`: each kindergarten's own senior-title staff on the day; the rotations on the day applied to them. */
  private async withRotations(own: Map<string, SeniorHolder[]>, kindergartenIds: string[], asOf: string): Promise<Map<string, SeniorHolder[]>> {
    if (!kindergartenIds.length) return new Map();
    const rotations = await this.rotations.activeAt(asOf, kindergartenIds);
    const titles = await this.query.titles([...new Set(rotations.map((r) => r.personId))], asOf);
    return rotated(own, rotations, titles);
  }
}
