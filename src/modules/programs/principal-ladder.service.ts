import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { ValidationFailed } from '../../common/errors.js';
import { ComplianceService } from '../credits/compliance.service.js';
import type { ComplianceResult } from '../credits/compliance.types.js';
import { PrincipalLadderQuery, type LadderPerson, type StageSchemeRow } from './principal-ladder.query.js';
import { stageSince, type StageStep } from './principal-rules.js';
import { PrincipalScope } from './principal-scope.js';

export interface LadderStanding {
  standing: ComplianceResult['standing'];
  unit: string | null;
  /** Earned and required over the current cycle (pro-rated where the stage changed during it). */
  earned: number;
  required: number;
  needed: number;
  cycle: { code: string; name: string; nameEn?: string; startsOn: string; endsOn: string } | null;
}

export interface LadderRow {
  personId: string;
  fullName: string;
  post: string | null;
  kindergarten: { id: string; code: string; name: string };
  stage: string | null;
  since: string | null;
  history: StageStep[];
  scheme: { code: string; nameZh: string; nameEn: string; unit: string; total: number } | null;
  /** Null when no stage scheme applies (no stage, or none written for it). */
  standing: LadderStanding | null;
}

export interface LadderReport {
  asOf: string;
  orgUnit: { id: string; name: string } | null;
  /** Every stage of the ladder in order with its head count, then people with no stage (`code` null). */
  stages: Array<{ code: string | null; nameZh: string | null; nameEn: string | null; count: number }>;
  total: number;
  people: LadderRow[];
}

const BATCH = 200;
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The principal ladder (后备 → 新任 → 成长期 → 成熟期 → 专家型): everyone on it in the caller's scope with their
 * stage, since when, the stage history, their stage's credit scheme and where they stand in the current cycle.
 * Standings come from the compliance service's bulk path, a batch of people at a time.
 */
@Injectable()
export class PrincipalLadderService {
  constructor(private readonly query: PrincipalLadderQuery, private readonly scope: PrincipalScope, private readonly compliance: ComplianceService) {}

  async ladder(access: AccessContext, filter: { orgUnit?: string; stage?: string }): Promise<LadderReport> {
    const asOf = shanghaiDate();
    const [{ unit, paths }, definitions, schemes] = await Promise.all([
      this.scope.resolve(access, filter.orgUnit), this.query.stages(), this.query.stageSchemes(asOf),
    ]);
    if (filter.stage !== undefined && filter.stage !== 'none' && !definitions.some((d) => d.code === filter.stage)) {
      throw ValidationFailed.field('stage', 'UNKNOWN_STAGE', `stage must be one of ${definitions.map((d) => d.code).join(', ')} or none`);
    }
    const everyone = await this.query.people(paths);
    const stages = [
      ...definitions.map((d) => ({ code: d.code as string | null, nameZh: d.nameZh as string | null, nameEn: d.nameEn as string | null, count: 0 })),
      { code: null, nameZh: null, nameEn: null, count: 0 },
    ];
    for (const person of everyone) (stages.find((s) => s.code === person.stage) ?? stages.at(-1)!).count += 1;
    const wanted = filter.stage === undefined ? everyone : everyone.filter((p) => (filter.stage === 'none' ? !p.stage || !definitions.some((d) => d.code === p.stage) : p.stage === filter.stage));
    const history = await this.query.history(wanted.map((p) => p.personId));
    const stageCodes = new Set(schemes.map((s) => s.code));
    const people: LadderRow[] = [];
    for (let i = 0; i < wanted.length; i += BATCH) {
      const batch = wanted.slice(i, i + BATCH);
      const standings = await this.compliance.standings(batch.map((p) => p.personId), { asOf });
      for (const person of batch) people.push(this.row(person, history.get(person.personId) ?? [], standings.get(person.personId) ?? [], schemes, stageCodes));
    }
    return {
      asOf, orgUnit: unit ? { id: unit.id, name: unit.name } : null,
      stages: stages.filter((s) => s.code !== null || s.count > 0), total: everyone.length, people,
    };
  }

  private row(person: LadderPerson, history: StageStep[], results: ComplianceResult[], schemes: StageSchemeRow[], stageCodes: Set<string>): LadderRow {
    const track = results.find((r) => r.periods.some((p) => stageCodes.has(p.schemeCode)));
    const current = track?.periods.filter((p) => stageCodes.has(p.schemeCode)).at(-1);
    const scheme = (current && schemes.find((s) => s.code === current.schemeCode))
      ?? (person.stage ? schemes.find((s) => s.principalStages.includes(person.stage!)) : undefined);
    return {
      personId: person.personId, fullName: person.fullName, post: person.post,
      kindergarten: { id: person.kindergartenId, code: person.kindergartenCode, name: person.kindergartenName },
      stage: person.stage, since: stageSince(history, person.stage), history,
      scheme: scheme ? { code: scheme.code, nameZh: scheme.nameZh, nameEn: scheme.nameEn, unit: scheme.unit, total: scheme.total } : null,
      standing: track ? {
        standing: track.standing, unit: track.unit ?? null,
        earned: round2(track.periods.reduce((sum, p) => sum + (p.rules[0]?.earned ?? 0), 0)),
        required: track.required ?? 0, needed: track.needed ?? 0, cycle: track.cycle,
      } : null,
    };
  }
}
