import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { inTransaction } from '../../database/transaction.js';
import { priorityTierOf } from '../catalog/audience.js';
import { OfferingDirectory, type OfferingContext } from '../catalog/offering-directory.service.js';
import type { LearnerProfile } from '../people/people-directory.service.js';
import { firstApprovalStep } from './approval-steps.js';
import type { EnrollmentEvent, EnrollmentStatus } from './enrollment.entities.js';
import { enrollmentFull, offeringCancelled, offeringNotOpen, quotaFull } from './enrollment-errors.js';
import { EnrollmentNotifier } from './enrollment-notifier.service.js';
import { SeatsService } from './seats.service.js';

/** A first request for a seat: the person has no enrolment in the offering yet. */
export interface SeatAsk {
  access: AccessContext;
  person: LearnerProfile;
  /** Read before the lock; the offering itself is read again under it. */
  context: OfferingContext;
}

export interface PlacedRequest {
  id: string;
  status: EnrollmentStatus;
  waitlistPosition: number | null;
}

/** What became of one ask: placed, refused, or `again` (take the one-by-one path, which decides it itself). */
type Outcome = { placed: PlacedRequest } | { error: Error } | { again: true };

interface Waiting extends SeatAsk {
  settle(outcome: Outcome): void;
}

/** Enough for a burst on one offering; more wait for the next round. */
const MAX_ROUND = 250;

/**
 * Places first requests for seats in rounds, one round per offering at a time. Requests that arrive
 * while a round runs wait for the next one, and a round decides them all under one lock of the offering
 * row, in arrival order, with the same rules as one request at a time (capacity, quotas, priority tiers,
 * approvals): one transaction of a few statements serves a whole burst instead of a transaction each,
 * so a rush no longer queues on the row lock. Each placement's answer, waitlist position included, is
 * what it would have been had the requests come one by one in that order.
 *
 * The lock still guards every seat decision, so other processes and the one-by-one path stay exact. A
 * request the round cannot settle as a plain insert (the person already has an enrolment by then), and
 * every request of a round that fails on a database error, is sent back to the one-by-one path.
 */
