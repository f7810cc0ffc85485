import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { OfferingDirectory, type OfferingContext } from '../catalog/offering-directory.service.js';
import { TeachingAccess } from '../enrollment/teaching-access.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { AssessmentItem, Rubric, type GradingMethod } from './assessment.entities.js';
import { GradeWriter, type GradeWritten } from './grade-writer.service.js';
import {
  enrollmentNotFound, enrollmentNotGradable, itemNotFound, markersFull, marksDiffer, notGradable, notSecondMarked, secondMarkMissing,
} from './grading-errors.js';
import { GradingNotifier } from './grading-notifier.service.js';
import { acceptedMark, checkMark, gradeOf, identicalMark, markDifferences, sameMark, type GradableItem, type Mark } from './grading-rules.js';
import { GRADABLE_STATUSES, GradingQuery, type EnrollmentRow, type MarkRow } from './grading.query.js';
import type { GradeDto, ReconcileDto } from './grading.dto.js';

/** An item a caller may grade, with what grading needs. */
export interface ItemForGrading {
  item: AssessmentItem;
  gradable: GradableItem;
  context: OfferingContext;
}

const toMark = (m: MarkRow): Mark => ({ criteria: m.criteria, points: m.points, passed: m.passed, feedback: m.feedback });

/**
 * Marking one learner's work: without second marking a save is the agreed grade; with it the first
 * and second trainers' marks are kept apart until a trainer reconciles them. Release shows grades to
 * learners; after that every change needs a reason and is kept in the history.
 */
