import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { JobHandlerRegistry } from '../../queue/job-queue.js';
import { AuditService } from '../audit/audit.service.js';
import { OfferingDirectory, type OfferingContext } from '../catalog/offering-directory.service.js';
import { Enrollment, type EnrollmentEvent } from './enrollment.entities.js';
import { capacityBelowEnrolled } from './enrollment-errors.js';
import { EnrollmentNotifier } from './enrollment-notifier.service.js';
import { SeatsService } from './seats.service.js';
import { EnrollmentQuery } from './enrollment.query.js';

/** Offering-wide seat changes: capacity, cancellation, and the sweep that expires offers and fills seats. */
@Injectable()
export class OfferingSeatsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly offerings: OfferingDirectory,
    private readonly seats: SeatsService,
    private readonly notifier: EnrollmentNotifier,
    private readonly audit: AuditService,
    private readonly registry: JobHandlerRegistry,
    private readonly query: EnrollmentQuery,
  ) {}

  onModuleInit(): void {
    this.registry.register('enrollment.sweep', async () => {
      await this.sweep();
    });
  }

  /**
   * Sets the capacity. Below the seats taken it is refused unless `bumpToWaitlist`, which moves the
   * latest seat holders (offers first) back to the head of the waitlist. A rise fills seats at once.
   */
  async changeCapacity(access: AccessContext, offeringId: string, capacity: number, bumpToWaitlist = false) {
    const events = await inTransaction(this.db, async (manager) => {
      const context = await this.managed(access, offeringId, manager);
      const { offering } = context;
      const events = await this.seats.expireOffers(manager, offering);
      const counts = await this.seats.counts(manager, offeringId);
      if (capacity < counts.held) {
        if (!bumpToWaitlist) throw capacityBelowEnrolled(counts.held);
        const holders = await manager.find(Enrollment, { where: { offeringId, status: In(['enrolled', 'offered']) } });
        holders.sort((a, b) => (a.status === b.status ? b.requestedAt.getTime() - a.requestedAt.getTime() : a.status === 'offered' ? -1 : 1));
        for (const holder of holders.slice(0, counts.held - capacity)) {
          events.push(await this.seats.transition(manager, holder, { to: 'waitlisted', actorUserId: access.userId, reason: 'CAPACITY_REDUCED', notify: true }));
        }
      }
      const before = offering.capacity;
      await this.offerings.setCapacity(manager, offeringId, capacity);
      offering.capacity = capacity;
      if (capacity > before) events.push(...(await this.seats.fillSeats(manager, offering, access.userId)));
      await this.audit.record(access.userId, 'update', 'offering', offeringId, offering.districtId, { capacity: before }, { capacity, bumpToWaitlist }, manager);
      return events;
    });
    await this.notifier.dispatch(events);
    return this.offerings.context(offeringId);
  }

  /** Cancels the offering: every enrolment still in play becomes cancelled and the learners are told. */
  async cancel(access: AccessContext, offeringId: string, reason: string) {
    const events = await inTransaction(this.db, async (manager) => {
      const { offering } = await this.managed(access, offeringId, manager);
      if (offering.status === 'cancelled') return [];
      const active = await manager.find(Enrollment, { where: { offeringId, status: In(['pending_approval', 'enrolled', 'waitlisted', 'offered']) } });
      const events: EnrollmentEvent[] = [];
      for (const enrollment of active) {
        events.push(await this.seats.transition(manager, enrollment, { to: 'cancelled', actorUserId: access.userId, reason, notify: true }));
      }
      await this.offerings.setStatus(manager, offeringId, 'cancelled', reason);
      await this.audit.record(access.userId, 'cancel', 'offering', offeringId, offering.districtId, { status: offering.status }, { status: 'cancelled', reason }, manager);
      return events;
    });
    await this.notifier.dispatch(events);
    return this.offerings.context(offeringId);
  }

  /**
   * Expires lapsed offers and gives free seats to waiting people in every offering that has any
   * (a quota raised, a crash mid-way), then re-sends notifications left unsent. Idempotent.
   */
  async sweep(now = new Date(), staleAfterMs = 60_000): Promise<{ offerings: number; events: number; resent: number }> {
    const offeringIds = await this.query.offeringsToSweep(now);
    let events = 0;
    for (const offeringId of offeringIds) {
      const changed = await inTransaction(this.db, async (manager) => {
        const { offering } = await this.offerings.lock(manager, offeringId);
        const expired = await this.seats.expireOffers(manager, offering, now);
        return [...expired, ...(await this.seats.fillSeats(manager, offering, null, now))];
      });
      events += changed.length;
      await this.notifier.dispatch(changed);
    }
    const resent = await this.notifier.resendStale(staleAfterMs);
    return { offerings: offeringIds.length, events, resent };
  }

  private async managed(access: AccessContext, offeringId: string, manager: Parameters<OfferingDirectory['lock']>[0]): Promise<OfferingContext> {
    const context = await this.offerings.lock(manager, offeringId);
    if (!access.canAt('catalog.manage', context.ownerPath)) throw new NotFound('offering', offeringId);
    return context;
  }
}
