import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { RotationsService } from '../mentoring/rotations.service.js';
import { CoverageQuery, type KindergartenRef } from './coverage.query.js';
import { CoverageService, type CoverageRow } from './coverage.service.js';
import { planCoverage, rotationOptions, type Donor, type GapKindergarten, type PlannedPromotion, type PlannedRotation, type UncoveredReason } from './gap-planning.js';
import { percent, type ScopeUnit } from './target-measures.js';
import { TitleEligibilityService } from './title-eligibility.service.js';

export interface GapCandidate {
  personId: string;
  name: string;
  post: string;
  /** The earliest day every condition for 高级 is met (T1's rules); null: not under the rules as they stand. */
  eligibleOn: string | null;
  eligibleByDate: boolean;
  /** Conditions not met today, by code (e.g. years_at_previous, credits). */
  unmet: string[];
}

export interface GapRow extends KindergartenRef {
  candidates: GapCandidate[];
  rotationOptions: Array<{ kindergartenId: string; name: string; seniorCount: number; capacity: number; teachers: Array<{ personId: string; name: string }> }>;
}

export interface GapReport {
  orgUnit: ScopeUnit | null;
  asOf: string;
  by: string;
  total: number;
  covered: number;
  share: number;
  gaps: GapRow[];
  plan: {
    promotions: Array<PlannedPromotion & { kindergartenName: string }>;
    rotations: Array<PlannedRotation & { kindergartenName: string }>;
    uncovered: Array<{ kindergartenId: string; kindergartenName: string; reason: UncoveredReason }>;
    /** Kindergartens the plan covers, and the share covered if it is carried out. */
    covers: number;
    coveredAfter: number;
    shareAfter: number;
  };
}

/** Which public kindergartens without a senior-title teacher can be covered by a date, and how. */
@Injectable()
export class GapPlanningService {
  constructor(
    private readonly coverage: CoverageService,
    private readonly query: CoverageQuery,
    private readonly rotations: RotationsService,
    private readonly eligibility: TitleEligibilityService,
  ) {}

  async gaps(access: AccessContext, orgUnitId: string | undefined, by?: string): Promise<GapReport> {
    const asOf = shanghaiDate();
    const until = by ?? `${asOf.slice(0, 4)}-12-31`;
    const { unit, paths } = await this.coverage.scope(access, orgUnitId);
    // Donors may lie outside the asked unit (a group spans towns) but never outside what the caller may read.
    const [report, everywhere] = await Promise.all([
      this.coverage.coverage({ paths, asOf, ownership: 'public' }),
      this.coverage.coverage({ paths: access.scopePaths('targets.read'), asOf, ownership: 'all' }),
    ]);
    const open = report.kindergartens.filter((k) => !k.covered);
    const candidates = await this.candidates(open.map((k) => k.id), asOf, until);
    const donors = await this.donors(everywhere.kindergartens, asOf);

    const gapInputs: GapKindergarten[] = open.map((k) => ({
      id: k.id, code: k.code, name: k.name, groupIds: k.groups.map((g) => g.id), candidates: candidates.get(k.id) ?? [],
    }));
    const plan = planCoverage(gapInputs, donors, until);
    const nameOf = (id: string) => open.find((k) => k.id === id)?.name ?? '';
    const covers = plan.covered;
    return {
      orgUnit: unit, asOf, by: until, total: report.total, covered: report.covered, share: report.share,
      gaps: open.map((k, i) => ({
        id: k.id, code: k.code, name: k.name, ownership: k.ownership, town: k.town, groups: k.groups,
        candidates: candidates.get(k.id) ?? [],
        rotationOptions: rotationOptions(gapInputs[i], donors).map((d) => ({
          kindergartenId: d.kindergartenId, name: d.name, seniorCount: d.seniorCount, capacity: Math.min(d.seniorCount - 1, d.movable.length), teachers: d.movable,
        })),
      })),
      plan: {
        promotions: plan.promotions.map((p) => ({ ...p, kindergartenName: nameOf(p.kindergartenId) })),
        rotations: plan.rotations.map((r) => ({ ...r, kindergartenName: nameOf(r.kindergartenId) })),
        uncovered: plan.uncovered.map((u) => ({ ...u, kindergartenName: nameOf(u.kindergartenId) })),
        covers, coveredAfter: report.covered + covers, shareAfter: percent(report.covered + covers, report.total),
      },
    };
  }

  /** Each kindergarten's own 一级 staff with the earliest day they can apply for 高级. */
  private async candidates(kindergartenIds: string[], asOf: string, by: string): Promise<Map<string, GapCandidate[]>> {
    const staff = await this.query.titledStaff(kindergartenIds, ['first'], asOf);
    const eligibility = await this.eligibility.forPeople(staff.map((s) => s.personId));
    const found = new Map<string, GapCandidate[]>();
    for (const s of staff) {
      const e = eligibility.get(s.personId);
      const eligibleOn = e?.nextTitle === 'senior' ? e.eligibleOn : null;
      const candidate: GapCandidate = {
        personId: s.personId, name: s.name, post: s.post, eligibleOn, eligibleByDate: !!eligibleOn && eligibleOn <= by,
        unmet: (e?.conditions ?? []).filter((c) => !c.met).map((c) => c.code),
      };
      found.set(s.kindergartenId, [...(found.get(s.kindergartenId) ?? []), candidate]);
    }
    for (const list of found.values()) list.sort((a, b) => (a.eligibleOn ?? '9999').localeCompare(b.eligibleOn ?? '9999') || a.name.localeCompare(b.name));
    return found;
  }

  /** Kindergartens with two or more senior-title teachers, and those of their own staff free to move (not on a rotation). */
  private async donors(rows: CoverageRow[], asOf: string): Promise<Donor[]> {
    const rich = rows.filter((k) => k.seniorCount >= 2);
    const rotating = new Set((await this.rotations.activeAt(asOf, rich.map((k) => k.id))).map((r) => r.personId));
    return rich.map((k) => ({
      kindergartenId: k.id, code: k.code, name: k.name, groupIds: k.groups.map((g) => g.id), seniorCount: k.seniorCount,
      movable: k.seniors.filter((s) => !s.rotatedFrom && !rotating.has(s.personId)).map((s) => ({ personId: s.personId, name: s.name })),
    }));
  }
}
