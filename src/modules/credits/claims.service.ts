import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Conflict, Forbidden, NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { createValidationPipe } from '../../common/validation.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { FileAccessRegistry } from '../files/file-access.registry.js';
import { FileStorageService } from '../files/file-storage.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import type { UploadState } from '../files/upload-parser.js';
import { NotificationService } from '../notifications/notification.service.js';
import { ClaimDecisionDto, SubmitClaimDto, type ClaimDecision } from './claims.dto.js';
import { ClaimsQuery, type ClaimView } from './claims.query.js';
import { CreditConversionService } from './credit-conversion.service.js';
import { CreditClaim, type ClaimStatus } from './credit.entities.js';
import { amountProblem, occurredOnProblem } from './ledger-rules.js';
import { LedgerService } from './ledger.service.js';

export type ClaimStep = 'review' | 'decide';

export interface ClaimStepAnswer {
  claim: ClaimView;
  /** False when the same decision was already taken at this step (nothing changed). */
  changed: boolean;
}

const duplicate = () => new Conflict('CLAIM_DUPLICATE_CERTIFICATE', 'You have already claimed this certificate');
const STEP_PERMISSION = { review: 'claims.review', decide: 'claims.decide' } as const;
const STEP_STATUS: Record<ClaimStep, ClaimStatus> = { review: 'submitted', decide: 'kindergarten_approved' };

/**
 * Claims for training done elsewhere: the learner submits with a certificate file, the kindergarten
 * reviews, the district decides; an approved claim becomes one ledger entry in the same transaction.
 */
