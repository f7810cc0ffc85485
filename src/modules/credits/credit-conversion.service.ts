import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { OrgScopeService } from '../org/org-scope.service.js';
import { CreditConversionRule } from './credit-conversion-rule.entity.js';

/** Face-to-face training counts as centralised; online and self-paced training as other. */
export type TrainingDelivery = 'centralised' | 'other';

export interface ConversionRuleInput {
  regionId: string;
  hoursPerCreditCentralised: number;
  hoursPerCreditOther: number;
  effectiveFrom: string;
}

/** The region's 学时 → 学分 rule: the deepest region above the org unit with a rule in force on the date wins. */
@Injectable()
export class CreditConversionService {
  constructor(
    @InjectRepository(CreditConversionRule) private readonly rules: Repository<CreditConversionRule>,
    private readonly org: OrgScopeService,
    private readonly audit: AuditService,
  ) {}

  /** `manager`: read on the caller's transaction (a second pool connection could wait on the caller's locks). */
  async ruleFor(orgPath: string, onDate: string, manager?: EntityManager): Promise<CreditConversionRule | null> {
    const rules = manager ? manager.getRepository(CreditConversionRule) : this.rules;
    const rows: Array<{ id: string }> = await rules.query(
      `SELECT r.id FROM credit_conversion_rule r JOIN org_unit o ON o.id = r.region_id
        WHERE $1 LIKE o.path || '%' AND r.effective_from <= $2::date
        ORDER BY o.depth DESC, r.effective_from DESC LIMIT 1`, [orgPath, onDate]);
    return rows[0] ? rules.findOneBy({ id: rows[0].id }) : null;
  }

  /** Credits for `hours` under the rule, rounded to two decimals; null when no rule applies. */
  async creditsFor(orgPath: string, hours: number, delivery: TrainingDelivery, onDate: string, manager?: EntityManager): Promise<number | null> {
    const rule = await this.ruleFor(orgPath, onDate, manager);
    if (!rule) return null;
    const per = delivery === 'centralised' ? rule.hoursPerCreditCentralised : rule.hoursPerCreditOther;
    return Math.round((hours / per) * 100) / 100;
  }

  async list(orgPath: string): Promise<CreditConversionRule[]> {
    return this.rules.query(
      `SELECT r.id, r.region_id AS "regionId", o.name AS "regionName", r.hours_per_credit_centralised::float AS "hoursPerCreditCentralised",
              r.hours_per_credit_other::float AS "hoursPerCreditOther", to_char(r.effective_from, 'YYYY-MM-DD') AS "effectiveFrom"
         FROM credit_conversion_rule r JOIN org_unit o ON o.id = r.region_id
        WHERE $1 LIKE o.path || '%' ORDER BY o.depth, r.effective_from`, [orgPath]);
  }

  /** Records a rule from a date on; the same rule again (a retry) returns the existing one. */
  async record(access: AccessContext, input: ConversionRuleInput): Promise<CreditConversionRule> {
    const region = await this.org.unit(input.regionId);
    if (!region || (region.kind !== 'district' && region.kind !== 'city') || !access.canAt('settings.write', region.path)) {
      throw ValidationFailed.field('regionId', 'REGION_NOT_FOUND', 'No such city or district in your scope');
    }
    const existing = await this.rules.findOneBy({ regionId: region.id, effectiveFrom: input.effectiveFrom });
    if (existing) {
      if (existing.hoursPerCreditCentralised === input.hoursPerCreditCentralised && existing.hoursPerCreditOther === input.hoursPerCreditOther) return existing;
      throw ValidationFailed.field('effectiveFrom', 'RULE_EXISTS', 'A different rule already starts on this date in this region');
    }
    const rule = await this.rules.save(this.rules.create({ ...input, regionId: region.id, recordedBy: access.userId }));
    await this.audit.record(access.userId, 'create', 'credit_conversion_rule', rule.id, region.districtId ?? null, null, { ...rule });
    return rule;
  }
}
