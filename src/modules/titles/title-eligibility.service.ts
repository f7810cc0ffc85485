import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound } from '../../common/errors.js';
import { ComplianceService } from '../credits/compliance.service.js';
import type { Title } from '../people/person-records.entity.js';
import { TitleEligibilityQuery, type PersonTitleFacts } from './title-eligibility.query.js';
import { evaluateEligibility, gradesOf, nextTitleAfter, ruleInForce, type ConditionResult, type EligibilityResult, type RuleCandidate } from './title-rules.js';

export interface PersonEligibility extends EligibilityResult {
  personId: string;
  fullName: string;
  asOf: string;
}

/** What other modules (gap planning, reports) get per person. */
export interface EligibilitySummary {
  nextTitle: Title | null;
  eligibleOn: string | null;
  conditions: ConditionResult[];
}

/** The region codes on an org path, most specific first (kindergarten, town, district, city). */
export function regionCodesOf(path: string, codes: Map<string, string>): string[] {
  return path.split('/').filter(Boolean).reverse().map((id) => codes.get(id)).filter((c): c is string => !!c);
}

/**
 * Eligibility for the next title: the rule in force for the person's region, each condition with the
 * date it will be met if nothing changes. Batched: a handful of queries for any number of people.
 */
@Injectable()
export class TitleEligibilityService {
  constructor(private readonly query: TitleEligibilityQuery, private readonly compliance: ComplianceService) {}

  /** For a route: the person themself, or 'people.read' / 'titles.review' / 'titles.decide' over their kindergarten; else 404. */
  async visibleTo(access: AccessContext, personId: string, asOf?: string): Promise<PersonEligibility> {
    return (await this.visibleWithFacts(access, personId, asOf)).eligibility;
  }

  async visibleWithFacts(access: AccessContext, personId: string, asOf?: string) {
    const result = (await this.evaluate([personId], asOf))[0];
    if (!result || !canSee(access, result.facts)) throw new NotFound('person', personId);
    return result;
  }

  /** Batch form for other modules: next title, the date all conditions are met (null: never/unknown), the conditions. */
  async forPeople(personIds: string[], asOf?: Date): Promise<Map<string, EligibilitySummary>> {
    const results = await this.evaluate(personIds, asOf ? shanghaiDate(asOf) : undefined);
    return new Map(results.map(({ eligibility: e }) => [e.personId, { nextTitle: e.nextTitle, eligibleOn: e.eligibleOn, conditions: e.conditions }]));
  }

  /** Full results with the facts, for applications (optionally inside their transaction). */
  async evaluate(personIds: string[], asOfDate?: string, manager?: EntityManager): Promise<Array<{ facts: PersonTitleFacts; eligibility: PersonEligibility }>> {
    const ids = [...new Set(personIds)];
    if (ids.length === 0) return [];
    const asOf = asOfDate ?? shanghaiDate();
    const [people, rules] = await Promise.all([this.query.people(ids, manager), this.query.rules(manager)]);
    if (people.length === 0) return [];
    const codes = await this.query.unitCodes(people.map((p) => p.path), manager);
    const chosen = new Map(people.map((p) => {
      const next = nextTitleAfter(p.currentTitle);
      return [p.id, next ? ruleInForce(rules, next, regionCodesOf(p.path, codes), asOf) : null] as const;
    }));
    const inForce = [...chosen.values()].filter((r): r is RuleCandidate => !!r);
    const needCredits = people.filter((p) => chosen.get(p.id)?.conditions.creditsComplete).map((p) => p.id);
    const grades = [...new Set(inForce.flatMap((r) => (r.conditions.extra ?? []).filter((x) => x.code === 'rural_service').flatMap((x) => [...gradesOf(x)])))];
    const [certificates, blocks, standings, service] = await Promise.all([
      this.query.certificates(ids, manager),
      this.query.ethicsBlocks(ids, asOf, manager),
      needCredits.length ? this.compliance.standings(needCredits, { asOf }) : Promise.resolve(new Map()),
      grades.length ? this.query.serviceInGrades(ids, grades, manager) : Promise.resolve([]),
    ]);
    return people.map((p) => {
      const rule = chosen.get(p.id) ?? null;
      const results = standings.get(p.id) as Array<{ standing: string }> | undefined;
      const eligibility = evaluateEligibility(rule, nextTitleAfter(p.currentTitle), {
        educationLevel: p.educationLevel, hireDate: p.hireDate, currentTitle: p.currentTitle, currentTitleSince: p.currentTitleSince,
        certificates: certificates.filter((c) => c.personId === p.id),
        ethicsBlockedUntil: blocks.get(p.id) ?? null,
        // No scheme applying to the person means nothing is missing.
        creditsComplete: results === undefined ? null : results.every((r) => r.standing === 'met' || r.standing === 'not_applicable'),
        serviceByGrade: service.filter((s) => s.personId === p.id),
      }, asOf);
      return { facts: p, eligibility: { personId: p.id, fullName: p.fullName, asOf, ...eligibility } };
    });
  }
}

export function canSee(access: AccessContext, person: { id: string; path: string }): boolean {
  return access.isSelf(person.id) || (['people.read', 'titles.review', 'titles.decide'] as const).some((p) => access.canAt(p, person.path));
}
