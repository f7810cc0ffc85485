import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Conflict, DomainError, Forbidden, NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { createValidationPipe } from '../../common/validation.js';
import { AuditService } from '../audit/audit.service.js';
import type { FilesUpload } from '../files/upload-parser.js';
import { FileAccessRegistry } from '../files/file-access.registry.js';
import { FileStorageService } from '../files/file-storage.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { ActivitiesQuery, type ActivityView } from './activities.query.js';
import { LogActivityDto, termProblem } from './activity.dto.js';
import { MAX_EVIDENCE_FILES, actorProblem, confirmRefusal, futureDateProblem, isSameLog, sideOf, withinPeriod, type Parties } from './activity-rules.js';
import { MentoringActivity } from './mentoring.entities.js';
import { MentoringNotifier } from './mentoring-notifier.service.js';
import { PairingsDirectory, type PairingContext } from './pairings-directory.service.js';
import { termProgress, type TermProgress } from './progress.js';
import { termOf } from './terms.js';

export interface LogAnswer {
  activity: ActivityView;
  /** False when the same log was just made and the earlier one is answered. */
  created: boolean;
}

export const partiesOf = (context: PairingContext): Parties => ({
  menteePersonId: context.pairing.menteePersonId, mentorPersonIds: context.links.map((l) => l.mentorPersonId),
});

const partyOnly = () => new Forbidden('MENTORING_PARTY_ONLY', 'Only the mentee and the mentors of the pairing do this');