@Injectable()
export class SeatDesk {
  private readonly logger = new Logger('SeatDesk');
  private readonly queues = new Map<string, Waiting[]>();
  /** Request times in microseconds, rising: the waitlist's order follows arrival even within one millisecond. */
  private lastMicros = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly offerings: OfferingDirectory,
    private readonly seats: SeatsService,
    private readonly notifier: EnrollmentNotifier,
  ) {}

  /** The placement, a refusal (thrown), or null when the request must take the one-by-one path. */
  async place(offeringId: string, ask: SeatAsk): Promise<PlacedRequest | null> {
    const outcome = await new Promise<Outcome>((settle) => {
      const queue = this.queues.get(offeringId);
      if (queue) {
        queue.push({ ...ask, settle });
        return;
      }
      this.queues.set(offeringId, [{ ...ask, settle }]);
      void this.drain(offeringId);
    });
    if ('error' in outcome) throw outcome.error;
    return 'placed' in outcome ? outcome.placed : null;
  }

  private async drain(offeringId: string): Promise<void> {
    const queue = this.queues.get(offeringId)!;
    while (queue.length) {
      const round = queue.splice(0, MAX_ROUND);
      // A round never leaves its requests waiting: anything unexpected sends them the one-by-one way.
      const outcomes = await this.round(offeringId, round).catch(() => round.map((): Outcome => ({ again: true })));
      round.forEach((ask, i) => ask.settle(outcomes[i]));
    }
    this.queues.delete(offeringId);
  }

  private async round(offeringId: string, round: Waiting[]): Promise<Outcome[]> {
    let decided: { outcomes: Outcome[]; events: EnrollmentEvent[] };
    try {
      decided = await inTransaction(this.db, (manager) => this.decide(manager, offeringId, round));
    } catch (error) {
      this.logger.warn(`a round of ${round.length} seat requests failed (${(error as Error).message}); placing them one by one`);
      return round.map(() => ({ again: true }));
    }
    // Committed: the placements stand whatever happens to the notifications (the sweep re-sends unsent ones).
    await this.notifier.dispatch(decided.events).catch((error) => this.logger.warn(`could not queue notifications: ${(error as Error).message}`));
    return decided.outcomes;
  }

  /** Under the offering's lock: each ask in turn against the seats as the ones before it left them. */
  private async decide(manager: EntityManager, offeringId: string, round: Waiting[]): Promise<{ outcomes: Outcome[]; events: EnrollmentEvent[] }> {
    const { offering, course } = await this.offerings.lock(manager, offeringId);
    const events = await this.seats.expireOffers(manager, offering);
    const taken: Array<{ person_id: string }> = await manager.query(
      `SELECT person_id FROM enrollment WHERE offering_id = $1 AND person_id = ANY($2::uuid[])`, [offeringId, round.map((a) => a.person.personId)]);
    const known = new Set(taken.map((r) => r.person_id));
    const counts = await this.seats.counts(manager, offeringId);
    const outcomes: Outcome[] = [];
    const rows: NewRow[] = [];
    for (const ask of round) {
      const { person, access } = ask;
      if (known.has(person.personId)) {
        outcomes.push({ again: true });
        continue;
      }
      if (offering.status === 'cancelled') { outcomes.push({ error: offeringCancelled() }); continue; }
      if (offering.status !== 'published') { outcomes.push({ error: offeringNotOpen() }); continue; }
      const step = firstApprovalStep({ ...ask.context, offering }, person, access);
      let status: EnrollmentStatus;
      if (step) status = 'pending_approval';
      else {
        const fit = this.seats.fits(offering, counts, person.kindergartenId);
        const to = this.seats.placement(offering, fit);
        if (!to) { outcomes.push({ error: fit === 'quota' ? quotaFull() : enrollmentFull() }); continue; }
        status = to;
        if (to === 'enrolled') {
          counts.held += 1;
          if (person.kindergartenId) counts.byKindergarten.set(person.kindergartenId, (counts.byKindergarten.get(person.kindergartenId) ?? 0) + 1);
        }
      }
      known.add(person.personId);
      const row: NewRow = {
        id: randomUUID(), personId: person.personId, kindergartenId: person.kindergartenId, status, approvalStep: step,
        priorityTier: priorityTierOf(offering.priorityTiers, person), requestedAt: this.nextRequestedAt(), requestedBy: access.userId,
        notify: person.personId !== access.personId, outcome: outcomes.length,
      };
      rows.push(row);
      outcomes.push({ placed: { id: row.id, status, waitlistPosition: null } });
    }
    if (!rows.length) return { outcomes, events };

    const now = new Date();
    await manager.query(
      `INSERT INTO enrollment (id, offering_id, course_id, person_id, district_id, kindergarten_id, level, status, approval_step, priority_tier,
                               requested_at, status_changed_at, requested_by)
       SELECT r.id, $1, $2, r.person_id, $3, r.kindergarten_id, $4, r.status, r.approval_step, r.priority_tier, r.requested_at, $5, r.requested_by
         FROM unnest($6::uuid[], $7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::int[], $12::timestamptz[], $13::uuid[])
              AS r(id, person_id, kindergarten_id, status, approval_step, priority_tier, requested_at, requested_by)`,
      [offeringId, course.id, offering.districtId, course.level, now, rows.map((r) => r.id), rows.map((r) => r.personId), rows.map((r) => r.kindergartenId),
        rows.map((r) => r.status), rows.map((r) => r.approvalStep), rows.map((r) => r.priorityTier), rows.map((r) => r.requestedAt), rows.map((r) => r.requestedBy)]);
    const logged: Array<{ id: string; enrollment_id: string; notify: boolean }> = await manager.query(
      `INSERT INTO enrollment_event (enrollment_id, district_id, from_status, to_status, actor_user_id, reason, notify, notified_at, at)
       SELECT r.id, $1, NULL, r.status, r.actor, NULL, r.notify, NULL, $2
         FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::boolean[]) AS r(id, status, actor, notify)
       RETURNING id, enrollment_id, notify`,
      [offering.districtId, now, rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.requestedBy), rows.map((r) => r.notify)]);
    events.push(...logged.map((e) => ({ id: String(e.id), enrollmentId: e.enrollment_id, notify: e.notify }) as EnrollmentEvent));
    await this.answerPositions(manager, offeringId, rows, outcomes);
    return { outcomes, events };
  }

  /**
   * Each waitlisted placement's position as its own request would have answered it: its place on the list
   * now, less the places taken ahead of it by requests of this round that came after it (a higher priority tier).
   */
  private async answerPositions(manager: EntityManager, offeringId: string, rows: NewRow[], outcomes: Outcome[]): Promise<void> {
    const waitlisted = rows.filter((r) => r.status === 'waitlisted');
    if (!waitlisted.length) return;
    const found: Array<{ id: string; position: number }> = await manager.query(
      `SELECT id, position FROM (
         SELECT id, row_number() OVER (ORDER BY priority_tier, requested_at, id)::int AS position
           FROM enrollment WHERE offering_id = $1 AND status = 'waitlisted') w
        WHERE id = ANY($2::uuid[])`, [offeringId, waitlisted.map((r) => r.id)]);
    const now = new Map(found.map((r) => [r.id, r.position]));
    waitlisted.forEach((row, i) => {
      const position = now.get(row.id)!;
      const overtaken = waitlisted.slice(i + 1).filter((later) => now.get(later.id)! < position).length;
      (outcomes[row.outcome] as { placed: PlacedRequest }).placed.waitlistPosition = position - overtaken;
    });
  }

  /** The wall clock in microseconds, never the same twice nor going back within this process. */
  private nextRequestedAt(): string {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    const millis = Math.floor(this.lastMicros / 1000);
    return `${new Date(millis).toISOString().slice(0, 23)}${String(this.lastMicros % 1000).padStart(3, '0')}Z`;
  }
}

interface NewRow {
  id: string;
  personId: string;
  kindergartenId: string | null;
  status: EnrollmentStatus;
  approvalStep: 'kindergarten' | 'district' | null;
  priorityTier: number;
  /** ISO 8601 with microseconds. */
  requestedAt: string;
  requestedBy: string;
  notify: boolean;
  /** Its place in the round's outcomes. */
  outcome: number;
}
