import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Conflict, DomainError, Forbidden, ValidationFailed, NotFound } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { LedgerService } from '../credits/ledger.service.js';
import { ActivitiesService } from './activities.service.js';
import { termProblem } from './activity.dto.js';
import { MentoringTermReview } from './mentoring.entities.js';
import { MentoringNotifier } from './mentoring-notifier.service.js';
import { PairingsDirectory, type PairingContext } from './pairings-directory.service.js';
import type { AcceptReviewDto, SubmitReviewDto } from './review.dto.js';
import { ReviewsQuery, type ReviewView } from './reviews.query.js';
import { finishedTermsBetween, termEnd, termHasStarted, termsBetween } from './terms.js';

export interface ReviewAnswer {
  review: ReviewView;
  /** False when nothing changed (the same submission or decision again). */
  changed: boolean;
}

/** The kindergarten admin over the mentee's kindergarten decides; a party never decides on their own pairing. */
export function assertDecider(access: AccessContext, context: PairingContext): void {
  const menteePath = context.kindergartenPaths[context.pairing.menteeKindergartenId];
  if (context.as !== 'admin') throw new Forbidden('CANNOT_DECIDE_OWN_PAIRING', 'Someone outside the pairing decides on it');
  if (!access.canAt('mentoring.manage', menteePath)) throw new Forbidden('MENTEE_KINDERGARTEN_DECIDES', 'The mentee\'s kindergarten decides on the pairing');
}

const alreadyAccepted = () => new Conflict('REVIEW_ALREADY_ACCEPTED', 'The review was accepted and can no longer change');

