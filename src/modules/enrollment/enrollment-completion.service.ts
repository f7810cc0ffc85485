import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Enrollment, type EnrollmentEvent } from './enrollment.entities.js';
import { EnrollmentNotifier } from './enrollment-notifier.service.js';
import { SeatsService } from './seats.service.js';

/**
 * The enrolment side of completion, for the assessment module: an enrolled learner becomes
 * `completed`, and a reopened completion puts them back to `enrolled`. Both run in the caller's
 * transaction and log the change; a learner already in the target status is left as they are.
 */
@Injectable()
export class EnrollmentCompletionService {
  constructor(private readonly seats: SeatsService, private readonly notifier: EnrollmentNotifier) {}

  /** Locks and answers the enrolment (null when it does not exist). */
  async lock(manager: EntityManager, enrollmentId: string): Promise<Enrollment | null> {
    return manager.findOne(Enrollment, { where: { id: enrollmentId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Answers the logged event (its notice is sent by `dispatch` once the caller has committed), or null when already completed. */
  async markCompleted(manager: EntityManager, enrollment: Enrollment, actorUserId: string | null): Promise<EnrollmentEvent | null> {
    if (enrollment.status === 'completed') return null;
    if (enrollment.status !== 'enrolled') throw new Error(`enrolment ${enrollment.id} is ${enrollment.status}, not enrolled`);
    return this.seats.transition(manager, enrollment, { to: 'completed', actorUserId, notify: true });
  }

  /** After commit: tells the learner (the enrolment sweep re-sends a notice this misses). */
  async dispatch(events: Array<EnrollmentEvent | null>): Promise<void> {
    await this.notifier.dispatch(events.filter((e): e is EnrollmentEvent => e !== null));
  }

  async reopen(manager: EntityManager, enrollment: Enrollment, actorUserId: string | null, reason: string): Promise<void> {
    if (enrollment.status !== 'completed') return;
    await this.seats.transition(manager, enrollment, { to: 'enrolled', actorUserId, reason, notify: false });
  }
}
