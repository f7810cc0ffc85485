import { OfferingHooks } from './offering-hooks.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { CourseTrainer, Offering, OfferingTrainer, type PriorityTier } from './catalog.entities.js';
import { CatalogChecks } from './catalog-checks.service.js';
import {
  courseArchived, courseNotPublished, offeringCancelled, offeringCodeTaken, offeringIncomplete, offeringNotFound, offeringNotPublishable,
  staleVersion, violatedUniqueConstraint,
} from './catalog-errors.js';
import { districtPathOf, sameSet } from './catalog-rules.js';
import { normaliseAudience } from './audience-rules.js';
import { CourseService } from './course.service.js';
import type { CreateOfferingDto, PriorityTierDto, UpdateOfferingDto } from './offering.dto.js';
import { OfferingDirectory, type OfferingContext } from './offering-directory.service.js';
import { offeringProblems } from './offering-rules.js';

const CODE_CONSTRAINT = 'offering_course_id_code_key';
/** Tiers in their stored form; normalised again when read, since jsonb does not keep key order. */
const tiersOf = (tiers: Array<PriorityTierDto | PriorityTier>): PriorityTier[] => tiers.map((t) => ({ name: t.name, audience: normaliseAudience(t.audience) }));
const auditView = (offering: Offering, trainerUserIds: string[]) =>
  ({ ...offering, priorityTiers: tiersOf(offering.priorityTiers), trainerUserIds: [...trainerUserIds].sort() });

/**
 * Offerings (班次) of a course: their window, approval, waitlist and trainers. Capacity and
 * cancellation are the enrolment module's, changed inside its seat transaction.
 */
