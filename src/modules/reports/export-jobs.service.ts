import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Conflict, NotFound } from '../../common/errors.js';
import type { Locale } from '../../common/i18n/i18n.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { JobQueue } from '../../queue/job-queue.js';
import { FileStorageService } from '../files/file-storage.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { ExportJob } from '../imports/imports.entities.js';
import { ExportRenderer, type RenderedExport } from './export-renderer.js';

/** What a user sees of one of their export jobs. */
export interface ExportJobView {
  id: string;
  kind: string;
  format: string;
  status: string;
  filters: Record<string, string>;
  rowCount: number | null;
  unmasked: boolean;
  failureMessage: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** Where to download it, once ready. */
  fileUrl: string | null;
}

/** The params stored on a job: the list's filters and the language the headers are written in. */
export interface ExportJobParams {
  filters: Record<string, string>;
  locale: Locale;
}

export type ExportAnswer = { kind: 'file'; file: RenderedExport } | { kind: 'job'; job: ExportJobView; created: boolean };

/** The same request again (a retry, a double click) within these finds the job already made. */
const SAME_REQUEST_WINDOW = { pending: '10 minutes', ready: '1 minute' };

export function jobView(job: ExportJob): ExportJobView {
  const params = job.params as unknown as Partial<ExportJobParams>;
  return {
    id: job.id, kind: job.kind, format: job.format, status: job.status, filters: params.filters ?? {},
    rowCount: job.rowCount, unmasked: job.unmasked, failureMessage: job.failureMessage,
    createdAt: job.createdAt, finishedAt: job.finishedAt,
    fileUrl: job.status === 'ready' && job.fileId ? `/api/exports/jobs/${job.id}/file` : null,
  };
}

/**
 * Exports as the user asks for them: a small one answered at once, a large one (more than
 * EXPORT_INLINE_ROWS rows) as a job rendered in the background and downloaded by its owner.
 */
@Injectable()
export class ExportJobsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ExportJob) private readonly jobs: Repository<ExportJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly renderer: ExportRenderer,
    private readonly queue: JobQueue,
    private readonly files: FileStorageService,
  ) {}

  async request(access: AccessContext, kind: string, format: unknown, raw: Record<string, unknown>): Promise<ExportAnswer> {
    const locale = access.locale;
    const prepared = await this.renderer.prepare(access, kind, format, raw, locale);
    if (prepared.opened.total <= this.config.EXPORT_INLINE_ROWS) {
      const file = await this.renderer.render(access, prepared);
      await this.renderer.auditUnmasked(access, randomUUID(), prepared, file);
      return { kind: 'file', file };
    }
    const params: ExportJobParams = { filters: prepared.params, locale };
    const { job, created } = await this.findOrCreate(access, prepared.kind, prepared.format, params, prepared.mayUnmask, access.districtIdFor(prepared.source.permission));
    if (created) await this.queue.enqueue('export.render', { exportId: job.id }, { jobId: `export-render-${job.id}` });
    // The inline driver has rendered it already; with Redis it is still queued.
    const now = created ? await this.jobs.findOneByOrFail({ id: job.id }) : job;
    return { kind: 'job', job: jobView(now), created };
  }

  async mine(access: AccessContext, page: number, pageSize: number): Promise<{ items: ExportJobView[]; total: number; page: number; pageSize: number }> {
    const [items, total] = await this.jobs.findAndCount({ where: { userId: access.userId }, order: { createdAt: 'DESC', id: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize });
    return { items: items.map(jobView), total, page, pageSize };
  }

  /** Only the owner sees a job; anyone else's id is simply not found. */
  async get(access: AccessContext, id: string): Promise<ExportJobView> {
    return jobView(await this.owned(access, id));
  }

  async file(access: AccessContext, id: string): Promise<{ file: StoredFile; stream: Readable }> {
    const job = await this.owned(access, id);
    if (job.status !== 'ready' || !job.fileId) throw new Conflict('EXPORT_NOT_READY', 'The export is not ready yet', { status: job.status });
    const file = await this.files.get(job.fileId);
    if (!file) throw new NotFound('export file', id);
    return { file, stream: await this.files.open(file) };
  }

  private async owned(access: AccessContext, id: string): Promise<ExportJob> {
    const job = await this.jobs.findOneBy({ id, userId: access.userId });
    if (!job) throw new NotFound('export', id);
    return job;
  }

  /** Serialised per (user, kind, format, params) so two clicks at once still make one job. */
  private findOrCreate(access: AccessContext, kind: string, format: ExportJob['format'], params: ExportJobParams, unmasked: boolean, districtId: string | null) {
    return this.db.transaction(async (manager) => {
      const key = `export:${access.userId}:${kind}:${format}:${JSON.stringify(params)}`;
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
      const [existing]: Array<{ id: string }> = await manager.query(
        `SELECT id FROM export_job
          WHERE user_id = $1 AND kind = $2 AND format = $3 AND params = $4::jsonb
            AND ((status IN ('queued', 'running') AND created_at > now() - $5::interval)
              OR (status = 'ready' AND created_at > now() - $6::interval))
          ORDER BY created_at DESC LIMIT 1`,
        [access.userId, kind, format, JSON.stringify(params), SAME_REQUEST_WINDOW.pending, SAME_REQUEST_WINDOW.ready]);
      const repository = manager.getRepository(ExportJob);
      if (existing) return { job: await repository.findOneByOrFail({ id: existing.id }), created: false };
      const job = await repository.save(repository.create({
        userId: access.userId, districtId, kind, format, params: params as unknown as Record<string, unknown>,
        unmasked, status: 'queued', rowCount: null, fileId: null, failureMessage: null, createdAt: new Date(), finishedAt: null,
      }));
      return { job, created: true };
    });
  }
}
