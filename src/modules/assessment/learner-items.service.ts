import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, type DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { OfferingDirectory } from '../catalog/offering-directory.service.js';
import { AssessmentItem } from './assessment.entities.js';
import { ItemsQuery } from './items.query.js';
import { ItemsService } from './items.service.js';
import { dueState, learnerStatus, submitBlock } from './submission-rules.js';
import { attemptView, SubmissionsService } from './submissions.service.js';
import { SubmissionsQuery, type AttemptRow, type GradeRow } from './submissions.query.js';

/**
 * What a learner sees of an offering's items: due state, their own attempts, whether they can still
 * hand in, and a grade only once it is released (an unreleased grade is not even mentioned).
 */
@Injectable()
export class LearnerItemsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly items: ItemsService,
    private readonly itemsQuery: ItemsQuery,
    private readonly query: SubmissionsQuery,
    private readonly submissions: SubmissionsService,
    private readonly offerings: OfferingDirectory,
  ) {}

  async myItems(access: AccessContext, offeringId: string) {
    const enrollment = await this.itemsQuery.learnerEnrollment(access.personId, offeringId);
    if (!enrollment) throw new NotFound('offering', offeringId);
    const [context, items, latest, grades] = await Promise.all([
      this.offerings.context(offeringId),
      this.db.manager.find(AssessmentItem, { where: { offeringId, archivedAt: IsNull() }, order: { position: 'ASC', createdAt: 'ASC' } }),
      this.query.latestOfEnrollment(enrollment.id),
      this.query.grades(enrollment.id),
    ]);
    const now = new Date();
    return {
      offering: { id: offeringId, courseTitle: context.course.title, label: context.offering.label },
      enrollmentId: enrollment.id,
      items: items.map((item) => learnerItemView(item, latest.find((l) => l.itemId === item.id) ?? null, grades.find((g) => g.itemId === item.id) ?? null, now, {})),
    };
  }

  /** One item with the learner's whole attempt history (newest first) and the released grade's criteria named. */
  async myItem(access: AccessContext, itemId: string) {
    const { item, enrollment } = await this.items.forLearner(access, itemId);
    const [context, attempts, grades, titles] = await Promise.all([
      this.offerings.context(item.offeringId),
      this.submissions.attemptsOf(enrollment.id, item.id),
      this.query.grades(enrollment.id),
      this.itemsQuery.criterionTitles(item.rubricId),
    ]);
    const latest = (await this.query.latestOfEnrollment(enrollment.id)).find((l) => l.itemId === item.id) ?? null;
    return {
      offering: { id: item.offeringId, courseTitle: context.course.title, label: context.offering.label },
      enrollmentId: enrollment.id,
      item: learnerItemView(item, latest, grades.find((g) => g.itemId === item.id) ?? null, new Date(), titles),
      attempts,
    };
  }
}

export function learnerItemView(item: AssessmentItem, latest: (AttemptRow & { attempts: number }) | null, grade: GradeRow | null, now: Date, titles: Record<string, string>) {
  const released = !!grade?.releasedAt;
  // An unreleased grade leaves no trace here, not even in whether the learner may still hand in.
  const block = submitBlock(item, now, { graded: released, attempts: latest?.attempts ?? 0 });
  return {
    id: item.id, offeringId: item.offeringId, kind: item.kind, title: item.title, instructions: item.instructions, position: item.position,
    dueAt: item.dueAt, dueState: dueState(item, now), latePolicy: item.latePolicy, latePenaltyPercent: item.latePenaltyPercent,
    submissionModes: item.submissionModes, allowedFileTypes: item.allowedFileTypes, maxFileBytes: item.maxFileBytes, maxFiles: item.maxFiles,
    gradingMethod: item.gradingMethod, maxPoints: item.maxPoints, passPoints: item.passPoints,
    questions: item.kind === 'survey' ? item.questions : [],
    status: learnerStatus(latest, released),
    latest: latest ? attemptView(latest) : null,
    attempts: latest?.attempts ?? 0,
    canSubmit: block === null,
    blockedBy: block,
    grade: released && grade ? {
      points: grade.points, maxPoints: item.maxPoints, passed: grade.passed, feedback: grade.feedback, releasedAt: grade.releasedAt,
      criteria: grade.criteria.map((c) => ({ criterionId: c.criterionId, title: titles[c.criterionId] ?? c.criterionId, levelId: c.levelId ?? null, points: c.points, comment: c.comment ?? null })),
    } : null,
  };
}
export type LearnerItemView = ReturnType<typeof learnerItemView>;