/** Activities logged by one side of a pairing and confirmed (or disputed) by the other; only confirmed ones count. */
@Injectable()
export class ActivitiesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: ActivitiesQuery,
    private readonly pairings: PairingsDirectory,
    private readonly files: FileStorageService,
    private readonly fileAccess: FileAccessRegistry,
    private readonly audit: AuditService,
    private readonly notifier: MentoringNotifier,
  ) {}

  onModuleInit(): void {
    this.fileAccess.register('mentoring_evidence', (access, file) => this.mayReadEvidence(access, file));
  }

  /** Checks every field and file first; only then stores the files and the log together. */
  async log(access: AccessContext, pairingId: string, body: Record<string, unknown>, upload: FilesUpload): Promise<LogAnswer> {
    const context = await this.pairings.context(access, pairingId);
    if (context.as === 'admin' || !access.personId) throw partyOnly();
    if (upload.problem && ['FILE_TOO_LARGE', 'UPLOAD_MALFORMED'].includes(upload.problem.code)) throw new ValidationFailed([upload.problem]);
    const problems: FieldProblem[] = [];
    let input: LogActivityDto | null = null;
    try {
      input = (await createValidationPipe().transform(body ?? {}, { type: 'body', metatype: LogActivityDto, data: '' })) as LogActivityDto;
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      problems.push(...error.problems);
    }
    if (upload.problem) problems.push(upload.problem);
    if (upload.files.length > MAX_EVIDENCE_FILES) problems.push({ field: 'files', code: 'TOO_MANY_FILES', message: `At most ${MAX_EVIDENCE_FILES} files` });
    upload.files.forEach((file, i) => problems.push(...this.files.inspect(file.buffer, 'mentoring_evidence', `files[${i}]`)));
    const today = shanghaiDate();
    const actorPersonId = input?.actorPersonId ?? access.personId;
    if (input) {
      const actor = actorProblem(input.kind, actorPersonId, partiesOf(context));
      const future = futureDateProblem(input.occurredOn, today);
      for (const problem of [actor, future]) if (problem) problems.push(problem);
    }
    if (problems.length || !input) throw new ValidationFailed(problems);

    const { pairing } = context;
    if (pairing.status !== 'active') throw new DomainError('PAIRING_NOT_ACTIVE', 422, 'Activities are logged only in an active pairing', { status: pairing.status });
    if (!withinPeriod(input.occurredOn, pairing.startsOn, pairing.endsOn)) {
      throw new DomainError('ACTIVITY_OUTSIDE_PERIOD', 422, `occurredOn must lie within the pairing period ${pairing.startsOn} to ${pairing.endsOn}`,
        { field: 'occurredOn', startsOn: pairing.startsOn, endsOn: pairing.endsOn }, { startsOn: pairing.startsOn, endsOn: pairing.endsOn });
    }
    const key = { kind: input.kind, actorPersonId, occurredOn: input.occurredOn, durationMinutes: input.durationMinutes, notes: input.notes ?? null, loggedByPersonId: access.personId };
    const written: StoredFile[] = [];
    try {
      const outcome = await this.db.transaction(async (manager) => {
        // Two identical submissions at once: the second waits here and then finds the first.
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`mentoring_activity:${pairingId}:${access.personId}`]);
        const recent = await manager.getRepository(MentoringActivity).createQueryBuilder('a')
          .where('a.pairing_id = :pairingId AND a.logged_by_person_id = :personId', { pairingId, personId: access.personId })
          .orderBy('a.created_at', 'DESC').limit(20).getMany();
        const now = new Date();
        const same = recent.find((a) => isSameLog(a, key, now));
        if (same) return { id: same.id, created: false };
        for (const [i, file] of upload.files.entries()) {
          written.push(await this.files.put(file.buffer, {
            originalName: file.originalName, contentType: file.contentType, purpose: 'mentoring_evidence',
            ownerUserId: access.userId, districtId: pairing.districtId, field: `files[${i}]`,
          }, manager));
        }
        const activities = manager.getRepository(MentoringActivity);
        const saved = await activities.save(activities.create({
          ...key, pairingId, districtId: pairing.districtId, term: termOf(input.occurredOn), evidenceFileIds: written.map((f) => f.id), status: 'logged',
        }));
        await this.audit.record(access.userId, 'mentoring.activity.log', 'mentoring_activity', saved.id, pairing.districtId, null,
          { ...key, pairingId, term: saved.term, evidenceFileIds: saved.evidenceFileIds }, manager);
        return { id: saved.id, created: true };
      });
      const activity = (await this.query.view(outcome.id))!;
      if (outcome.created) await this.notifier.activityLogged(context, activity);
      return { activity, created: outcome.created };
    } catch (error) {
      for (const file of written) await this.files.discard(file);
      throw error;
    }
  }

  confirm(access: AccessContext, activityId: string): Promise<ActivityView> {
    return this.answer(access, activityId, null);
  }

  dispute(access: AccessContext, activityId: string, reason: string): Promise<ActivityView> {
    return this.answer(access, activityId, reason);
  }

  /** A pairing's log (one term's when given): its parties and admins in scope. */
  async list(access: AccessContext, pairingId: string, term?: string): Promise<ActivityView[]> {
    await this.pairings.context(access, pairingId);
    const problem = term === undefined ? null : termProblem(term);
    if (problem) throw new ValidationFailed([problem]);
    return this.query.list(pairingId, term);
  }

  /** Progress of one term (default: the current one) against the district's targets. */
  async progress(access: AccessContext, pairingId: string, term?: string): Promise<TermProgress> {
    const context = await this.pairings.context(access, pairingId);
    const problem = term === undefined ? null : termProblem(term);
    if (problem) throw new ValidationFailed([problem]);
    return this.progressOf(context, term ?? termOf(shanghaiDate()));
  }

  /** Confirmed activities of the term counted against the rule's targets (in `manager`'s transaction when given). */
  async progressOf(context: PairingContext, term: string, manager?: EntityManager): Promise<TermProgress> {
    const rule = await this.pairings.ruleFor(context.pairing.districtId, manager);
    const parties = partiesOf(context);
    const confirmed = await this.query.confirmed(context.pairing.id, term, manager);
    return termProgress(term, rule.termTargets, confirmed.flatMap((a) => {
      const side = sideOf(a.actorPersonId, parties);
      return side ? [{ kind: a.kind, actorSide: side }] : [];
    }));
  }

  /**
   * The other side's answer to a log under its row lock: confirming (reason null) or disputing. The
   * same answer again changes nothing; a confirmed log is not disputed afterwards.
   */
  private async answer(access: AccessContext, activityId: string, reason: string | null): Promise<ActivityView> {
    const pairingId = await this.query.pairingOf(activityId);
    if (!pairingId) throw new NotFound('mentoring_activity', activityId);
    const context = await this.pairings.context(access, pairingId);
    if (context.as === 'admin' || !access.personId) throw partyOnly();
    await this.db.transaction(async (manager) => {
      const activities = manager.getRepository(MentoringActivity);
      const activity = (await activities.findOne({ where: { id: activityId }, lock: { mode: 'pessimistic_write' } }))!;
      const refusal = confirmRefusal(activity.loggedByPersonId, access.personId!, partiesOf(context));
      if (refusal === 'CANNOT_CONFIRM_OWN_LOG') throw new DomainError(refusal, 422, 'The other side confirms a log, not the one who made it');
      if (refusal) throw new DomainError(refusal, 422, 'A log is confirmed by the other side: the mentee for a mentor\'s log, a mentor for the mentee\'s');
      if (!['active', 'ended'].includes(context.pairing.status)) throw new DomainError('PAIRING_NOT_ACTIVE', 422, 'The pairing is not active');
      const before = { status: activity.status, disputeReason: activity.disputeReason };
      if (reason === null) {
        if (activity.status === 'confirmed') return;
        await activities.update({ id: activityId }, { status: 'confirmed', confirmedByPersonId: access.personId, confirmedAt: new Date(), disputeReason: null });
        await this.audit.record(access.userId, 'mentoring.activity.confirm', 'mentoring_activity', activityId, activity.districtId, before, { status: 'confirmed' }, manager);
      } else {
        if (activity.status === 'confirmed') throw new Conflict('ACTIVITY_ALREADY_CONFIRMED', 'A confirmed log cannot be disputed');
        if (activity.status === 'disputed' && activity.disputeReason === reason) return;
        await activities.update({ id: activityId }, { status: 'disputed', disputeReason: reason });
        await this.audit.record(access.userId, 'mentoring.activity.dispute', 'mentoring_activity', activityId, activity.districtId, before,
          { status: 'disputed', disputeReason: reason }, manager);
      }
    });
    return (await this.query.view(activityId))!;
  }

  /** Evidence is for the pairing's people and admins over a kindergarten involved. */
  private async mayReadEvidence(access: AccessContext, file: StoredFile): Promise<boolean> {
    const pairingId = await this.query.pairingOfEvidence(file.id);
    if (!pairingId) return false;
    return this.pairings.context(access, pairingId).then(() => true, () => false);
  }
}