/** Term reviews: written by the lead mentor with a snapshot of the term's progress; accepted (credit to both sides, once) or returned. */
@Injectable()
export class ReviewsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: ReviewsQuery,
    private readonly pairings: PairingsDirectory,
    private readonly activities: ActivitiesService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly notifier: MentoringNotifier,
  ) {}

  async list(access: AccessContext, pairingId: string): Promise<ReviewView[]> {
    await this.pairings.context(access, pairingId);
    return this.query.list(pairingId);
  }

  async submit(access: AccessContext, pairingId: string, input: SubmitReviewDto): Promise<ReviewAnswer> {
    const context = await this.leadMentorContext(access, pairingId);
    const problem = termProblem(input.term);
    if (problem) throw new ValidationFailed([problem]);
    const { pairing } = context;
    if (!['active', 'ended'].includes(pairing.status)) throw new DomainError('PAIRING_NOT_ACTIVE', 422, 'The pairing is not active');
    if (!termsBetween(pairing.startsOn, pairing.endsOn).includes(input.term)) {
      throw new DomainError('TERM_OUTSIDE_PERIOD', 422, 'The term lies outside the pairing period', { field: 'term' });
    }
    if (!termHasStarted(input.term, shanghaiDate())) throw new DomainError('TERM_NOT_STARTED', 422, 'A term is reviewed once it has started', { field: 'term' });
    const existing = async (manager?: EntityManager) => {
      const id = await this.query.idFor(pairingId, input.term, manager);
      const review = id ? await this.query.view(id, manager) : null;
      if (review && review.status === 'submitted' && review.mentorComment === input.mentorComment) return { review, changed: false };
      if (review) throw new Conflict('REVIEW_EXISTS', 'This term already has a review; update it instead', { id: review.id, status: review.status });
      return null;
    };
    const earlier = await existing();
    if (earlier) return earlier;
    try {
      const id = await this.db.transaction(async (manager) => {
        const rule = await this.pairings.ruleFor(pairing.districtId, manager);
        const progress = await this.activities.progressOf(context, input.term, manager);
        const reviews = manager.getRepository(MentoringTermReview);
        const saved = await reviews.save(reviews.create({
          pairingId, districtId: pairing.districtId, term: input.term, status: 'submitted', targets: rule.termTargets,
          progress: progress as unknown as Record<string, unknown>, mentorComment: input.mentorComment, submittedBy: access.userId,
        }));
        return saved.id;
      });
      return { review: (await this.query.view(id))!, changed: true };
    } catch (error) {
      // The same review submitted twice at once: the unique (pairing, term) lets one in; the other answers it.
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        const again = await existing();
        if (again) return again;
      }
      throw error;
    }
  }

  /** The lead mentor rewrites a submitted or returned review; it is submitted again with fresh progress. */
  async update(access: AccessContext, reviewId: string, mentorComment: string): Promise<ReviewView> {
    const pairingId = await this.pairingOf(reviewId);
    const context = await this.leadMentorContext(access, pairingId);
    await this.db.transaction(async (manager) => {
      const reviews = manager.getRepository(MentoringTermReview);
      const review = (await reviews.findOne({ where: { id: reviewId }, lock: { mode: 'pessimistic_write' } }))!;
      if (review.status === 'accepted') throw alreadyAccepted();
      const progress = await this.activities.progressOf(context, review.term, manager);
      await reviews.save(Object.assign(review, {
        status: 'submitted', mentorComment, progress: progress as unknown as Record<string, unknown>, submittedBy: access.userId, submittedAt: new Date(),
      }));
    });
    return (await this.query.view(reviewId))!;
  }

  /**
   * Accepting awards the rule's credits to the mentee and every mentor in the same transaction,
   * under the review's row lock: a second accept (even at the same moment) finds it accepted.
   */
  async accept(access: AccessContext, reviewId: string, input: AcceptReviewDto): Promise<ReviewAnswer> {
    const context = await this.deciderContext(access, reviewId);
    const changed = await inTransaction(this.db, async (manager) => {
      const reviews = manager.getRepository(MentoringTermReview);
      const review = (await reviews.findOne({ where: { id: reviewId }, lock: { mode: 'pessimistic_write' } }))!;
      if (review.status === 'accepted') return false;
      if (review.status === 'returned') throw new Conflict('REVIEW_RETURNED', 'The review was returned; the lead mentor submits it again first');
      const rule = await this.pairings.ruleFor(review.districtId, manager);
      const today = shanghaiDate();
      const occurredOn = termEnd(review.term) < today ? termEnd(review.term) : today;
      const awards = [
        { personId: context.pairing.menteePersonId, credits: rule.menteeCredits, category: rule.menteeCategory, side: '徒弟' },
        ...context.links.map((l) => ({ personId: l.mentorPersonId, credits: rule.mentorCredits, category: rule.mentorCategory, side: '师傅' })),
      ];
      for (const award of awards.filter((a) => a.credits > 0)) {
        await this.ledger.recordOnce({
          personId: award.personId, hours: 0, credits: award.credits, category: award.category, level: rule.creditLevel, source: 'mentoring',
          sourceId: review.id, sourceKey: `mentoring:${review.id}:${award.personId}`, title: `师徒结对学期考核 ${review.term}（${award.side}）`,
          occurredOn, recordedBy: access.userId, approvedBy: access.userId,
        }, manager);
      }
      await reviews.update({ id: reviewId }, {
        status: 'accepted', adminComment: input.comment ?? null, decidedBy: access.userId, decidedAt: new Date(), version: review.version + 1,
      });
      await this.audit.record(access.userId, 'accept', 'mentoring_term_review', reviewId, review.districtId, { status: review.status },
        { status: 'accepted', awards: awards.map((a) => ({ personId: a.personId, credits: a.credits })) }, manager);
      return true;
    });
    const review = (await this.query.view(reviewId))!;
    if (changed) await this.notifier.reviewAccepted(context, { id: reviewId, term: review.term });
    return { review, changed };
  }

  /** Back to the lead mentor with the reason; the same return again changes nothing. */
  async returnReview(access: AccessContext, reviewId: string, comment: string): Promise<ReviewAnswer> {
    const context = await this.deciderContext(access, reviewId);
    let version = 0;
    const changed = await this.db.transaction(async (manager) => {
      const reviews = manager.getRepository(MentoringTermReview);
      const review = (await reviews.findOne({ where: { id: reviewId }, lock: { mode: 'pessimistic_write' } }))!;
      if (review.status === 'accepted') throw alreadyAccepted();
      if (review.status === 'returned' && review.adminComment === comment) return false;
      version = review.version + 1;
      await reviews.update({ id: reviewId }, { status: 'returned', adminComment: comment, decidedBy: access.userId, decidedAt: new Date(), version });
      await this.audit.record(access.userId, 'return', 'mentoring_term_review', reviewId, review.districtId, { status: review.status }, { status: 'returned', comment }, manager);
      return true;
    });
    const review = (await this.query.view(reviewId))!;
    if (changed) await this.notifier.reviewReturned(context, { id: reviewId, term: review.term, version, comment });
    return { review, changed };
  }

  /** Active pairings in scope with a finished term that has no accepted review, and what each such term has. */
  async overdue(access: AccessContext) {
    const today = shanghaiDate();
    const pairings = await this.query.activeInScope(access.scopePaths('mentoring.manage'));
    return pairings.flatMap(({ reviews, ...p }) => {
      const terms = finishedTermsBetween(p.startsOn, p.endsOn, today).flatMap((term) => {
        const review = reviews.find((r) => r.term === term);
        return review?.status === 'accepted' ? [] : [{ term, reviewId: review?.id ?? null, reviewStatus: review?.status ?? null }];
      });
      return terms.length ? [{ ...p, terms }] : [];
    });
  }

  private async pairingOf(reviewId: string): Promise<string> {
    const pairingId = await this.query.pairingOf(reviewId);
    if (!pairingId) throw new NotFound('mentoring_term_review', reviewId);
    return pairingId;
  }

  private async leadMentorContext(access: AccessContext, pairingId: string): Promise<PairingContext> {
    const context = await this.pairings.context(access, pairingId);
    if (context.as !== 'mentor' || context.mentorRole !== 'lead') throw new Forbidden('LEAD_MENTOR_ONLY', 'The lead mentor writes the term review');
    return context;
  }

  private async deciderContext(access: AccessContext, reviewId: string): Promise<PairingContext> {
    const context = await this.pairings.context(access, await this.pairingOf(reviewId));
    assertDecider(access, context);
    return context;
  }
}
