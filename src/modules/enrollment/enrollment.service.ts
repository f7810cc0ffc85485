import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Forbidden, NotFound, ValidationFailed } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { priorityTierOf } from '../catalog/audience.js';
import { OfferingDirectory, type OfferingContext } from '../catalog/offering-directory.service.js';
import { PeopleDirectory, type LearnerProfile } from '../people/people-directory.service.js';
import { Enrollment, ACTIVE_STATUSES, type EnrollmentEvent, type EnrollmentStatus } from './enrollment.entities.js';
import {
  NotEligible, enrollmentFull, noPersonRecord, noShowTooEarly, offerExpired, offeringCancelled, offeringNotOpen, quotaFull, withdrawalDeadlinePassed, wrongStatus,
} from './enrollment-errors.js';
import { EligibilityService } from './eligibility.service.js';
import { EnrollmentNotifier } from './enrollment-notifier.service.js';
import { SeatsService } from './seats.service.js';
import { EnrollmentQuery } from './enrollment.query.js';
import { firstApprovalStep, mayApprove } from './approval-steps.js';
import { SeatDesk } from './seat-desk.service.js';

export interface EnrollmentAnswer {
  id: string;
  status: EnrollmentStatus;
  waitlistPosition: number | null;
  offerExpiresAt: Date | null;
  /** False when the same request had already been made: the existing enrolment is returned. */
  created: boolean;
}

/**
 * Requests, approvals, withdrawals and seat offers. Every change locks the offering row first and
 * counts seats under that lock, so capacity and quotas hold under any concurrency; the events it
 * writes are the outbox the notifier sends from after commit.
 */