@Injectable()
export class ClaimsService implements OnModuleInit {
  private readonly logger = new Logger('Claims');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: ClaimsQuery,
    private readonly files: FileStorageService,
    private readonly fileAccess: FileAccessRegistry,
    private readonly ledger: LedgerService,
    private readonly conversion: CreditConversionService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
  ) {}

  onModuleInit(): void {
    this.fileAccess.register('claim_evidence', (access, file) => this.mayReadEvidence(access, file));
  }

  /** Checks every field and the file first; only then stores the file and the claim, together. */
  async submit(access: AccessContext, body: Record<string, unknown>, upload: UploadState): Promise<ClaimView> {
    if (!access.personId) throw new Forbidden('CLAIM_NO_PERSON', 'Only staff with a personal record can claim credits');
    // A body cut short by an oversized or broken upload cannot be judged field by field.
    if (upload.problem && ['FILE_TOO_LARGE', 'UPLOAD_MALFORMED'].includes(upload.problem.code)) throw new ValidationFailed([upload.problem]);
    const problems: FieldProblem[] = [];
    let input: SubmitClaimDto | null = null;
    try {
      input = (await createValidationPipe().transform(body ?? {}, { type: 'body', metatype: SubmitClaimDto, data: '' })) as SubmitClaimDto;
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      problems.push(...error.problems);
    }
    if (upload.problem) problems.push(upload.problem);
    else if (!upload.file) problems.push({ field: 'evidence', code: 'EVIDENCE_REQUIRED', message: 'Attach the certificate (PDF, JPEG or PNG) as evidence' });
    else problems.push(...this.files.inspect(upload.file.buffer, 'claim_evidence', 'evidence'));
    const dateProblem = problems.some((p) => p.field === 'occurredOn') ? null : occurredOnProblem(input?.occurredOn ?? body?.occurredOn, shanghaiDate());
    if (dateProblem) problems.push(dateProblem);
    if (problems.length || !input || !upload.file) throw new ValidationFailed(problems);

    const claimant = await this.query.claimant(access.personId);
    if (!claimant) throw new NotFound('person', access.personId);
    const credits = input.credits ?? await this.conversion.creditsFor(claimant.orgPath, input.hours, 'other', input.occurredOn);
    if (credits === null) throw ValidationFailed.field('credits', 'CREDITS_RULE_MISSING', 'No hours-to-credits rule applies here; give the credits');
    const tooMany = amountProblem('credits', credits);
    if (tooMany) throw new ValidationFailed([tooMany]);
    if (await this.query.liveClaimWithCertificate(access.personId, input.certificateNumber)) throw duplicate();

    const file = upload.file;
    const written: StoredFile[] = [];
    let id: string;
    try {
      id = await this.db.transaction(async (manager) => {
        const evidence = await this.files.put(file.buffer, {
          originalName: file.originalName, contentType: file.contentType, purpose: 'claim_evidence',
          ownerUserId: access.userId, districtId: claimant.districtId, field: 'evidence',
        }, manager);
        written.push(evidence);
        const claims = manager.getRepository(CreditClaim);
        const claim = await claims.save(claims.create({
          personId: access.personId!, districtId: claimant.districtId, kindergartenId: claimant.kindergartenId,
          title: input.title, provider: input.provider, certificateNumber: input.certificateNumber, hours: input.hours, credits,
          category: input.category, level: input.level, occurredOn: input.occurredOn, evidenceFileId: evidence.id, status: 'submitted',
        }));
        await this.audit.record(access.userId, 'create', 'credit_claim', claim.id, claimant.districtId, null, { ...claim }, manager);
        return claim.id;
      });
    } catch (error) {
      // The claim was not stored, so neither are its bytes.
      for (const evidence of written) await this.files.discard(evidence);
      const driver = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
      if (driver?.code === '23505' && driver.constraint === 'credit_claim_certificate_idx') throw duplicate();
      throw error;
    }
    return (await this.query.view(id))!;
  }

  async mine(access: AccessContext, page: number, pageSize: number) {
    if (!access.personId) return { items: [], total: 0, page, pageSize };
    return { ...(await this.query.list({ personId: access.personId, page, pageSize })), page, pageSize };
  }

  /**
   * What waits for the caller: the district's deciders see claims their kindergartens passed; kindergarten
   * reviewers see new claims of their staff. Either may ask for another status (or 'all') within scope.
   */
  async inbox(access: AccessContext, status: ClaimStatus | 'all' | undefined, page: number, pageSize: number) {
    const step: ClaimStep = access.can('claims.decide') ? 'decide' : 'review';
    const shown = status === 'all' ? undefined : status ?? STEP_STATUS[step];
    const list = await this.query.list({ scopePaths: access.scopePaths(STEP_PERMISSION[step]), status: shown, page, pageSize });
    return { ...list, page, pageSize, status: shown ?? 'all', step };
  }

  /** One claim: its claimant, or reviewers and credit readers in scope; anyone else: not found. */
  async get(access: AccessContext, id: string): Promise<ClaimView> {
    const place = await this.query.place(id);
    const allowed = place && (access.isSelf(place.personId) || access.canAt('claims.review', place.path)
      || access.canAt('claims.decide', place.path) || access.canAt('credits.read', place.path));
    if (!allowed) throw new NotFound('credit_claim', id);
    return (await this.query.view(id))!;
  }

  review(access: AccessContext, id: string, input: ClaimDecisionDto): Promise<ClaimStepAnswer> {
    return this.step(access, id, input, 'review');
  }

  decide(access: AccessContext, id: string, input: ClaimDecisionDto): Promise<ClaimStepAnswer> {
    return this.step(access, id, input, 'decide');
  }

  /** The evidence is for the claimant and the claim's reviewers. */
  private async mayReadEvidence(access: AccessContext, file: StoredFile): Promise<boolean> {
    const place = await this.query.placeByEvidence(file.id);
    return !!place && (access.isSelf(place.personId) || access.canAt('claims.review', place.path) || access.canAt('claims.decide', place.path));
  }

  /** One step under the claim's row lock: the same decision again changes nothing; a claim at another step is a conflict. */
  private async step(access: AccessContext, id: string, input: ClaimDecisionDto, step: ClaimStep): Promise<ClaimStepAnswer> {
    const reason = input.reason?.trim() || null;
    const outcome = await inTransaction(this.db, async (manager) => {
      const place = await this.query.place(id, manager);
      if (!place || !access.canAt(STEP_PERMISSION[step], place.path)) throw new NotFound('credit_claim', id);
      const claims = manager.getRepository(CreditClaim);
      const claim = (await claims.findOneBy({ id }))!;
      if (decisionAt(claim, step) === input.decision) return { changed: false, claim };
      if (claim.status !== STEP_STATUS[step]) {
        throw new Conflict('CLAIM_WRONG_STEP', `The claim is ${claim.status}; it cannot be ${step === 'review' ? 'reviewed' : 'decided'} now`, { status: claim.status });
      }
      if (access.isSelf(claim.personId)) throw new Forbidden('CLAIM_OWN', 'Someone else must review your own claim');
      if (input.decision === 'reject' && !reason) throw ValidationFailed.field('reason', 'REASON_REQUIRED', 'Say why the claim is rejected');
      const now = new Date();
      const change: Partial<CreditClaim> = step === 'review'
        ? { kindergartenReviewedBy: access.userId, kindergartenReviewedAt: now }
        : { decidedBy: access.userId, decidedAt: now };
      if (input.decision === 'reject') Object.assign(change, { status: 'rejected', rejectReason: reason });
      else if (step === 'review') change.status = 'kindergarten_approved';
      else {
        const entry = await this.ledger.record({
          personId: claim.personId, hours: claim.hours, credits: claim.credits, category: claim.category, level: claim.level,
          source: 'external_training', sourceId: claim.id, sourceKey: `claim:${claim.id}`, title: claim.title,
          occurredOn: claim.occurredOn, recordedBy: access.userId, approvedBy: access.userId,
        }, manager);
        Object.assign(change, { status: 'approved', entryId: entry.id });
      }
      await claims.update({ id }, change);
      await this.audit.record(access.userId, step, 'credit_claim', id, place.districtId,
        { status: claim.status }, { status: change.status, reason, entryId: change.entryId ?? null }, manager);
      return { changed: true, claim: { ...claim, ...change } as CreditClaim };
    });
    if (outcome.changed && (outcome.claim.status === 'approved' || outcome.claim.status === 'rejected')) await this.notifyOutcome(outcome.claim);
    return { claim: (await this.query.view(id))!, changed: outcome.changed };
  }

  /** Tells the claimant how their claim ended, in their language; a failure to notify never undoes the decision. */
  private async notifyOutcome(claim: CreditClaim): Promise<void> {
    try {
      for (const user of await this.query.claimantUsers(claim.personId)) {
        const params = { title: claim.title, credits: claim.credits, reason: claim.rejectReason ?? '' };
        await this.notifications.notify({
          userId: user.id, kind: `claim.${claim.status}`,
          title: translate(user.locale, `claims.notice.${claim.status}.title`, params),
          body: translate(user.locale, `claims.notice.${claim.status}.body`, params),
          link: '/claims', dedupeKey: `claim:${claim.id}:${claim.status}`,
        });
      }
    } catch (error) {
      this.logger.warn(`could not notify the outcome of claim ${claim.id}: ${(error as Error).message}`);
    }
  }
}

/** The decision already taken at a step, if any. */
function decisionAt(claim: CreditClaim, step: ClaimStep): ClaimDecision | null {
  if (step === 'review') {
    if (!claim.kindergartenReviewedAt) return null;
    return claim.status === 'rejected' && !claim.decidedAt ? 'reject' : 'approve';
  }
  if (!claim.decidedAt) return null;
  return claim.status === 'approved' ? 'approve' : 'reject';
}
