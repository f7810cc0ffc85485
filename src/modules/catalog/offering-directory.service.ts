import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { NotFound } from '../../common/errors.js';
import { Course, Material, Meeting, Offering, OfferingTrainer, type OfferingStatus } from './catalog.entities.js';

/** An offering with its course and the org path of the course's owner (the scope that manages it). */
export interface OfferingContext {
  offering: Offering;
  course: Course;
  ownerPath: string;
}

/**
 * What other modules (enrolment, attendance, assessment) read and change on offerings. Seats are
 * counted under `lock`, the offering row's lock, so every seat decision for one offering is serialised.
 */
@Injectable()
export class OfferingDirectory {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async context(offeringId: string, manager?: EntityManager): Promise<OfferingContext> {
    return this.load(manager ?? this.db.manager, offeringId, false);
  }

  /** Locks the offering row for the rest of the transaction. */
  async lock(manager: EntityManager, offeringId: string): Promise<OfferingContext> {
    return this.load(manager, offeringId, true);
  }

  async meetings(offeringId: string, manager?: EntityManager): Promise<Meeting[]> {
    return (manager ?? this.db.manager).find(Meeting, { where: { offeringId }, order: { startsAt: 'ASC' } });
  }

  async meeting(meetingId: string, manager?: EntityManager): Promise<Meeting | null> {
    return (manager ?? this.db.manager).findOneBy(Meeting, { id: meetingId });
  }

  async isTrainer(offeringId: string, userId: string): Promise<boolean> {
    return (await this.db.manager.countBy(OfferingTrainer, { offeringId, userId })) > 0;
  }

  async trainerUserIds(offeringId: string): Promise<string[]> {
    return (await this.db.manager.findBy(OfferingTrainer, { offeringId })).map((t) => t.userId);
  }

  /** Offerings a user trains, newest first. */
  async offeringIdsTrainedBy(userId: string): Promise<string[]> {
    return (await this.db.manager.find(OfferingTrainer, { where: { userId } })).map((t) => t.offeringId);
  }

  /** Capacity and status are changed only by the enrolment module, inside its seat transaction. */
  async setCapacity(manager: EntityManager, offeringId: string, capacity: number): Promise<void> {
    await manager.update(Offering, { id: offeringId }, { capacity, version: () => 'version + 1' });
  }

  async setStatus(manager: EntityManager, offeringId: string, status: OfferingStatus, cancelledReason: string | null = null): Promise<void> {
    await manager.update(Offering, { id: offeringId }, { status, cancelledReason, version: () => 'version + 1' });
  }

  /** Kept equal to the completion rule in force (the roster shows it); changed only by the completion module. */
  async setMinAttendanceShare(manager: EntityManager, offeringId: string, share: number): Promise<void> {
    await manager.update(Offering, { id: offeringId }, { minAttendanceShare: share, version: () => 'version + 1' });
  }

  private async load(manager: EntityManager, offeringId: string, lock: boolean): Promise<OfferingContext> {
    if (!lock) return this.read(manager, offeringId);
    const offering = await manager.findOne(Offering, { where: { id: offeringId }, lock: { mode: 'pessimistic_write' } });
    if (!offering) throw new NotFound('offering', offeringId);
    const course = await manager.findOneByOrFail(Course, { id: offering.courseId });
    const [owner] = await manager.query(`SELECT path FROM org_unit WHERE id = $1`, [course.ownerOrgUnitId]);
    return { offering, course, ownerPath: owner.path };
  }

  /** Without a lock, one statement: the offering, its course and the owner's path (read on most requests about an offering). */
  private async read(manager: EntityManager, offeringId: string): Promise<OfferingContext> {
    const { entities: [found], raw: [row] } = await manager.createQueryBuilder(Offering, 'o')
      .innerJoinAndMapOne('o.course', Course, 'c', 'c.id = o.courseId')
      .addSelect('(SELECT ow.path FROM org_unit ow WHERE ow.id = c.owner_org_unit_id)', 'owner_path')
      .where('o.id = :offeringId', { offeringId })
      .getRawAndEntities<{ owner_path: string }>();
    if (!found) throw new NotFound('offering', offeringId);
    const { course, ...fields } = found as Offering & { course: Course };
    return { offering: Object.assign(manager.create(Offering), fields), course, ownerPath: row.owner_path };
  }

  // --- Read and reminder helpers for attendance, progress and reminders (AttendanceModule) ---

  async material(materialId: string): Promise<Material | null> {
    return this.db.manager.findOneBy(Material, { id: materialId });
  }

  async materials(offeringId: string): Promise<Material[]> {
    return this.db.manager.find(Material, { where: { offeringId }, order: { sortOrder: 'ASC', createdAt: 'ASC' } });
  }

  /** Meetings of running offerings that start in [from, to) and have not been reminded of yet. */
  async meetingsToRemind(from: Date, to: Date): Promise<Meeting[]> {
    return this.db.manager.createQueryBuilder(Meeting, 'm')
      .innerJoin(Offering, 'o', 'o.id = m.offering_id')
      .where('m.starts_at >= :from AND m.starts_at < :to AND m.reminded_at IS NULL', { from, to })
      .andWhere(`o.status IN ('published', 'closed')`)
      .orderBy('m.startsAt').getMany();
  }

  async markReminded(manager: EntityManager, meetingId: string): Promise<void> {
    await manager.update(Meeting, { id: meetingId, remindedAt: IsNull() }, { remindedAt: new Date() });
  }
}
