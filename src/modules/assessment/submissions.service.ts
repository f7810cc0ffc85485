import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound, ValidationFailed } from '../../common/errors.js';
import { FileAccessRegistry } from '../files/file-access.registry.js';
import { FileStorageService } from '../files/file-storage.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { itemNotSubmittable, submissionAlreadyGraded, submissionLateRefused } from './assessment-errors.js';
import { Submission, type AssessmentItem, type SurveyAnswers } from './assessment.entities.js';
import { CompletionService } from './completion.service.js';
import type { LearnerEnrollment } from './items.query.js';
import { LEARNER_STATUSES } from './items.query.js';
import { ItemsService } from './items.service.js';
import { bodyOf, contentProblems, lateness, sameContent } from './submission-rules.js';
import type { FilesUpload } from '../files/upload-parser.js';
import { SubmissionsQuery, type AttemptRow, type SubmissionPlace } from './submissions.query.js';

/** One attempt as the API shows it. */
export function attemptView(row: AttemptRow) {
  return {
    id: row.id, itemId: row.itemId, enrollmentId: row.enrollmentId, attempt: row.attempt, body: row.body, answers: row.answers,
    submittedAt: row.submittedAt, late: row.late,
    files: row.files.map((f) => ({ id: f.id, name: f.name, contentType: f.contentType, sizeBytes: Number(f.sizeBytes) })),
  };
}
export type AttemptView = ReturnType<typeof attemptView>;

export interface Handed {
  submission: AttemptView;
  /** False when the same work was already the latest attempt (nothing new was stored). */
  created: boolean;
}

/** What a new attempt holds once checked. */
export interface NewAttempt {
  body: string | null;
  answers: SurveyAnswers | null;
  files: FilesUpload['files'];
}

/**
 * Learners' submissions: every attempt kept, one at a time per learner and item (an advisory lock),
 * files stored in the same transaction (their bytes discarded if it rolls back), and completion
 * evaluated once the attempt is committed.
 */