@Injectable()
export class EnrollmentService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly offerings: OfferingDirectory,
    private readonly people: PeopleDirectory,
    private readonly eligibility: EligibilityService,
    private readonly seats: SeatsService,
    private readonly notifier: EnrollmentNotifier,
    private readonly query: EnrollmentQuery,
    private readonly desk: SeatDesk,
  ) {}

  /** A learner asks for a seat (or an admin or trainer asks for them). Asking again returns the same enrolment. */
  async request(access: AccessContext, offeringId: string, personId?: string): Promise<EnrollmentAnswer> {
    const person = await this.requester(access, personId);
    const context = await this.offerings.context(offeringId);
    if (!this.visibleTo(context, person, access)) throw new NotFound('offering', offeringId);
    // Eligibility reads other modules' records, so it is checked before taking the offering lock;
    // a repeat of a request already in play skips it and gets the enrolment as it is. One statement
    // reads the person's enrolment here and what eligibility needs of their other enrolments.
    const facts = await this.eligibility.facts(context, person);
    const known = facts.existing;
    const repeat = known && !(['withdrawn', 'cancelled'] as EnrollmentStatus[]).includes(known.status);
    if (!repeat && context.offering.status === 'published') {
      const check = await this.eligibility.check(context, person, access.locale, new Date(), undefined, facts);
      if (!check.eligible) throw new NotEligible(check.reasons);
    }
    // A first request goes to the seat desk, which places concurrent first requests together under one lock.
    if (!known) {
      const placed = await this.desk.place(offeringId, { access, person, context });
      if (placed) return { ...placed, offerExpiresAt: null, created: true };
    }
    const { answer, events } = await inTransaction(this.db, async (manager) => {
      const { offering, course } = await this.offerings.lock(manager, offeringId);
      const events = await this.seats.expireOffers(manager, offering);
      const existing = await manager.findOneBy(Enrollment, { offeringId, personId: person.personId });
      if (existing && !(['withdrawn', 'cancelled'] as EnrollmentStatus[]).includes(existing.status)) {
        return { answer: await this.answer(manager, existing, false), events };
      }
      if (offering.status === 'cancelled') throw offeringCancelled();
      if (offering.status !== 'published') throw offeringNotOpen();

      const enrollment = existing ?? manager.create(Enrollment, { offeringId, courseId: course.id, personId: person.personId });
      Object.assign(enrollment, {
        districtId: offering.districtId, kindergartenId: person.kindergartenId, level: course.level,
        priorityTier: priorityTierOf(offering.priorityTiers, person), requestedAt: new Date(), requestedBy: access.userId,
        declineReason: null, offerExpiresAt: null,
      });
      const byOther = person.personId !== access.personId;
      const step = firstApprovalStep({ ...context, offering }, person, access);
      if (step) {
        events.push(await this.save(manager, enrollment, existing, { to: 'pending_approval', actorUserId: access.userId, notify: byOther, changes: { approvalStep: step } }));
      } else {
        const fit = this.seats.fits(offering, await this.seats.counts(manager, offeringId), person.kindergartenId);
        const to = this.seats.placement(offering, fit);
        if (!to) throw fit === 'quota' ? quotaFull() : enrollmentFull();
        events.push(await this.save(manager, enrollment, existing, { to, actorUserId: access.userId, notify: byOther }));
      }
      return { answer: await this.answer(manager, enrollment, true), events };
    });
    await this.notifier.dispatch(events);
    return answer;
  }

  /** The learner withdraws before the deadline; an admin or the offering's manager at any time. A freed seat goes to the waitlist at once. */
  async withdraw(access: AccessContext, enrollmentId: string, reason?: string): Promise<EnrollmentAnswer> {
    return this.change(access, enrollmentId, async (manager, enrollment, context, role) => {
      if (role === 'trainer') throw new Forbidden('WITHDRAW_NOT_ALLOWED', 'Only the learner or an administrator can withdraw an enrolment');
      if (enrollment.status === 'withdrawn') return [];
      if (!ACTIVE_STATUSES.includes(enrollment.status)) throw wrongStatus('withdraw', enrollment.status);
      if (role === 'self' && new Date() > context.offering.withdrawDeadline) {
        throw withdrawalDeadlinePassed(context.offering.withdrawDeadline.toISOString());
      }
      const heldSeat = enrollment.status === 'enrolled' || enrollment.status === 'offered';
      const events = [await this.seats.transition(manager, enrollment, { to: 'withdrawn', actorUserId: access.userId, reason: reason ?? null, notify: role !== 'self' })];
      if (heldSeat) events.push(...(await this.seats.fillSeats(manager, context.offering, access.userId)));
      return events;
    });
  }

  /** The learner takes an offered seat before the offer expires. */
  async acceptOffer(access: AccessContext, enrollmentId: string): Promise<EnrollmentAnswer> {
    return this.change(access, enrollmentId, async (manager, enrollment, context, role) => {
      if (role !== 'self') throw new Forbidden('NOT_YOUR_OFFER', 'Only the learner can accept a seat offer');
      if (enrollment.status === 'enrolled') return [];
      if (enrollment.status !== 'offered') throw wrongStatus('accept', enrollment.status);
      // A lapsed offer is ended and passed on (committed), and the learner is told it expired.
      if (enrollment.offerExpiresAt! <= new Date()) return { events: await this.seats.expireOffers(manager, context.offering), error: offerExpired() };
      return [await this.seats.transition(manager, enrollment, { to: 'enrolled', actorUserId: access.userId, notify: false })];
    }, { expireFirst: false });
  }

  /** A kindergarten admin approves (then, where the offering needs it, the district); the approved request is placed by its original time. */
  async approve(access: AccessContext, enrollmentId: string): Promise<EnrollmentAnswer> {
    return this.change(access, enrollmentId, async (manager, enrollment, context, _role, person) => {
      if (enrollment.status !== 'pending_approval') {
        if (enrollment.status === 'enrolled' || enrollment.status === 'waitlisted' || enrollment.status === 'offered') return [];
        throw wrongStatus('approve', enrollment.status);
      }
      if (!mayApprove(access, enrollment.approvalStep!, context, person)) throw new NotFound('enrollment', enrollmentId);
      const events: EnrollmentEvent[] = [];
      if (enrollment.approvalStep === 'kindergarten' && context.offering.approvalMode === 'kindergarten_then_district') {
        events.push(await this.seats.transition(manager, enrollment, {
          to: 'pending_approval', actorUserId: access.userId, reason: 'KINDERGARTEN_APPROVED', notify: true, changes: { approvalStep: 'district' },
        }));
        if (!mayApprove(access, 'district', context, person)) return events;
      }
      const fit = this.seats.fits(context.offering, await this.seats.counts(manager, context.offering.id), enrollment.kindergartenId);
      const to = this.seats.placement(context.offering, fit);
      if (!to) throw fit === 'quota' ? quotaFull() : enrollmentFull();
      events.push(await this.seats.transition(manager, enrollment, { to, actorUserId: access.userId, reason: 'APPROVED', notify: true }));
      return events;
    }, { role: 'approver' });
  }

  async decline(access: AccessContext, enrollmentId: string, reason: string): Promise<EnrollmentAnswer> {
    return this.change(access, enrollmentId, async (manager, enrollment, context, _role, person) => {
      if (enrollment.status === 'declined') return [];
      if (enrollment.status !== 'pending_approval') throw wrongStatus('decline', enrollment.status);
      if (!mayApprove(access, enrollment.approvalStep!, context, person)) throw new NotFound('enrollment', enrollmentId);
      return [await this.seats.transition(manager, enrollment, { to: 'declined', actorUserId: access.userId, reason, notify: true, changes: { declineReason: reason } })];
    }, { role: 'approver' });
  }

  /** A trainer records that an enrolled learner never came; it blocks the level per the no-show rule. */
  async markNoShow(access: AccessContext, enrollmentId: string): Promise<EnrollmentAnswer> {
    return this.change(access, enrollmentId, async (manager, enrollment, context) => {
      if (enrollment.status === 'no_show') return [];
      if (enrollment.status !== 'enrolled') throw wrongStatus('mark as no-show', enrollment.status);
      const meetings = await this.offerings.meetings(context.offering.id, manager);
      if (!meetings.some((m) => m.startsAt <= new Date())) throw noShowTooEarly();
      return [await this.seats.transition(manager, enrollment, { to: 'no_show', actorUserId: access.userId, notify: true })];
    }, { role: 'trainer' });
  }

  async get(access: AccessContext, enrollmentId: string) {
    const view = await this.query.detail(enrollmentId);
    if (!view) throw new NotFound('enrollment', enrollmentId);
    const context = await this.offerings.context(view.offeringId);
    const person = await this.profile(view.personId);
    if (!(await this.roleOn(access, context, person))) throw new NotFound('enrollment', enrollmentId);
    return view;
  }

  // ---- helpers ---------------------------------------------------------------------------

  private async change(
    access: AccessContext,
    enrollmentId: string,
    work: (manager: EntityManager, enrollment: Enrollment, context: OfferingContext, role: 'self' | 'admin' | 'trainer', person: LearnerProfile) => Promise<EnrollmentEvent[] | { events: EnrollmentEvent[]; error: Error }>,
    options: { expireFirst?: boolean; role?: 'approver' | 'trainer' } = {},
  ): Promise<EnrollmentAnswer> {
    const found = await this.db.manager.findOneBy(Enrollment, { id: enrollmentId });
    if (!found) throw new NotFound('enrollment', enrollmentId);
    const person = await this.profile(found.personId);
    const role = await this.roleOn(access, await this.offerings.context(found.offeringId), person);
    const { answer, events, error } = await inTransaction(this.db, async (manager) => {
      // Only the transaction's own connection is used from here on: a second one could wait on the lock it holds.
      const context = await this.offerings.lock(manager, found.offeringId);
      const allowed = options.role === 'approver' ? access.can('enrollment.approve') && role !== null
        : options.role === 'trainer' ? role === 'admin' || role === 'trainer'
        : role !== null;
      if (!allowed || !role) throw new NotFound('enrollment', enrollmentId);
      const events = options.expireFirst === false ? [] : await this.seats.expireOffers(manager, context.offering);
      const enrollment = await manager.findOneByOrFail(Enrollment, { id: enrollmentId });
      const outcome = await work(manager, enrollment, context, role, person);
      events.push(...(Array.isArray(outcome) ? outcome : outcome.events));
      return { answer: await this.answer(manager, enrollment, false), events, error: Array.isArray(outcome) ? null : outcome.error };
    });
    await this.notifier.dispatch(events);
    if (error) throw error;
    return answer;
  }

  /** How the caller relates to a person's enrolment in an offering, or null when they may not see it. */
  private async roleOn(access: AccessContext, context: OfferingContext, person: LearnerProfile): Promise<'self' | 'admin' | 'trainer' | null> {
    if (access.isSelf(person.personId)) return 'self';
    if (access.canAt('enrollment.approve', person.orgPath) || access.canAt('catalog.manage', context.ownerPath)) return 'admin';
    if (access.can('offering.teach') && (await this.offerings.isTrainer(context.offering.id, access.userId))) return 'trainer';
    return null;
  }

  private async requester(access: AccessContext, personId?: string): Promise<LearnerProfile> {
    if (!personId || personId === access.personId) {
      if (!access.personId) throw noPersonRecord();
      return this.profile(access.personId);
    }
    const person = await this.people.learnerProfile(personId);
    if (!person || !access.canAt('enrollment.manage', person.orgPath)) {
      throw ValidationFailed.field('personId', 'PERSON_NOT_FOUND', 'No such person in your scope');
    }
    return person;
  }

  private async profile(personId: string): Promise<LearnerProfile> {
    const person = await this.people.learnerProfile(personId);
    if (!person) throw new NotFound('person', personId);
    return person;
  }

  /** Learners see offerings owned above them (their district's, or their own kindergarten's 园本 ones). */
  private visibleTo(context: OfferingContext, person: LearnerProfile, access: AccessContext): boolean {
    return person.orgPath.startsWith(context.ownerPath) || access.canAt('catalog.manage', context.ownerPath);
  }

  private async save(manager: EntityManager, enrollment: Enrollment, existing: Enrollment | null, change: Parameters<SeatsService['transition']>[2]) {
    if (existing) return this.seats.transition(manager, enrollment, change);
    Object.assign(enrollment, change.changes ?? {}, { status: change.to, statusChangedAt: new Date() });
    await manager.save(enrollment);
    return this.seats.log(manager, enrollment, null, change);
  }

  private async answer(manager: EntityManager, enrollment: Enrollment, created: boolean): Promise<EnrollmentAnswer> {
    return {
      id: enrollment.id,
      status: enrollment.status,
      waitlistPosition: enrollment.status === 'waitlisted' ? await this.query.waitlistPosition(enrollment.id, manager) : null,
      offerExpiresAt: enrollment.offerExpiresAt,
      created,
    };
  }
}
