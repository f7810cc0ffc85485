import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Conflict, DomainError, NotFound, ValidationFailed } from '../../common/errors.js';
import type { Permission } from '../../common/permissions.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { CreditConversionService } from './credit-conversion.service.js';
import { CreditCyclesService } from './credit-cycles.service.js';
import { CreditEntry } from './credit.entities.js';
import { amountProblem, deliveryOf, ledgerInputProblems, type LedgerInput } from './ledger-rules.js';
import { LedgerQuery, type LedgerFilter, type PersonPlace } from './ledger.query.js';

export interface LedgerRecordAnswer {
  entry: CreditEntry;
  /** False when the source key was recorded before and the earlier entry is answered. */
  created: boolean;
}

/**
 * The append-only credit ledger. Awards are idempotent by source key (two workers awarding the same
 * completion produce one entry); corrections are reversal rows. The database refuses updates and deletes.
 */
@Injectable()
export class LedgerService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: LedgerQuery,
    private readonly cycles: CreditCyclesService,
    private readonly conversion: CreditConversionService,
    private readonly audit: AuditService,
  ) {}

  /** Records an award (in `manager`'s READ COMMITTED transaction when given) and answers it, or the entry already under its source key. */
  async record(input: LedgerInput, manager?: EntityManager): Promise<CreditEntry> {
    return (await this.recordOnce(input, manager)).entry;
  }

  async recordOnce(input: LedgerInput, manager?: EntityManager): Promise<LedgerRecordAnswer> {
    const problems = ledgerInputProblems(input, shanghaiDate());
    if (problems.length) throw new ValidationFailed(problems);
    const runner = manager ?? this.db.manager;
    if (input.sourceKey) {
      const earlier = await this.bySourceKey(input.sourceKey, input.personId, runner);
      if (earlier) return { entry: earlier, created: false };
    }
    const place = await this.query.personPlace(input.personId, runner);
    if (!place) throw ValidationFailed.field('personId', 'PERSON_NOT_FOUND', 'No such person');
    const credits = input.credits ?? await this.convert(place, input, manager);
    const cycle = await this.cycles.cycleFor(place.orgPath, input.occurredOn, runner);
    // A concurrent award with the same key makes this insert wait for it, then do nothing.
    const inserted: Array<{ id: string }> = await runner.query(
      `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, source_id, source_key, title, cycle_id,
                                 occurred_on, recorded_by, approved_by, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (source_key) DO NOTHING RETURNING id`,
      [input.personId, place.districtId, input.hours, credits, input.category, input.level, input.source, input.sourceId ?? null,
        input.sourceKey ?? null, input.title.trim(), cycle?.id ?? null, input.occurredOn, input.recordedBy, input.approvedBy ?? null,
        input.reason?.trim() || null]);
    if (inserted[0]) return { entry: (await runner.getRepository(CreditEntry).findOneBy({ id: inserted[0].id }))!, created: true };
    const earlier = await this.bySourceKey(input.sourceKey!, input.personId, runner);
    return { entry: earlier!, created: false };
  }

  /** District staff record an award by hand (manual adjustment, contest, lecture series, program, mentoring); audited. */
  async recordFor(access: AccessContext, personId: string, input: Omit<LedgerInput, 'personId' | 'recordedBy' | 'approvedBy' | 'sourceKey'> & { idempotencyKey?: string }): Promise<LedgerRecordAnswer> {
    const place = await this.placeInScope(access, personId, 'credits.manage');
    if (input.source === 'manual_adjustment' && !input.reason?.trim()) {
      throw ValidationFailed.field('reason', 'REASON_REQUIRED', 'A manual adjustment needs a reason');
    }
    const { idempotencyKey, ...award } = input;
    return inTransaction(this.db, async (manager) => {
      const answer = await this.recordOnce({
        ...award, personId, recordedBy: access.userId, approvedBy: access.userId,
        sourceKey: idempotencyKey ? `manual:${personId}:${idempotencyKey}` : null,
      }, manager);
      if (answer.created) await this.audit.record(access.userId, 'create', 'credit_entry', answer.entry.id, place.districtId, null, { ...answer.entry }, manager);
      return answer;
    });
  }

  /** Writes the reversal row of an entry (negated amounts, same cycle and date); one reversal per entry. `personId`: the entry must be theirs. */
  async reverse(access: AccessContext, entryId: string, reason: string, personId?: string): Promise<CreditEntry> {
    const entry = await this.db.getRepository(CreditEntry).findOneBy({ id: entryId });
    if (!entry || (personId && entry.personId !== personId)) throw new NotFound('credit_entry', entryId);
    await this.placeInScope(access, entry.personId, 'credits.manage', () => new NotFound('credit_entry', entryId));
    if (entry.reversesEntryId) throw new DomainError('LEDGER_REVERSAL_NOT_REVERSIBLE', 400, 'A reversal cannot itself be reversed; record a new entry instead');
    const why = reason.trim();
    if (!why || why.length > 1000) throw ValidationFailed.field('reason', 'isLength', 'reason must be 1 to 1000 characters');
    return inTransaction(this.db, async (manager) => {
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, source_id, title, cycle_id,
                                   occurred_on, recorded_by, approved_by, reverses_entry_id, reason)
         SELECT person_id, district_id, -hours, -credits, category, level, source, source_id, title, cycle_id,
                occurred_on, $2, $2, id, $3
           FROM credit_entry WHERE id = $1
         ON CONFLICT (reverses_entry_id) DO NOTHING RETURNING id`, [entryId, access.userId, why]);
      if (!inserted[0]) throw new Conflict('ALREADY_REVERSED', 'This entry has already been reversed');
      const reversal = (await manager.getRepository(CreditEntry).findOneBy({ id: inserted[0].id }))!;
      await this.audit.record(access.userId, 'reverse', 'credit_entry', entryId, entry.districtId, null, { ...reversal }, manager);
      return reversal;
    });
  }

  /**
   * The reversal of an entry inside the caller's transaction (a reopened completion), audited; the
   * caller has checked who may. Answers the existing reversal when the entry was reversed before.
   */
  async reverseWithin(manager: EntityManager, entryId: string, actorUserId: string | null, reason: string): Promise<CreditEntry> {
    const why = reason.trim();
    if (!why || why.length > 1000) throw ValidationFailed.field('reason', 'isLength', 'reason must be 1 to 1000 characters');
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, source_id, title, cycle_id,
                                 occurred_on, recorded_by, approved_by, reverses_entry_id, reason)
       SELECT person_id, district_id, -hours, -credits, category, level, source, source_id, title, cycle_id,
              occurred_on, $2, $2, id, $3
         FROM credit_entry WHERE id = $1 AND reverses_entry_id IS NULL
       ON CONFLICT (reverses_entry_id) DO NOTHING RETURNING id`, [entryId, actorUserId, why]);
    const repository = manager.getRepository(CreditEntry);
    if (!inserted[0]) {
      const earlier = await repository.findOneBy({ reversesEntryId: entryId });
      if (!earlier) throw new NotFound('credit_entry', entryId);
      return earlier;
    }
    const reversal = (await repository.findOneBy({ id: inserted[0].id }))!;
    await this.audit.record(actorUserId, 'reverse', 'credit_entry', entryId, reversal.districtId, null, { ...reversal }, manager);
    return reversal;
  }

  /** A person's lines and net totals for the filter: their own, or anyone's where the caller holds credits.read. */
  async statement(access: AccessContext, personId: string, filter: LedgerFilter & { cycle?: string }, page: number, pageSize: number) {
    if (!access.isSelf(personId)) await this.placeInScope(access, personId, 'credits.read');
    else if (!(await this.query.personPlace(personId))) throw new NotFound('person', personId);
    const { cycle, ...rest } = filter;
    const where: LedgerFilter = { ...rest };
    if (cycle) {
      where.cycleIds = await this.cycles.idsOf(cycle);
      if (!where.cycleIds.length) throw ValidationFailed.field('cycle', 'UNKNOWN_CYCLE', 'No such credit cycle');
    }
    const [lines, totals] = await Promise.all([this.query.lines(personId, where, page, pageSize), this.query.totals(personId, where)]);
    return { ...lines, page, pageSize, totals };
  }

  /** The person's place when the caller holds `permission` over it; anyone else learns nothing (404). */
  async placeInScope(access: AccessContext, personId: string, permission: Permission, notFound = () => new NotFound('person', personId)): Promise<PersonPlace> {
    const place = await this.query.personPlace(personId);
    if (!place || !access.canAt(permission, place.orgPath)) throw notFound();
    return place;
  }

  private async convert(place: PersonPlace, input: LedgerInput, manager?: EntityManager): Promise<number> {
    // Inside the caller's transaction the rule is read on its connection: a second one from the pool could
    // deadlock when every connection is held by an award waiting for one more.
    const credits = await this.conversion.creditsFor(place.orgPath, input.hours, deliveryOf(input.source), input.occurredOn, manager);
    if (credits === null) throw ValidationFailed.field('credits', 'CREDITS_RULE_MISSING', 'No hours-to-credits rule applies here; give the credits');
    const problem = amountProblem('credits', credits);
    if (problem) throw new ValidationFailed([problem]);
    return credits;
  }

  private async bySourceKey(sourceKey: string, personId: string, manager: EntityManager): Promise<CreditEntry | null> {
    const entry = await manager.getRepository(CreditEntry).findOneBy({ sourceKey });
    if (entry && entry.personId !== personId) throw new Conflict('LEDGER_SOURCE_KEY_TAKEN', 'This source key is recorded for someone else');
    return entry;
  }
}
