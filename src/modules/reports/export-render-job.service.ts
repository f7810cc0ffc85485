import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { In, type DataSource, type Repository } from 'typeorm';
import { AccessContext } from '../../common/access-context.js';
import { DomainError } from '../../common/errors.js';
import { isLocale, translate, type Locale } from '../../common/i18n/i18n.js';
import { JobHandlerRegistry, JobQueue } from '../../queue/job-queue.js';
import { AuthService } from '../auth/auth.service.js';
import { FileStorageService } from '../files/file-storage.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { ExportJob } from '../imports/imports.entities.js';
import { NotificationService } from '../notifications/notification.service.js';
import type { ExportJobParams } from './export-jobs.service.js';
import { ExportRenderer } from './export-renderer.js';

/** Another delivery of the same job finished it first: this one's file is dropped. */
class AlreadyRendered extends Error {}

/**
 * 'export.render': renders a queued export with its owner's access as it stands now (lost access: the
 * export fails), stores the file, marks the job ready with its row count and tells the owner. A
 * re-delivered job that is ready or failed changes nothing; two renders racing keep one file.
 */
@Injectable()
export class ExportRenderJob implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('ExportRenderJob');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ExportJob) private readonly jobs: Repository<ExportJob>,
    private readonly registry: JobHandlerRegistry,
    private readonly renderer: ExportRenderer,
    private readonly auth: AuthService,
    private readonly files: FileStorageService,
    private readonly notifications: NotificationService,
    private readonly queue: JobQueue,
  ) {}

  onModuleInit(): void {
    this.registry.register('export.render', async ({ exportId }) => {
      await this.render(exportId);
    });
  }

  /** The re-submission of the exports a stopped process left unfinished, started with the process (tests wait for it). */
  resubmitted: Promise<void> = Promise.resolve();

  /** Exports not finished are submitted again at start, as imports and mail are (JobQueue.resubmit). */
  onApplicationBootstrap(): void {
    this.resubmitted = this.queue.resubmit('exports', async () =>
      (await this.db.query<Array<{ id: string }>>(`SELECT id FROM export_job WHERE status IN ('queued', 'running') ORDER BY created_at`))
        .map(({ id }) => ({ name: 'export.render' as const, data: { exportId: id }, jobId: `export-render-${id}` })));
  }

  async render(exportId: string): Promise<void> {
    const claimed = await this.jobs.update({ id: exportId, status: In(['queued', 'running']) }, { status: 'running' });
    if (!claimed.affected) return;
    const job = await this.jobs.findOneByOrFail({ id: exportId });
    const params = job.params as unknown as ExportJobParams;
    const locale: Locale = isLocale(params.locale) ? params.locale : 'zh-CN';
    const pending: { file?: StoredFile } = {};
    try {
      const access = await this.ownerAccess(job.userId, locale);
      const prepared = await this.renderer.prepare(access, job.kind, job.format, params.filters ?? {}, locale);
      const rendered = await this.renderer.render(access, prepared);
      await this.db.transaction(async (manager) => {
        const stored = await this.files.put(rendered.bytes, {
          originalName: rendered.fileName, purpose: 'export', ownerUserId: job.userId, districtId: job.districtId,
          generatedAs: job.format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        }, manager);
        pending.file = stored;
        const done = await manager.getRepository(ExportJob).update({ id: job.id, status: 'running' }, {
          status: 'ready', fileId: stored.id, rowCount: rendered.rows, unmasked: rendered.unmaskedPeople > 0, finishedAt: new Date(), failureMessage: null,
        });
        if (!done.affected) throw new AlreadyRendered();
        await this.renderer.auditUnmasked(access, job.id, prepared, rendered, manager);
      });
      await this.tell(job, locale, 'ready', { rows: rendered.rows });
    } catch (error) {
      // The file's record rolled back with the transaction; its bytes go too.
      if (pending.file) await this.files.discard(pending.file);
      if (error instanceof AlreadyRendered) return;
      const message = error instanceof DomainError ? `${error.code}: ${error.message}` : 'The export could not be rendered';
      if (!(error instanceof DomainError)) this.logger.error(`export ${job.id} failed: ${(error as Error).stack ?? error}`);
      const failed = await this.jobs.update({ id: job.id, status: 'running' }, { status: 'failed', failureMessage: message.slice(0, 500), finishedAt: new Date() });
      if (failed.affected) await this.tell(job, locale, 'failed', {});
    }
  }

  /** The owner's access now: their current roles and scopes (a disabled user has none). */
  private async ownerAccess(userId: string, locale: Locale): Promise<AccessContext> {
    const [user]: Array<{ username: string; display_name: string; person_id: string | null }> = await this.db.query(
      'SELECT username, display_name, person_id FROM app_user WHERE id = $1 AND disabled_at IS NULL', [userId]);
    const grants = user ? await this.auth.grantsOf(userId) : [];
    return new AccessContext(userId, '', user?.username ?? '', user?.display_name ?? '', user?.person_id ?? null, locale, grants, false);
  }

  private async tell(job: ExportJob, locale: Locale, outcome: 'ready' | 'failed', params: Record<string, unknown>): Promise<void> {
    const kind = translate(locale, `exports.kind.${job.kind}`);
    await this.notifications.notify({
      userId: job.userId,
      kind: `export.${outcome}`,
      title: translate(locale, `exports.notice.${outcome}.title`, { kind }),
      body: translate(locale, `exports.notice.${outcome}.body`, { kind, ...params }),
      link: '/exports',
      dedupeKey: `export-${outcome}:${job.id}`,
    });
  }
}
