import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import type { Locale } from '../../common/i18n/i18n.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { OfferingDirectory } from '../catalog/offering-directory.service.js';
import { OfferingHooks, type MinAttendanceShareChange } from '../catalog/offering-hooks.js';
import { TeachingAccess } from '../enrollment/teaching-access.service.js';
import { CompletionRule } from './assessment.entities.js';
import { needsSurvey, ruleProblems, type RuleCandidate } from './completion-rules.js';
import { CompletionQuery, type RuleRow } from './completion.query.js';
import { CompletionService } from './completion.service.js';
import type { CreateCompletionRuleDto } from './completion.dto.js';
import { ruleView } from './completion-views.js';

const sameTerms = (a: RuleCandidate | RuleRow, b: RuleCandidate | RuleRow) =>
  a.minAttendanceShare === b.minAttendanceShare && a.requireEvaluation === b.requireEvaluation && a.combine === b.combine
  && a.partialCreditFloor === b.partialCreditFloor && [...a.requiredItemIds].sort().join() === [...b.requiredItemIds].sort().join();

/** Effective-dated completion rules of an offering: history, and new rules from its trainers or catalog managers. */
@Injectable()
export class CompletionRulesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: CompletionQuery,
    private readonly teaching: TeachingAccess,
    private readonly offerings: OfferingDirectory,
    private readonly completion: CompletionService,
    private readonly audit: AuditService,
    private readonly hooks: OfferingHooks,
  ) {}

  onModuleInit(): void {
    this.hooks.onMinAttendanceShareChanged((manager, change) => this.followOfferingForm(manager, change));
  }

  /**
   * The attendance minimum edited on the offering form becomes a new rule from now, with the other terms of
   * the rule in force (a partial-credit floor that would no longer sit below the minimum is dropped).
   */
  private async followOfferingForm(manager: EntityManager, change: MinAttendanceShareChange): Promise<void> {
    await this.query.ensureDefaultRule(manager, change.offeringId);
    const now = new Date();
    const inForce = await this.query.ruleInForce(manager, change.offeringId, now);
    if (inForce && inForce.minAttendanceShare === change.share) return;
    const floor = inForce?.partialCreditFloor ?? null;
    const rule = await manager.save(manager.create(CompletionRule, {
      offeringId: change.offeringId, districtId: change.districtId, effectiveFrom: now, minAttendanceShare: change.share,
      requiredItemIds: inForce?.requiredItemIds ?? [], requireEvaluation: inForce?.requireEvaluation ?? false, combine: inForce?.combine ?? 'all',
      partialCreditFloor: floor !== null && floor < change.share ? floor : null, createdBy: change.actorUserId,
    }));
    await this.audit.record(change.actorUserId, 'create', 'completion_rule', rule.id, change.districtId, null, { minAttendanceShare: change.share, from: 'offering' }, manager);
  }

  async history(access: AccessContext, offeringId: string, locale: Locale) {
    await this.teaching.offering(access, offeringId);
    await this.query.ensureDefaultRule(null, offeringId);
    const [rules, inForce, items] = await Promise.all([
      this.query.rules(null, offeringId), this.query.ruleInForce(null, offeringId), this.query.items(null, offeringId),
    ]);
    const titles = new Map(items.map((i) => [i.id, i.title]));
    return {
      inForceId: inForce?.id ?? null,
      rules: rules.map((r) => ruleView(r, titles, inForce?.id ?? null, locale)),
      items: items.map((i) => ({ id: i.id, title: i.title, kind: i.kind, archived: i.archived })),
    };
  }

  /**
   * Saves a new rule (effective now by default). A rule with the same terms as the latest one changes
   * nothing and is not saved again (a double click). The offering's attendance minimum follows the rule
   * in force; learners not yet complete are evaluated at once under the new rule when it is in force.
   */
  async create(access: AccessContext, offeringId: string, input: CreateCompletionRuleDto, locale: Locale) {
    await this.teaching.offering(access, offeringId);
    const now = new Date();
    const candidate: RuleCandidate = {
      effectiveFrom: input.effectiveFrom ? new Date(input.effectiveFrom) : now,
      minAttendanceShare: input.minAttendanceShare, requiredItemIds: (input.requiredItemIds ?? []).map((id) => id.toLowerCase()),
      requireEvaluation: input.requireEvaluation ?? false, combine: input.combine ?? 'all', partialCreditFloor: input.partialCreditFloor ?? null,
    };
    const saved = await inTransaction(this.db, async (manager) => {
      const context = await this.offerings.lock(manager, offeringId);
      await this.query.ensureDefaultRule(manager, offeringId);
      // One connection: its queries one after another.
      const rules = await this.query.rules(manager, offeringId);
      const inForce = await this.query.ruleInForce(manager, offeringId, now);
      const items = await this.query.items(manager, offeringId);
      // A repeat (double click) changes nothing: the same rule at the same start, or, starting now, the same terms as the rule before it.
      const previous = rules.find((r) => r.effectiveFrom.getTime() <= candidate.effectiveFrom.getTime());
      const repeat = rules.find((r) => r.effectiveFrom.getTime() === candidate.effectiveFrom.getTime() && sameTerms(r, candidate))
        ?? (!input.effectiveFrom && previous && sameTerms(previous, candidate) ? previous : undefined);
      if (repeat) return { id: repeat.id, created: false };
      const ruleContext = { items, inForceFrom: inForce?.effectiveFrom ?? null, takenDates: rules.map((r) => r.effectiveFrom) };
      const problems = ruleProblems(candidate, ruleContext);
      if (problems.length) throw new ValidationFailed(problems);
      if (needsSurvey(candidate, ruleContext)) {
        throw new DomainError('EVALUATION_SURVEY_MISSING', 422, 'The offering has no course evaluation survey to require', { field: 'requireEvaluation' });
      }
      const rule = await manager.save(manager.create(CompletionRule, {
        ...candidate, offeringId, districtId: context.offering.districtId, createdBy: access.userId,
      }));
      const current = await this.query.ruleInForce(manager, offeringId, now);
      if (current && current.minAttendanceShare !== context.offering.minAttendanceShare) {
        await this.offerings.setMinAttendanceShare(manager, offeringId, current.minAttendanceShare);
      }
      await this.audit.record(access.userId, 'create', 'completion_rule', rule.id, context.offering.districtId, null, { ...candidate }, manager);
      return { id: rule.id, created: true };
    });
    if (saved.created && candidate.effectiveFrom.getTime() <= now.getTime()) {
      await this.completion.evaluate(await this.query.enrolledIds(offeringId));
    }
    const history = await this.history(access, offeringId, locale);
    return { ...history, rule: history.rules.find((r) => r.id === saved.id)!, created: saved.created };
  }
}