@Injectable()
export class OfferingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly courses: CourseService,
    private readonly directory: OfferingDirectory,
    private readonly checks: CatalogChecks,
    private readonly audit: AuditService,
    private readonly hooks: OfferingHooks,
  ) {}

  /** Creates a draft offering; the same request again (same code, same content) answers the offering it made. */
  async create(access: AccessContext, courseId: string, input: CreateOfferingDto): Promise<string> {
    const { course, owner } = await this.courses.managed(this.db.manager, access, courseId, false);
    if (course.status === 'archived') throw courseArchived();
    const courseTrainers = (await this.db.manager.findBy(CourseTrainer, { courseId })).map((t) => t.userId);
    const trainerUserIds = input.trainerUserIds ? [...new Set(input.trainerUserIds.map((id) => id.toLowerCase()))] : courseTrainers;
    const wanted = {
      courseId, districtId: course.districtId, code: input.code, label: input.label ?? '', capacity: input.capacity,
      kindergartenQuota: input.kindergartenQuota ?? null, enrolOpensAt: new Date(input.enrolOpensAt), enrolClosesAt: new Date(input.enrolClosesAt),
      withdrawDeadline: new Date(input.withdrawDeadline), approvalMode: input.approvalMode ?? 'none', priorityTiers: tiersOf(input.priorityTiers ?? []),
      waitlistMode: input.waitlistMode ?? 'auto', offerExpiryHours: input.offerExpiryHours ?? null, minAttendanceShare: input.minAttendanceShare ?? 0,
    };
    if (wanted.waitlistMode !== 'offer' && input.offerExpiryHours === undefined) wanted.offerExpiryHours = null;
    const problems: FieldProblem[] = [
      ...offeringProblems(wanted),
      ...(input.trainerUserIds ? await this.checks.trainerProblems(districtPathOf(owner.path)!, trainerUserIds) : []),
      ...await this.checks.audienceProblems(course.districtId, wanted.priorityTiers.map((t, i) => [`priorityTiers.${i}.audience`, t.audience])),
    ];
    if (problems.length) throw new ValidationFailed(problems);

    const repeat = async (): Promise<string | null> => {
      const existing = await this.db.manager.findOneBy(Offering, { courseId, code: wanted.code });
      if (!existing) return null;
      const trainers = (await this.db.manager.findBy(OfferingTrainer, { offeringId: existing.id })).map((t) => t.userId);
      if (!this.sameOffering(existing, wanted) || !sameSet(trainers, trainerUserIds)) throw offeringCodeTaken(wanted.code);
      return existing.id;
    };
    const earlier = await repeat();
    if (earlier) return earlier;
    try {
      return await this.db.transaction(async (manager) => {
        const offering = await manager.save(manager.create(Offering, { ...wanted, status: 'draft', cancelledReason: null, createdBy: access.userId }));
        await this.setTrainers(manager, offering.id, trainerUserIds);
        await this.audit.record(access.userId, 'create', 'offering', offering.id, offering.districtId, null, auditView(offering, trainerUserIds), manager);
        return offering.id;
      });
    } catch (error) {
      if (violatedUniqueConstraint(error) === CODE_CONSTRAINT) {
        const winner = await repeat();
        if (winner) return winner;
      }
      throw error;
    }
  }

  async update(access: AccessContext, id: string, input: UpdateOfferingDto): Promise<void> {
    try {
      await this.db.transaction(async (manager) => {
        const { offering, ownerPath } = await this.lockManaged(manager, access, id);
        if (offering.status === 'cancelled') throw offeringCancelled();
        if (input.version !== undefined && input.version !== offering.version) throw staleVersion(offering.version);
        const trainersBefore = (await manager.findBy(OfferingTrainer, { offeringId: id })).map((t) => t.userId);
        const before = auditView({ ...offering }, trainersBefore);
        for (const field of ['code', 'label', 'kindergartenQuota', 'approvalMode', 'waitlistMode', 'offerExpiryHours', 'minAttendanceShare'] as const) {
          if (input[field] !== undefined) (offering as unknown as Record<string, unknown>)[field] = input[field];
        }
        for (const field of ['enrolOpensAt', 'enrolClosesAt', 'withdrawDeadline'] as const) {
          if (input[field] !== undefined) offering[field] = new Date(input[field]);
        }
        if (input.priorityTiers !== undefined) offering.priorityTiers = tiersOf(input.priorityTiers);
        if (offering.waitlistMode !== 'offer' && input.offerExpiryHours === undefined) offering.offerExpiryHours = null;
        const trainerUserIds = input.trainerUserIds ? [...new Set(input.trainerUserIds.map((t) => t.toLowerCase()))] : trainersBefore;
        const problems: FieldProblem[] = [
          ...offeringProblems(offering),
          ...(input.trainerUserIds ? await this.checks.trainerProblems(districtPathOf(ownerPath)!, trainerUserIds, manager) : []),
          ...(input.priorityTiers
            ? await this.checks.audienceProblems(offering.districtId, offering.priorityTiers.map((t, i) => [`priorityTiers.${i}.audience`, t.audience]), manager)
            : []),
        ];
        if (problems.length) throw new ValidationFailed(problems);
        const after = auditView(offering, trainerUserIds);
        if (JSON.stringify(after) === JSON.stringify(before)) return;
        await manager.save(offering);
        if (input.trainerUserIds) await this.setTrainers(manager, id, trainerUserIds);
        await this.audit.record(access.userId, 'update', 'offering', id, offering.districtId, before, after, manager);
        if (offering.minAttendanceShare !== before.minAttendanceShare) {
          await this.hooks.minAttendanceShareChanged(manager, { offeringId: id, districtId: offering.districtId, share: offering.minAttendanceShare, actorUserId: access.userId });
        }
      });
    } catch (error) {
      if (violatedUniqueConstraint(error) === CODE_CONSTRAINT) throw offeringCodeTaken(input.code ?? '');
      throw error;
    }
  }

  /** Opens the offering in the catalog: its course is published and it has a meeting (an online one: a material). */
  async publish(access: AccessContext, id: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const { offering, course } = await this.lockManaged(manager, access, id);
      if (offering.status === 'published') return;
      if (offering.status !== 'draft') throw offering.status === 'cancelled' ? offeringCancelled() : offeringNotPublishable(offering.status);
      if (course.status !== 'published') throw courseNotPublished();
      const online = course.mode === 'online';
      const ready = (await this.directory.meetings(id, manager)).length > 0
        || (online && (await manager.query(`SELECT 1 FROM material WHERE offering_id = $1 LIMIT 1`, [id])).length > 0);
      if (!ready) throw offeringIncomplete(online);
      await this.directory.setStatus(manager, id, 'published');
      await this.audit.record(access.userId, 'publish', 'offering', id, offering.districtId, { status: offering.status }, { status: 'published' }, manager);
    });
  }

  /** Locks the offering row for the rest of the transaction; outside the caller's catalog.manage scope it does not exist. */
  async lockManaged(manager: EntityManager, access: AccessContext, id: string): Promise<OfferingContext> {
    const context = await this.directory.lock(manager, id);
    if (!access.canAt('catalog.manage', context.ownerPath)) throw offeringNotFound(id);
    return context;
  }

  private sameOffering(existing: Offering, wanted: Omit<Offering, 'id' | 'status' | 'cancelledReason' | 'createdBy' | 'createdAt' | 'updatedAt' | 'version'>): boolean {
    return (Object.keys(wanted) as Array<keyof typeof wanted>).every((key) => {
      const a = existing[key];
      const b = wanted[key];
      if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
      if (key === 'priorityTiers') return JSON.stringify(tiersOf(existing.priorityTiers)) === JSON.stringify(b);
      return JSON.stringify(a) === JSON.stringify(b);
    });
  }

  private async setTrainers(manager: EntityManager, offeringId: string, userIds: string[]): Promise<void> {
    await manager.delete(OfferingTrainer, { offeringId });
    if (userIds.length) await manager.insert(OfferingTrainer, userIds.map((userId) => ({ offeringId, userId })));
  }
}