@Injectable()
export class GradingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: GradingQuery,
    private readonly offerings: OfferingDirectory,
    private readonly teaching: TeachingAccess,
    private readonly people: PeopleDirectory,
    private readonly writer: GradeWriter,
    private readonly notifier: GradingNotifier,
    private readonly audit: AuditService,
  ) {}

  /** The item, if the caller teaches its offering (else 404, as if it did not exist). */
  async itemFor(access: AccessContext, itemId: string): Promise<ItemForGrading> {
    const item = await this.db.manager.findOneBy(AssessmentItem, { id: itemId });
    if (!item || item.archivedAt) throw itemNotFound(itemId);
    const context = await this.offerings.context(item.offeringId);
    if (!(await this.teaching.canTeach(access, context))) throw itemNotFound(itemId);
    const rubric = item.rubricId ? await this.db.manager.findOneBy(Rubric, { id: item.rubricId }) : null;
    return { item, context, gradable: { ...item, criteria: rubric?.criteria ?? null } };
  }

  /** A learner of the item's offering who may be graded (enrolled or completed). */
  async learnerOf(item: AssessmentItem, enrollmentId: string, manager?: EntityManager, lock = false): Promise<EnrollmentRow> {
    const enrollment = await this.query.enrollment(enrollmentId, manager, lock);
    if (!enrollment || enrollment.offeringId !== item.offeringId) throw enrollmentNotFound(enrollmentId);
    if (!GRADABLE_STATUSES.includes(enrollment.status)) throw enrollmentNotGradable(enrollment.status);
    return enrollment;
  }

  async view(access: AccessContext, itemId: string, enrollmentId: string) {
    const target = await this.itemFor(access, itemId);
    const enrollment = await this.query.enrollment(enrollmentId);
    if (!enrollment || enrollment.offeringId !== target.item.offeringId) throw enrollmentNotFound(enrollmentId);
    const [submissions, marks, grade, history, [profile]] = await Promise.all([
      this.query.submissions(itemId, enrollmentId), this.query.marks(itemId, enrollmentId), this.query.grade(itemId, enrollmentId),
      this.query.history(itemId, enrollmentId), this.people.learnerProfiles([enrollment.personId]),
    ]);
    const [first, second] = [marks.find((m) => m.role === 'first'), marks.find((m) => m.role === 'second')];
    return {
      item: itemView(target), offering: offeringView(target.context),
      learner: { enrollmentId, personId: enrollment.personId, status: enrollment.status, fullName: profile?.fullName ?? '', kindergarten: profile?.kindergartenName ?? null },
      submissions, marks, grade, history,
      reconciliation: target.item.secondMarking && first && second
        ? { agree: sameMark(toMark(first), toMark(second)), differences: markDifferences(toMark(first), toMark(second)) } : null,
    };
  }

  /** The queue of learners for an item, by kindergarten and name. */
  async queue(access: AccessContext, itemId: string) {
    const target = await this.itemFor(access, itemId);
    const rows = await this.query.queue(itemId, target.item.offeringId);
    const profiles = new Map((await this.people.learnerProfiles(rows.map((r) => r.personId))).map((p) => [p.personId, p]));
    const learners = rows.map((r) => ({
      ...r, fullName: profiles.get(r.personId)?.fullName ?? '', kindergarten: profiles.get(r.personId)?.kindergartenName ?? null,
      submission: r.attempt === null ? 'missing' as const : r.late ? 'late' as const : 'submitted' as const,
      graded: r.passed !== null, released: r.releasedAt !== null,
    }));
    learners.sort((a, b) => (a.kindergarten ?? '').localeCompare(b.kindergarten ?? '', 'zh-CN') || a.fullName.localeCompare(b.fullName, 'zh-CN'));
    return { item: itemView(target), offering: offeringView(target.context), learners };
  }

  /** A trainer's mark: the agreed grade at once, or with second marking the caller's first or second mark. */
  async save(access: AccessContext, itemId: string, enrollmentId: string, body: GradeDto): Promise<{ changed: boolean; role: 'first' | 'second' | null }> {
    const target = await this.itemFor(access, itemId);
    const mark = await this.checked(target, enrollmentId, body);
    const { item } = target;
    const written = await inTransaction(this.db, async (manager) => {
      const enrollment = await this.learnerOf(item, enrollmentId, manager, true);
      const [submission] = await this.query.submissions(itemId, enrollmentId, manager);
      const markRow = { itemId, enrollmentId, markerUserId: access.userId, districtId: enrollment.districtId, submissionId: submission?.id ?? null, ...mark };
      if (!item.secondMarking) {
        const result = await this.writer.write(manager, {
          itemId, enrollment, values: gradeOf(target.gradable, mark, submission ?? null), actorUserId: access.userId,
          reason: body.reason ?? null, expectedVersion: body.version, action: 'grade',
        });
        if (result.changed) await this.query.upsertMark(manager, { ...markRow, role: 'first' }, true);
        return { result, role: null, changed: result.changed };
      }
      const marks = await this.query.marks(itemId, enrollmentId, manager);
      const own = marks.find((m) => m.markerUserId === access.userId);
      const taken = new Set(marks.map((m) => m.role));
      const role = own?.role ?? (!taken.has('first') ? 'first' : !taken.has('second') ? 'second' : null);
      if (!role) throw markersFull();
      if (own && identicalMark(toMark(own), mark)) return { result: null, role, changed: false };
      await this.query.upsertMark(manager, { ...markRow, role }, false);
      await this.audit.record(access.userId, own ? 'update' : 'create', 'grade_mark', `${itemId}:${enrollmentId}:${role}`, enrollment.districtId,
        own ? { points: own.points, passed: own.passed, criteria: own.criteria } : null, { points: mark.points, passed: mark.passed, criteria: mark.criteria }, manager);
      return { result: null, role, changed: true };
    });
    if (written.result) await this.announceChange(target, written.result);
    return { changed: written.changed, role: written.role };
  }

  /** Saves, then answers the learner's grading view (the API's answer). */
  async saveAndView(access: AccessContext, itemId: string, enrollmentId: string, body: GradeDto) {
    const saved = await this.save(access, itemId, enrollmentId, body);
    return { ...saved, ...(await this.view(access, itemId, enrollmentId)) };
  }

  async reconcileAndView(access: AccessContext, itemId: string, enrollmentId: string, body: ReconcileDto) {
    const saved = await this.reconcile(access, itemId, enrollmentId, body);
    return { ...saved, ...(await this.view(access, itemId, enrollmentId)) };
  }

  /** The agreed grade from the two marks: a trainer's own decision, or `accept` when both marks agree. */
  async reconcile(access: AccessContext, itemId: string, enrollmentId: string, body: ReconcileDto): Promise<{ changed: boolean }> {
    const target = await this.itemFor(access, itemId);
    if (target.item.gradingMethod === 'none') throw notGradable();
    if (!target.item.secondMarking) throw notSecondMarked();
    if (body.accept && (body.criteria !== undefined || body.points !== undefined || body.passed !== undefined)) {
      throw ValidationFailed.field('accept', 'not_allowed', 'accept takes the two marks as they are; send no mark with it');
    }
    const decided = body.accept ? null : await this.checked(target, enrollmentId, body);
    const result = await inTransaction(this.db, async (manager) => {
      const enrollment = await this.learnerOf(target.item, enrollmentId, manager, true);
      const marks = await this.query.marks(itemId, enrollmentId, manager);
      const [first, second] = [marks.find((m) => m.role === 'first'), marks.find((m) => m.role === 'second')];
      if (!first || !second) throw secondMarkMissing();
      if (!decided && !sameMark(toMark(first), toMark(second))) throw marksDiffer();
      const mark = decided ?? acceptedMark(toMark(first), toMark(second));
      const [submission] = await this.query.submissions(itemId, enrollmentId, manager);
      return this.writer.write(manager, {
        itemId, enrollment, values: gradeOf(target.gradable, mark, submission ?? null), actorUserId: access.userId,
        reason: body.reason ?? null, expectedVersion: body.version, action: 'reconcile',
      });
    });
    await this.announceChange(target, result);
    return { changed: result.changed };
  }

  /** Shows agreed grades to learners (all not yet released, or the listed learners'); each learner is told once. */
  async release(access: AccessContext, itemId: string, enrollmentIds?: string[]): Promise<{ released: number; enrollmentIds: string[] }> {
    const target = await this.itemFor(access, itemId);
    if (target.item.gradingMethod === 'none') throw notGradable();
    const rows = await inTransaction(this.db, async (manager) => {
      const released = await this.query.release(manager, itemId, access.userId, enrollmentIds?.map((id) => id.toLowerCase()) ?? null);
      if (released.length) {
        await this.audit.record(access.userId, 'release', 'assessment_item', itemId, target.item.districtId, null,
          { enrollmentIds: released.map((r) => r.enrollmentId) }, manager);
      }
      return released;
    });
    await this.notifier.announce({ kind: 'released', item: target.item, courseTitle: target.context.course.title, learners: rows });
    return { released: rows.length, enrollmentIds: rows.map((r) => r.enrollmentId) };
  }

  /** Validation before any lock: method, learner, then the mark itself (every problem named). */
  private async checked(target: ItemForGrading, enrollmentId: string, body: GradeDto): Promise<Mark> {
    if (target.item.gradingMethod === 'none') throw notGradable();
    await this.learnerOf(target.item, enrollmentId);
    const { mark, problems } = checkMark(target.gradable, body);
    if (!mark) throw new ValidationFailed(problems);
    return mark;
  }

  private async announceChange(target: ItemForGrading, result: GradeWritten): Promise<void> {
    if (!result.changed || !result.released) return;
    await this.notifier.announce({ kind: 'changed', item: target.item, courseTitle: target.context.course.title, learners: [result] });
  }
}

export function itemView({ item, gradable }: ItemForGrading) {
  return {
    id: item.id, offeringId: item.offeringId, kind: item.kind, title: item.title, gradingMethod: item.gradingMethod as GradingMethod,
    maxPoints: item.maxPoints, passPoints: item.passPoints, secondMarking: item.secondMarking, dueAt: item.dueAt,
    latePolicy: item.latePolicy, latePenaltyPercent: item.latePenaltyPercent, criteria: gradable.criteria,
  };
}

export function offeringView(context: OfferingContext) {
  return { id: context.offering.id, code: context.offering.code, label: context.offering.label, courseTitle: context.course.title };
}
