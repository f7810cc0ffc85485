import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Offering } from '../catalog/catalog.entities.js';
import { Enrollment, EnrollmentEvent, type EnrollmentStatus } from './enrollment.entities.js';

export interface Transition {
  to: EnrollmentStatus;
  actorUserId: string | null;
  reason?: string | null;
  /** Whether the learner is told (anything they did not do themselves). */
  notify: boolean;
  changes?: Partial<Pick<Enrollment, 'approvalStep' | 'offerExpiresAt' | 'declineReason' | 'requestedAt' | 'priorityTier'>>;
}

interface SeatCounts {
  held: number;
  byKindergarten: Map<string, number>;
}

/**
 * Seat arithmetic for one offering. Every method runs inside the caller's transaction, after the
 * offering row is locked (OfferingDirectory.lock), so counts cannot change underneath it.
 */
@Injectable()
export class SeatsService {
  async counts(manager: EntityManager, offeringId: string): Promise<SeatCounts> {
    const rows: Array<{ kindergarten_id: string | null; held: string }> = await manager.query(
      `SELECT kindergarten_id, count(*) AS held FROM enrollment
        WHERE offering_id = $1 AND status IN ('enrolled','offered','completed') GROUP BY kindergarten_id`, [offeringId]);
    const byKindergarten = new Map<string, number>();
    let held = 0;
    for (const row of rows) {
      held += Number(row.held);
      if (row.kindergarten_id) byKindergarten.set(row.kindergarten_id, Number(row.held));
    }
    return { held, byKindergarten };
  }

  /** Whether a person from `kindergartenId` could take a seat now: capacity and the kindergarten's quota. */
  fits(offering: Offering, counts: SeatCounts, kindergartenId: string | null): 'seat' | 'full' | 'quota' {
    if (counts.held >= offering.capacity) return 'full';
    if (offering.kindergartenQuota !== null && kindergartenId && (counts.byKindergarten.get(kindergartenId) ?? 0) >= offering.kindergartenQuota) return 'quota';
    return 'seat';
  }

  /** The status a newly placed (or just approved) request gets, or null when there is no seat and no waitlist. */
  placement(offering: Offering, fit: 'seat' | 'full' | 'quota'): EnrollmentStatus | null {
    if (fit === 'seat') return 'enrolled';
    return offering.waitlistMode === 'none' ? null : 'waitlisted';
  }

  async transition(manager: EntityManager, enrollment: Enrollment, change: Transition): Promise<EnrollmentEvent> {
    const from = enrollment.status;
    Object.assign(enrollment, change.changes ?? {}, { status: change.to, statusChangedAt: new Date() });
    if (change.to !== 'offered') enrollment.offerExpiresAt = null;
    if (change.to !== 'pending_approval') enrollment.approvalStep = change.changes?.approvalStep ?? null;
    await manager.save(enrollment);
    return this.log(manager, enrollment, from, change);
  }

  async log(manager: EntityManager, enrollment: Enrollment, from: EnrollmentStatus | null, change: Transition): Promise<EnrollmentEvent> {
    return manager.save(manager.create(EnrollmentEvent, {
      enrollmentId: enrollment.id, districtId: enrollment.districtId, fromStatus: from, toStatus: change.to,
      actorUserId: change.actorUserId, reason: change.reason ?? null, notify: change.notify, notifiedAt: null, at: new Date(),
    }));
  }

  /**
   * Gives free seats to the waitlist: first come, first served within priority tiers, skipping
   * people whose kindergarten has used its quota. `auto` enrols them; `offer` offers the seat until it expires.
   */
  async fillSeats(manager: EntityManager, offering: Offering, actorUserId: string | null, now = new Date()): Promise<EnrollmentEvent[]> {
    if (offering.status !== 'published' || offering.waitlistMode === 'none') return [];
    const counts = await this.counts(manager, offering.id);
    if (counts.held >= offering.capacity) return [];
    const waiting = await manager.find(Enrollment, {
      where: { offeringId: offering.id, status: 'waitlisted' },
      order: { priorityTier: 'ASC', requestedAt: 'ASC', id: 'ASC' },
    });
    const events: EnrollmentEvent[] = [];
    for (const candidate of waiting) {
      if (counts.held >= offering.capacity) break;
      if (this.fits(offering, counts, candidate.kindergartenId) !== 'seat') continue;
      const offer = offering.waitlistMode === 'offer';
      events.push(await this.transition(manager, candidate, {
        to: offer ? 'offered' : 'enrolled', actorUserId, reason: 'PROMOTED_FROM_WAITLIST', notify: true,
        changes: offer ? { offerExpiresAt: new Date(now.getTime() + offering.offerExpiryHours! * 3_600_000) } : {},
      }));
      counts.held += 1;
      if (candidate.kindergartenId) counts.byKindergarten.set(candidate.kindergartenId, (counts.byKindergarten.get(candidate.kindergartenId) ?? 0) + 1);
    }
    return events;
  }

  /** Lapsed seat offers end (the person is told) and their seats go to the next in line. */
  async expireOffers(manager: EntityManager, offering: Offering, now = new Date()): Promise<EnrollmentEvent[]> {
    const lapsed: Enrollment[] = await manager.createQueryBuilder(Enrollment, 'e')
      .where(`e.offering_id = :id AND e.status = 'offered' AND e.offer_expires_at <= :now`, { id: offering.id, now })
      .getMany();
    const events: EnrollmentEvent[] = [];
    for (const enrollment of lapsed) {
      events.push(await this.transition(manager, enrollment, { to: 'withdrawn', actorUserId: null, reason: 'OFFER_EXPIRED', notify: true }));
    }
    if (lapsed.length) events.push(...(await this.fillSeats(manager, offering, null, now)));
    return events;
  }
}
