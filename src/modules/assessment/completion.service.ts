import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Conflict, NotFound, ValidationFailed } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { JobHandlerRegistry } from '../../queue/job-queue.js';
import { AuditService } from '../audit/audit.service.js';
import { OfferingDirectory } from '../catalog/offering-directory.service.js';
import { CertificateService } from '../certificates/certificate.service.js';
import { LedgerService } from '../credits/ledger.service.js';
import { AttendanceListeners } from '../enrollment/attendance-listeners.js';
import { EnrollmentCompletionService } from '../enrollment/enrollment-completion.service.js';
import type { EnrollmentEvent } from '../enrollment/enrollment.entities.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { Completion } from './assessment.entities.js';
import { awardOf, judge } from './completion-rules.js';
import { CompletionQuery } from './completion.query.js';

/** The sweep looks again at offerings with activity this recent, and at offerings that ended this recently (partial credit). */
const SWEEP_RECENT_MINUTES = 30;
const SWEEP_ENDED_DAYS = 30;
const SWEEP_LIMIT = 5000;

/**
 * Completion: evaluates an enrolment against its offering's completion rule in force and, when
 * every condition is met, completes it (one ledger entry, one certificate). Idempotent.
 */
@Injectable()
export class CompletionService implements OnModuleInit {
  private readonly logger = new Logger('CompletionService');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: CompletionQuery,
    private readonly enrollments: EnrollmentCompletionService,
    private readonly ledger: LedgerService,
    private readonly certificates: CertificateService,
    private readonly offerings: OfferingDirectory,
    private readonly people: PeopleDirectory,
    private readonly audit: AuditService,
    private readonly listeners: AttendanceListeners,
    private readonly registry: JobHandlerRegistry,
  ) {}

  onModuleInit(): void {
    this.listeners.add((ids) => this.evaluate(ids));
    this.registry.register('completion.sweep', async () => {
      await this.sweep();
    });
  }

  /**
   * Evaluates each enrolment now, each in its own transaction (locking the enrolment), and completes
   * those whose conditions are met. Safe to call twice or concurrently; unknown or not-enrolled ids are skipped.
   * A failure is logged, never thrown at the caller (whose own change is already committed): the sweep catches up.
   */
  async evaluate(enrollmentIds: string[]): Promise<void> {
    for (const id of [...new Set(enrollmentIds)]) {
      try {
        await this.evaluateOne(id);
      } catch (error) {
        this.logger.error(`completion of enrolment ${id} failed: ${(error as Error).stack ?? (error as Error).message}`);
      }
    }
  }

  /** Answers whether this call completed the enrolment. */
  async evaluateOne(enrollmentId: string, now = new Date()): Promise<boolean> {
    const done = await inTransaction(this.db, (manager) => this.complete(manager, enrollmentId, now));
    if (!done) return false;
    await this.enrollments.dispatch([done.event]);
    await this.certificates.queueRender([done.certificateId]);
    return true;
  }

  /** 'completion.sweep': what a crash or a missed call left behind, partial credit once offerings end, certificates still pending. */
  async sweep(): Promise<{ evaluated: number; certificatesQueued: number }> {
    const ids = await this.query.sweepCandidates(SWEEP_RECENT_MINUTES, SWEEP_ENDED_DAYS, SWEEP_LIMIT);
    await this.evaluate(ids);
    const pending = await this.certificates.pendingIds();
    await this.certificates.queueRender(pending);
    return { evaluated: ids.length, certificatesQueued: pending.length };
  }

  /**
   * Reopens the open completion (an admin correcting a grade or attendance): the credit is reversed, the
   * certificate revoked and the learner is enrolled again, all at once. A later evaluation may complete them again.
   */
  async reopen(access: AccessContext, enrollmentId: string, reason: string): Promise<Completion> {
    const why = reason.trim();
    if (!why || why.length > 1000) throw ValidationFailed.field('reason', 'isLength', 'reason must be 1 to 1000 characters');
    const [row]: Array<{ personId: string }> = await this.db.query(`SELECT person_id AS "personId" FROM enrollment WHERE id = $1`, [enrollmentId]);
    const place = row ? await this.people.personOrgPath(row.personId) : null;
    if (!place || !access.canAt('completion.manage', place.path)) throw new NotFound('enrollment', enrollmentId);
    return inTransaction(this.db, async (manager) => {
      const enrollment = (await this.enrollments.lock(manager, enrollmentId))!;
      const open = await this.query.openCompletion(manager, enrollmentId);
      if (!open) throw new Conflict('COMPLETION_NOT_OPEN', 'This enrolment has no completion to reopen');
      const reversal = open.creditEntryId ? await this.ledger.reverseWithin(manager, open.creditEntryId, access.userId, why) : null;
      await manager.update(Completion, { id: open.id }, {
        reopenedAt: new Date(), reopenedBy: access.userId, reopenReason: why, reversalEntryId: reversal?.id ?? null,
      });
      const certificate = await this.certificates.revokeCurrent(manager, open.id, access.userId, why);
      await this.enrollments.reopen(manager, enrollment, access.userId, why);
      await this.audit.record(access.userId, 'reopen', 'completion', open.id, open.districtId,
        { sequence: open.sequence, creditEntryId: open.creditEntryId, certificateId: certificate?.id ?? null },
        { reason: why, reversalEntryId: reversal?.id ?? null, certificateStatus: certificate?.status ?? null }, manager);
      return (await manager.findOneBy(Completion, { id: open.id }))!;
    });
  }

  private async complete(manager: EntityManager, enrollmentId: string, now: Date): Promise<{ event: EnrollmentEvent | null; certificateId: string } | null> {
    const enrollment = await this.enrollments.lock(manager, enrollmentId);
    if (!enrollment || enrollment.status !== 'enrolled') return null;
    if (await this.query.openCompletion(manager, enrollmentId)) return null;
    await this.query.ensureDefaultRule(manager, enrollment.offeringId);
    const rule = await this.query.ruleInForce(manager, enrollment.offeringId, now);
    if (!rule) return null;
    const items = (await this.query.items(manager, enrollment.offeringId)).filter((i) => rule.requiredItemIds.includes(i.id));
    const facts = (await this.query.facts(manager, enrollment.offeringId, [enrollmentId], items, now)).get(enrollmentId)!;
    const judgement = judge(rule, facts);
    if (judgement.outcome === 'incomplete') return null;
    const { course } = await this.offerings.context(enrollment.offeringId, manager);
    const award = awardOf(judgement.outcome, course, facts.attendedHours, facts.scheduledHours);
    const sequence = await this.query.nextSequence(manager, enrollmentId);
    const completedOn = shanghaiDate(now);
    const completionId = randomUUID();
    await manager.save(manager.create(Completion, {
      id: completionId, enrollmentId, offeringId: enrollment.offeringId, personId: enrollment.personId, districtId: enrollment.districtId,
      sequence, ruleId: rule.id, completedAt: now, attendedHours: facts.attendedHours, scheduledHours: facts.scheduledHours,
      hours: award.hours, credits: award.credits, partial: award.partial, conditions: judgement.conditions,
    }));
    const { entry } = await this.ledger.recordOnce({
      personId: enrollment.personId, hours: award.hours, credits: award.credits, category: course.category, level: course.level,
      source: 'course_completion', sourceId: completionId, sourceKey: `completion:${enrollmentId}:${sequence}`, title: course.title,
      occurredOn: completedOn, recordedBy: null,
    }, manager);
    await manager.update(Completion, { id: completionId }, { creditEntryId: entry.id });
    const event = await this.enrollments.markCompleted(manager, enrollment, null);
    const stated = await this.query.certificateFacts(manager, enrollmentId);
    const certificate = await this.certificates.createPending(manager, {
      completionId, personId: enrollment.personId, districtId: enrollment.districtId,
      snapshot: { ...stated, hours: award.hours, credits: award.credits, completedOn, partial: award.partial },
    });
    return { event, certificateId: certificate.id };
  }
}
