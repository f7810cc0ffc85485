import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Conflict, NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { applicationFor, roundClosed } from './application-views.js';
import { ApplicationsQuery } from './applications.query.js';
import { ProgramNotifier } from './program-notifier.service.js';
import { ProgramsDirectory } from './programs-directory.service.js';
import { Program } from './programs.entities.js';
import { aggregateScore, maxTotal, scoreProblems, weightedTotal } from './review-rules.js';
import { ReviewsQuery } from './reviews.query.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** After the round closes nothing about the selection changes: assignments, scores and decisions are frozen. */
export const roundIsClosed = (status: string) =>
  new Conflict('ROUND_CLOSED', 'The round is closed: assignments, scores and decisions no longer change', { status });

/** Expert review: district staff assign reviewers; each reviewer scores their applications against the program's criteria. */
@Injectable()
export class ReviewsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly directory: ProgramsDirectory,
    private readonly query: ReviewsQuery,
    private readonly applications: ApplicationsQuery,
    private readonly notifier: ProgramNotifier,
    private readonly audit: AuditService,
  ) {}

  /** Assigns every named reviewer to every named application; pairs assigned already stay as they are. */
  async assign(access: AccessContext, programId: string, body: Record<string, unknown>): Promise<{ assigned: number }> {
    const program = await this.directory.forManager(access, programId);
    const path = await this.directory.districtPath(program);
    const problems: FieldProblem[] = [];
    const ids = (field: string, max: number): string[] => {
      const value = body[field];
      if (!Array.isArray(value) || value.length === 0) problems.push({ field, code: 'arrayNotEmpty', message: `${field} must name at least one id` });
      else if (value.length > max) problems.push({ field, code: 'arrayMaxSize', message: `at most ${max} at once` });
      else return value.map((v, i) => {
        if (typeof v === 'string' && UUID.test(v)) return v.toLowerCase();
        problems.push({ field: `${field}[${i}]`, code: 'isUUID', message: 'must be an id' });
        return '';
      });
      return [];
    };
    const applicationIds = ids('applicationIds', 1000);
    const reviewerUserIds = ids('reviewerUserIds', 50);
    for (const key of Object.keys(body)) if (!['applicationIds', 'reviewerUserIds'].includes(key)) problems.push({ field: key, code: 'unknown_field', message: `${key} is not an allowed field` });
    if (problems.length) throw new ValidationFailed(problems);
    const choices = new Set((await this.query.reviewerChoices(path)).map((r) => r.userId));
    reviewerUserIds.forEach((id, i) => {
      if (!choices.has(id)) problems.push({ field: `reviewerUserIds[${i}]`, code: 'not_a_reviewer', message: 'not a reviewer for this district' });
    });
    const added = await this.db.transaction(async (manager) => {
      const locked = await this.lockProgram(manager, programId, 'pessimistic_read');
      if (locked.status !== 'published') throw roundIsClosed(locked.status);
      const rows: Array<{ id: string }> = await manager.query(
        `SELECT id FROM program_application WHERE program_id = $1 AND id = ANY($2::uuid[]) AND status <> 'withdrawn'`, [programId, applicationIds]);
      const open = new Set(rows.map((r) => r.id));
      applicationIds.forEach((id, i) => {
        if (!open.has(id)) problems.push({ field: `applicationIds[${i}]`, code: 'not_found', message: 'not an open application of this program' });
      });
      if (problems.length) throw new ValidationFailed(problems);
      const inserted: Array<{ application_id: string }> = await manager.query(
        `INSERT INTO program_review_assignment (application_id, reviewer_user_id, program_id, assigned_by)
         SELECT a, r, $3, $4 FROM unnest($1::uuid[]) a CROSS JOIN unnest($2::uuid[]) r
         ON CONFLICT DO NOTHING RETURNING application_id`, [[...new Set(applicationIds)], [...new Set(reviewerUserIds)], programId, access.userId]);
      await this.audit.record(access.userId, 'assign_reviewers', 'program', programId, program.districtId, null,
        { applicationIds, reviewerUserIds, added: inserted.length }, manager);
      return inserted.length;
    });
    if (added) await this.notifier.assigned(program, [...new Set(reviewerUserIds)], [...new Set(applicationIds)]);
    return { assigned: added };
  }

  /** Takes an application off a reviewer's list, unless they have scored it. */
  async unassign(access: AccessContext, applicationId: string, reviewerUserId: string): Promise<void> {
    const app = await this.applications.detail(applicationId);
    if (!app || !access.canAt('programs.manage', app.districtPath)) throw new NotFound('program_application', applicationId);
    await this.db.transaction(async (manager) => {
      const program = await this.lockProgram(manager, app.programId, 'pessimistic_read');
      if (program.status !== 'published') throw roundIsClosed(program.status);
      const scored = await manager.query('SELECT 1 FROM program_review_score WHERE application_id = $1 AND reviewer_user_id = $2', [applicationId, reviewerUserId]);
      if (scored.length) throw new Conflict('REVIEW_SCORED', 'The reviewer has scored this application; the assignment stays');
      const [, count] = await manager.query('DELETE FROM program_review_assignment WHERE application_id = $1 AND reviewer_user_id = $2', [applicationId, reviewerUserId]);
      if (!count) throw new NotFound('program_review_assignment');
      await this.audit.record(access.userId, 'unassign_reviewer', 'program_application', applicationId, app.districtId, { reviewerUserId }, null, manager);
    });
  }

  inbox(access: AccessContext) {
    return this.query.inbox(access.userId);
  }

  /**
   * An application as its reviewer (or district staff) sees it: the dossier, the criteria and the
   * reviewer's own score. Other reviewers' scores only once the round is closed; district staff see them all.
   */
  async review(access: AccessContext, applicationId: string) {
    const app = await this.applications.detail(applicationId);
    if (!app) throw new NotFound('program_application', applicationId);
    const manager = access.canAt('programs.manage', app.districtPath);
    const assigned = await this.query.isAssigned(applicationId, access.userId);
    if (!manager && !assigned) throw new NotFound('program_application', applicationId);
    const program = (await this.directory.get(app.programId))!;
    const scores = await this.query.scores(applicationId);
    const closed = roundClosed(program.status);
    return {
      application: applicationFor(app, manager ? 'manager' : 'reviewer'),
      program: { id: program.id, nameZh: program.nameZh, nameEn: program.nameEn, status: program.status, criteria: program.criteria, maxTotal: maxTotal(program.criteria) },
      assigned,
      canScore: assigned && program.status === 'published' && app.status !== 'withdrawn',
      myScore: scores.find((s) => s.reviewerUserId === access.userId) ?? null,
      scores: manager || closed ? scores : scores.filter((s) => s.reviewerUserId === access.userId),
    };
  }

  /** The reviewer's score (a revision replaces it) while the round is open; the application's aggregate follows. */
  async score(access: AccessContext, applicationId: string, body: Record<string, unknown>) {
    const app = await this.applications.detail(applicationId);
    if (!app || !(await this.query.isAssigned(applicationId, access.userId))) throw new NotFound('program_application', applicationId);
    const program = (await this.directory.get(app.programId))!;
    const problems = scoreProblems(program.criteria, body.scores);
    const comment = typeof body.comment === 'string' ? body.comment.trim() : body.comment === undefined || body.comment === null ? '' : null;
    if (comment === null || comment.length > 2000) problems.push({ field: 'comment', code: 'maxLength', message: 'the comment is text of at most 2000 characters' });
    for (const key of Object.keys(body)) if (!['scores', 'comment'].includes(key)) problems.push({ field: key, code: 'unknown_field', message: `${key} is not an allowed field` });
    if (problems.length) throw new ValidationFailed(problems);
    const scores = body.scores as Record<string, number>;
    await this.db.transaction(async (manager) => {
      // Shares the program row with other reviewers; closing the round waits for (and then refuses) scoring.
      const locked = await this.lockProgram(manager, app.programId, 'pessimistic_read');
      if (locked.status !== 'published') throw roundIsClosed(locked.status);
      const status: Array<{ status: string }> = await manager.query('SELECT status FROM program_application WHERE id = $1 FOR UPDATE', [applicationId]);
      if (status[0]?.status === 'withdrawn') throw new Conflict('APPLICATION_WITHDRAWN', 'The application was withdrawn');
      const total = weightedTotal(locked.criteria, scores);
      await manager.query(
        `INSERT INTO program_review_score (application_id, reviewer_user_id, scores, total, comment) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (application_id, reviewer_user_id) DO UPDATE SET scores = EXCLUDED.scores, total = EXCLUDED.total, comment = EXCLUDED.comment, updated_at = now()`,
        [applicationId, access.userId, JSON.stringify(scores), total, comment || null]);
      await this.refreshScore(manager, locked, applicationId);
      await this.audit.record(access.userId, 'score', 'program_application', applicationId, app.districtId, null, { scores, total }, manager);
    });
    return this.review(access, applicationId);
  }

  /** The application's aggregate from its reviewers' totals (mean, trimmed from `trimFromReviewers` scores on). */
  async refreshScore(manager: EntityManager, program: Program, applicationId: string): Promise<void> {
    const rows: Array<{ total: number }> = await manager.query('SELECT total::float AS total FROM program_review_score WHERE application_id = $1', [applicationId]);
    const score = aggregateScore(rows.map((r) => r.total), program.trimFromReviewers);
    await manager.query('UPDATE program_application SET score = $2, reviewer_count = $3 WHERE id = $1', [applicationId, score, rows.length]);
  }

  private async lockProgram(manager: EntityManager, id: string, mode: 'pessimistic_read' | 'pessimistic_write'): Promise<Program> {
    return manager.findOneOrFail(Program, { where: { id }, lock: { mode } });
  }
}
