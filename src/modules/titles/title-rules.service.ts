import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Conflict, ValidationFailed } from '../../common/errors.js';
import { TITLES, type Title } from '../people/person-records.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { conditionProblems, type CreateTitleRuleDto } from './promotion.dto.js';
import { regionCodesOf } from './title-eligibility.service.js';
import { TitleEligibilityQuery } from './title-eligibility.query.js';
import { ruleInForce, type RuleCandidate } from './title-rules.js';
import { TitleRule, type TitleConditions } from './titles.entities.js';

const previousTitle = (title: Title): Title | null => TITLES[TITLES.indexOf(title) - 1] ?? null;

/** Effective-dated title rules per region; a new version never changes the old one (applications judged under it stay explained). */
@Injectable()
export class TitleRulesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: TitleEligibilityQuery,
    private readonly audit: AuditService,
  ) {}

  /** The rules on the region's path (or every rule), and the one in force today per title. */
  async list(regionCode: string | undefined) {
    const rules = await this.query.rules();
    const asOf = shanghaiDate();
    if (!regionCode) return { region: null, asOf, items: sortRules(rules), inForce: null };
    const unit: Array<{ path: string }> = await this.db.query('SELECT path FROM org_unit WHERE code = $1', [regionCode]);
    if (!unit[0]) throw ValidationFailed.field('region', 'REGION_NOT_FOUND', `No org unit with code "${regionCode}"`);
    const codes = regionCodesOf(unit[0].path, await this.query.unitCodes([unit[0].path]));
    const onPath = rules.filter((r) => r.regionCode === null || codes.includes(r.regionCode));
    const inForce = Object.fromEntries(TITLES.map((t) => [t, ruleInForce(onPath, t, codes, asOf)?.id ?? null]));
    return { region: regionCode, asOf, items: sortRules(onPath), inForce };
  }

  /** A new version for a region in the caller's scope; the same version again answers the stored one. */
  async create(access: AccessContext, input: CreateTitleRuleDto): Promise<{ rule: TitleRule; created: boolean }> {
    const problems = conditionProblems(input.conditions);
    if (problems.length) throw new ValidationFailed(problems);
    const units: Array<{ path: string; district_id: string | null }> = await this.db.query(
      'SELECT path, coalesce(district_id, id) AS district_id FROM org_unit WHERE code = $1', [input.regionCode]);
    if (!units[0] || !access.canAt('titles.decide', units[0].path)) {
      throw ValidationFailed.field('regionCode', 'REGION_NOT_IN_SCOPE', 'regionCode must be an org unit within your scope');
    }
    const c = input.conditions as unknown as TitleConditions;
    const conditions: TitleConditions = {
      fromTitle: previousTitle(input.title), yearsAtPrevious: c.yearsAtPrevious, minEducation: c.minEducation,
      creditsComplete: c.creditsComplete ?? false, certificates: c.certificates ?? [], extra: c.extra ?? [],
    };
    return this.db.transaction(async (manager) => {
      const existing = await manager.findOneBy(TitleRule, { regionCode: input.regionCode, title: input.title, effectiveFrom: input.effectiveFrom });
      if (existing) {
        if (canonical(existing.conditions) === canonical(conditions)) return { rule: existing, created: false };
        throw new Conflict('TITLE_RULE_EXISTS', 'A rule for this region, title and date exists; choose another effective date');
      }
      const rule = await manager.save(manager.create(TitleRule, {
        regionCode: input.regionCode, title: input.title, effectiveFrom: input.effectiveFrom, conditions, createdBy: access.userId,
      }));
      await this.audit.record(access.userId, 'create', 'title_rule', rule.id, units[0]!.district_id, null, { ...rule }, manager);
      return { rule, created: true };
    });
  }
}

function sortRules(rules: RuleCandidate[]) {
  return [...rules].sort((a, b) => TITLES.indexOf(a.title) - TITLES.indexOf(b.title)
    || (a.regionCode ?? '').localeCompare(b.regionCode ?? '') || b.effectiveFrom.localeCompare(a.effectiveFrom));
}

/** JSON with keys sorted: jsonb does not keep the order they were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
