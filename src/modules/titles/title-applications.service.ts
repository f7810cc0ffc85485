import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError, NotFound, ValidationFailed } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { FileAccessRegistry } from '../files/file-access.registry.js';
import { FileStorageService } from '../files/file-storage.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import type { UploadState } from '../files/upload-parser.js';
import { DossierAssembler } from './dossier.js';
import type { OpenApplicationDto, SubmitApplicationDto, UpdateApplicationDto } from './promotion.dto.js';
import { TitleApplicationsQuery, type ApplicationView } from './title-applications.query.js';
import { TitleEligibilityService } from './title-eligibility.service.js';
import { titleRank } from './title-rules.js';
import { TitleApplication } from './titles.entities.js';

export const OPEN_STATUSES = ['draft', 'submitted', 'kindergarten_approved'] as const;
const MAX_ATTACHMENTS = 10;
const refuse = (code: string, message: string, details?: unknown) => new DomainError(code, 422, message, details);

/** 职称申报: opening, the draft, submission with the frozen dossier, withdrawal. Reviews: TitleDecisionsService. */
@Injectable()
export class TitleApplicationsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: TitleApplicationsQuery,
    private readonly eligibility: TitleEligibilityService,
    private readonly dossiers: DossierAssembler,
    private readonly files: FileStorageService,
    private readonly fileAccess: FileAccessRegistry,
    private readonly audit: AuditService,
  ) {}

  onModuleInit() {
    this.fileAccess.register('title_evidence', async (access, file) => {
      const rows: Array<{ id: string }> = await this.db.query('SELECT id FROM title_application WHERE $1 = ANY(attachment_file_ids)', [file.id]);
      return rows[0] ? (await this.readable(access, rows[0].id)) !== null : false;
    });
  }

  /** The application if the caller may read it: the applicant, or a reviewer over its kindergarten or district. */
  async readable(access: AccessContext, id: string): Promise<ApplicationView | null> {
    const view = await this.query.view(id);
    if (!view) return null;
    const ok = access.isSelf(view.personId) || access.canAt('titles.review', view.kindergartenPath) || access.canAt('titles.decide', view.districtPath);
    return ok ? view : null;
  }

  async get(access: AccessContext, id: string): Promise<ApplicationView> {
    const view = await this.readable(access, id);
    if (!view) throw new NotFound('title_application', id);
    return view;
  }

  /** Opens a draft; the same request again answers the open one (created: false). */
  async open(access: AccessContext, input: OpenApplicationDto): Promise<{ application: ApplicationView; created: boolean }> {
    const personId = input.personId ?? access.personId;
    if (!personId) throw ValidationFailed.field('personId', 'PERSON_REQUIRED', 'personId is required for accounts without a person record');
    const [facts] = (await this.eligibility.evaluate([personId])).map((r) => r.facts);
    if (!facts || !(access.isSelf(personId) || access.canAt('titles.review', facts.path))) throw new NotFound('person', personId);
    const { id, created } = await this.db.transaction(async (manager) => {
      await manager.query('SELECT id FROM person WHERE id = $1 FOR UPDATE', [personId]);
      const open = await manager.createQueryBuilder(TitleApplication, 'a')
        .where('a.person_id = :personId AND a.status IN (:...open)', { personId, open: OPEN_STATUSES }).getOne();
      if (open) {
        if (open.toTitle === input.toTitle) return { id: open.id, created: false };
        throw refuse('APPLICATION_ALREADY_OPEN', 'The person already has an open application', { applicationId: open.id });
      }
      const current = await currentTitle(manager, personId);
      if (titleRank(input.toTitle) <= titleRank(current)) {
        throw refuse('TITLE_NOT_ABOVE_CURRENT', `toTitle must be above the current title (${current ?? 'none'})`, { field: 'toTitle', currentTitle: current });
      }
      if (titleRank(input.toTitle) > titleRank(current) + 1) {
        throw refuse('TITLE_MORE_THAN_ONE_STEP', 'toTitle may be only the next title above the current one', { field: 'toTitle', currentTitle: current });
      }
      const saved = await manager.save(manager.create(TitleApplication, {
        personId, districtId: facts.districtId, kindergartenId: facts.kindergartenId, fromTitle: current, toTitle: input.toTitle,
        status: 'draft', statement: input.statement || null, attachmentFileIds: [], openedBy: access.userId,
      }));
      await this.audit.record(access.userId, 'create', 'title_application', saved.id, facts.districtId, null, { ...saved }, manager);
      return { id: saved.id, created: true };
    });
    return { application: (await this.query.view(id))!, created };
  }

  /** Edits a draft: the statement, an attachment added (multipart `file`) or removed. */
  async update(access: AccessContext, id: string, input: UpdateApplicationDto, upload: UploadState): Promise<ApplicationView> {
    const view = await this.editable(access, id);
    if (upload.problem) throw new ValidationFailed([upload.problem]);
    if (upload.file) {
      const problems = this.files.inspect(upload.file.buffer, 'title_evidence', 'file');
      if (problems.length) throw new ValidationFailed(problems);
    }
    const written: StoredFile[] = [];
    try {
      await this.db.transaction(async (manager) => {
        const app = await this.lock(manager, id);
        if (app.status !== 'draft') throw refuse('APPLICATION_NOT_DRAFT', 'Only a draft can be changed');
        const before = { ...app };
        if (input.statement !== undefined) app.statement = input.statement || null;
        if (input.removeAttachment) app.attachmentFileIds = app.attachmentFileIds.filter((f) => f !== input.removeAttachment);
        if (upload.file) {
          if (app.attachmentFileIds.length >= MAX_ATTACHMENTS) throw ValidationFailed.field('file', 'TOO_MANY_ATTACHMENTS', `At most ${MAX_ATTACHMENTS} attachments`);
          const file = await this.files.put(upload.file.buffer, {
            originalName: upload.file.originalName, contentType: upload.file.contentType, purpose: 'title_evidence',
            ownerUserId: access.userId, districtId: app.districtId, field: 'file',
          }, manager);
          written.push(file);
          app.attachmentFileIds = [...app.attachmentFileIds, file.id];
        }
        await manager.save(app);
        await this.audit.record(access.userId, 'update', 'title_application', app.id, app.districtId, before, { ...app }, manager);
      });
    } catch (error) {
      for (const file of written) await this.files.discard(file);
      throw error;
    }
    return (await this.query.view(view.id))!;
  }

  /**
   * Freezes the dossier. Not yet eligible: refused, unless a reviewer of the person's kindergarten
   * submits with an override reason (kept with the judgement). Submitted already: answered unchanged.
   */
  async submit(access: AccessContext, id: string, input: SubmitApplicationDto): Promise<ApplicationView> {
    const view = await this.editable(access, id, true);
    if (view.status !== 'draft') return view;
    const [evaluated] = await this.eligibility.evaluate([view.personId]);
    const judged = evaluated!.eligibility;
    if (judged.nextTitle !== view.toTitle) throw refuse('TITLE_NOT_ABOVE_CURRENT', 'The title history changed: toTitle is no longer the next title', { field: 'toTitle' });
    const unmet = judged.conditions.filter((c) => !c.met).map((c) => c.code);
    const mayOverride = input.overrideReason && access.canAt('titles.review', view.kindergartenPath) && !access.isSelf(view.personId);
    if (unmet.length && !mayOverride) {
      throw refuse('TITLE_NOT_ELIGIBLE', `Not every condition is met yet: ${unmet.join(', ')}`, { unmet, eligibleOn: judged.eligibleOn });
    }
    const dossier = await this.dossiers.assemble(view.personId, judged);
    const override = unmet.length ? { overrideReason: input.overrideReason, overriddenBy: access.userId, unmet } : {};
    await this.db.transaction(async (manager) => {
      const app = await this.lock(manager, id);
      if (app.status !== 'draft') return;
      const before = { ...app, dossier: null };
      app.status = 'submitted';
      app.submittedAt = new Date();
      app.dossier = dossier as unknown as Record<string, unknown>;
      app.eligibility = { ...judged, ...override } as unknown as Record<string, unknown>;
      await manager.save(app);
      await this.audit.record(access.userId, 'submit', 'title_application', app.id, app.districtId, before, { status: app.status, ...override }, manager);
    });
    return (await this.query.view(id))!;
  }

  /** The applicant (or whoever opened it) withdraws while no final decision is made; again: unchanged. */
  async withdraw(access: AccessContext, id: string): Promise<ApplicationView> {
    const view = await this.get(access, id);
    await this.db.transaction(async (manager) => {
      const app = await this.lock(manager, id);
      if (!access.isSelf(app.personId) && app.openedBy !== access.userId) throw new NotFound('title_application', id);
      if (app.status === 'withdrawn') return;
      if (!(OPEN_STATUSES as readonly string[]).includes(app.status)) throw refuse('APPLICATION_DECIDED', 'A decided application cannot be withdrawn');
      const before = { status: app.status };
      app.status = 'withdrawn';
      await manager.save(app);
      await this.audit.record(access.userId, 'withdraw', 'title_application', app.id, app.districtId, before, { status: app.status }, manager);
    });
    return (await this.query.view(view.id))!;
  }

  /** Drafts are changed by the applicant or a kindergarten reviewer of the person. */
  private async editable(access: AccessContext, id: string, allowSubmitted = false): Promise<ApplicationView> {
    const view = await this.query.view(id);
    if (!view || !(access.isSelf(view.personId) || access.canAt('titles.review', view.kindergartenPath))) throw new NotFound('title_application', id);
    if (view.status !== 'draft' && !(allowSubmitted && view.status !== 'withdrawn' && view.status !== 'rejected')) {
      throw refuse('APPLICATION_NOT_DRAFT', 'Only a draft can be changed or submitted');
    }
    return view;
  }

  private async lock(manager: EntityManager, id: string): Promise<TitleApplication> {
    const app = await manager.findOne(TitleApplication, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!app) throw new NotFound('title_application', id);
    return app;
  }
}

export async function currentTitle(manager: EntityManager, personId: string) {
  const rows: Array<{ title: TitleApplication['toTitle'] }> = await manager.query(
    'SELECT title FROM title_record WHERE person_id = $1 ORDER BY effective_date DESC, created_at DESC, id DESC LIMIT 1', [personId]);
  return rows[0]?.title ?? null;
}