@Injectable()
export class SubmissionsService implements OnModuleInit {
  private readonly logger = new Logger('Submissions');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: SubmissionsQuery,
    private readonly items: ItemsService,
    private readonly files: FileStorageService,
    private readonly fileAccess: FileAccessRegistry,
    private readonly completion: CompletionService,
  ) {}

  onModuleInit(): void {
    this.fileAccess.register('submission', async (access, file) => {
      const place = await this.query.placeOfFile(file.id);
      return !!place && this.mayRead(access, place);
    });
  }

  /** Text and/or files for an assignment; the same work again answers the latest attempt unchanged. */
  async submit(access: AccessContext, itemId: string, request: Record<string, unknown>, upload: FilesUpload): Promise<Handed> {
    const { item, enrollment } = await this.items.forLearner(access, itemId);
    if (item.kind !== 'assignment') throw itemNotSubmittable(item.kind);
    const now = new Date();
    if (lateness(item, now).refused) throw submissionLateRefused(item.dueAt!);
    // A request cut short by an oversized or broken upload cannot be judged field by field.
    if (upload.problem && upload.problem.code !== 'unknown_field') throw new ValidationFailed([upload.problem]);
    const rawBody = request.body;
    const body = bodyOf(rawBody);
    const problems = [
      ...Object.keys(request).filter((key) => key !== 'body').map((key) => ({ field: key, code: 'unknown_field', message: `${key} is not an allowed field` })),
      ...(upload.problem ? [upload.problem] : []), ...contentProblems(item, rawBody, { body, fileCount: upload.files.length }),
    ];
    if (!problems.length) {
      upload.files.forEach((file, index) => problems.push(
        ...this.files.inspect(file.buffer, 'submission', `files[${index}]`, { types: item.allowedFileTypes, maxBytes: item.maxFileBytes })));
    }
    if (problems.length) throw new ValidationFailed(problems);
    return this.record(access, item, enrollment, now, { body, answers: null, files: upload.files }, (latest) => {
      const hashes = upload.files.map((f) => createHash('sha256').update(f.buffer).digest('hex'));
      return sameContent({ body: latest.body, hashes: latest.files.map((f) => f.sha256) }, { body, hashes });
    });
  }

  /**
   * Writes the next attempt under the learner's lock, unless the item is graded for them (refused) or
   * `same` says the latest attempt already is this one. Shared by assignments and survey responses.
   */
  async record(
    access: AccessContext, item: AssessmentItem, enrollment: LearnerEnrollment, now: Date, attempt: NewAttempt,
    same: (latest: AttemptRow) => boolean, beforeWrite?: (latest: AttemptRow | null) => void,
  ): Promise<Handed> {
    const written: StoredFile[] = [];
    let outcome: { id: string; created: boolean };
    try {
      outcome = await this.db.transaction(async (manager: EntityManager) => {
        await this.query.lockAttempts(manager, item.id, enrollment.id);
        const latest = await this.query.latest(manager, item.id, enrollment.id);
        if (latest && same(latest)) return { id: latest.id, created: false };
        beforeWrite?.(latest);
        if (await this.query.gradeExists(manager, item.id, enrollment.id)) throw submissionAlreadyGraded();
        const fileIds: string[] = [];
        for (const [index, file] of attempt.files.entries()) {
          const stored = await this.files.put(file.buffer, {
            originalName: file.originalName, contentType: file.contentType, purpose: 'submission', ownerUserId: access.userId,
            districtId: enrollment.districtId, field: `files[${index}]`, limits: { types: item.allowedFileTypes, maxBytes: item.maxFileBytes },
          }, manager);
          written.push(stored);
          fileIds.push(stored.id);
        }
        const repository = manager.getRepository(Submission);
        const row = await repository.save(repository.create({
          itemId: item.id, enrollmentId: enrollment.id, personId: enrollment.personId, districtId: enrollment.districtId,
          attempt: (latest?.attempt ?? 0) + 1, body: attempt.body, fileIds, answers: attempt.answers, submittedAt: now,
          late: lateness(item, now).late, submittedBy: access.userId,
        }));
        return { id: row.id, created: true };
      });
    } catch (error) {
      // The attempt was not stored, so neither are its bytes.
      for (const file of written) await this.files.discard(file);
      throw error;
    }
    if (outcome.created) await this.evaluateCompletion(enrollment.id);
    const rows = await this.query.attempts(item.id, enrollment.id);
    return { submission: attemptView(rows.find((r) => r.id === outcome.id)!), created: outcome.created };
  }

  /** Each learner of the offering with their latest attempt, or none. */
  async roster(access: AccessContext, itemId: string) {
    const { item, context } = await this.items.forTeaching(access, itemId);
    const rows = await this.query.roster(item.id, item.offeringId, LEARNER_STATUSES);
    return {
      item: { id: item.id, kind: item.kind, title: item.title, dueAt: item.dueAt, latePolicy: item.latePolicy, archived: !!item.archivedAt },
      offering: { id: context.offering.id, courseTitle: context.course.title },
      learners: rows.map((r) => ({
        enrollmentId: r.enrollmentId, personId: r.personId, fullName: r.fullName, kindergarten: r.kindergarten,
        status: r.submissionId ? 'submitted' : 'missing', graded: r.graded, released: r.released,
        latest: r.submissionId ? {
          id: r.submissionId, attempt: r.attempt, submittedAt: r.submittedAt, late: r.late,
          files: r.files.map((f) => ({ id: f.id, name: f.name })),
        } : null,
        attempts: r.attempts,
      })),
    };
  }

  /** A submission with every attempt: for its learner and the offering's trainers (never a survey response's author to them). */
  async get(access: AccessContext, submissionId: string) {
    const place = await this.query.place(submissionId);
    if (!place || !(await this.mayRead(access, place))) throw new NotFound('submission', submissionId);
    const [attempts, learner] = await Promise.all([this.query.attempts(place.itemId, place.enrollmentId), this.query.learnerName(place.enrollmentId)]);
    return { id: place.id, itemId: place.itemId, enrollmentId: place.enrollmentId, learner, attempts: attempts.map(attemptView) };
  }

  /** Every attempt of the caller at an item (newest first). */
  async attemptsOf(enrollmentId: string, itemId: string): Promise<AttemptView[]> {
    return (await this.query.attempts(itemId, enrollmentId)).map(attemptView);
  }

  private async mayRead(access: AccessContext, place: SubmissionPlace): Promise<boolean> {
    if (access.isSelf(place.personId)) return true;
    // A survey response is anonymous to trainers: they see only the aggregated results.
    if (place.kind === 'survey' || !access.can('offering.teach')) return false;
    try {
      await this.items.forTeaching(access, place.itemId);
      return true;
    } catch (error) {
      if (error instanceof NotFound) return false;
      throw error;
    }
  }

  /** A failure here never undoes the committed work; the completion sweep evaluates the enrolment again later. */
  private async evaluateCompletion(enrollmentId: string): Promise<void> {
    try {
      await this.completion.evaluate([enrollmentId]);
    } catch (error) {
      this.logger.error(`completion of ${enrollmentId} not evaluated after a submission: ${(error as Error).message}`);
    }
  }
}
