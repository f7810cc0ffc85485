import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../database/transaction.js';
import { JobHandlerRegistry, JobQueue } from '../../queue/job-queue.js';
import { AuditService } from '../audit/audit.service.js';
import { FileStorageService } from '../files/file-storage.service.js';
import { missingRequired, rowReader } from './header-mapping.js';
import type { ImportCounts, ImportJob, RowOutcome } from './imports.entities.js';
import { ImportsQuery } from './imports.query.js';
import { ROW_IMPORTERS, type CheckedRow, type RowImporter, type SourceRow } from './row-importer.js';
import { detectEncoding, sheetRows, SheetUnreadable, type SheetFormat } from './sheet-stream.js';

/** A newer run of the same dry run (after a mapping change or a cancel) took over: this one stops without writing. */
class Superseded extends Error {}

type JobRow = Pick<ImportJob, 'id' | 'districtId' | 'kind' | 'status' | 'fileId' | 'headers' | 'mapping' | 'createdBy' | 'confirmedBy' | 'originalName' | 'counts'>;

const JOB_COLUMNS = `id, district_id AS "districtId", kind, status, file_id AS "fileId", headers, mapping, created_by AS "createdBy",
  confirmed_by AS "confirmedBy", original_name AS "originalName", counts`;

/**
 * The import jobs. `import.validate` reads the file as a stream (a first pass counts the rows for the
 * progress bar), checks the rows in batches and stores every outcome; a rerun starts over. `import.apply`
 * writes the confirmed rows in batches, each in one transaction with the marks that they were written,
 * so a crash resumes with the first row not yet written and no row is written twice.
 */
@Injectable()
export class ImportRunner implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Imports');
  /** Rows checked per dry-run batch and written per apply transaction (tests lower them to see batches). */
  checkBatchSize = 1000;
  applyBatchSize = 1000;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: JobHandlerRegistry,
    private readonly queue: JobQueue,
    private readonly files: FileStorageService,
    private readonly query: ImportsQuery,
    private readonly audit: AuditService,
    @Inject(ROW_IMPORTERS) private readonly importers: RowImporter[],
  ) {}

  onModuleInit(): void {
    this.registry.register('import.validate', ({ jobId }) => this.validate(jobId));
    this.registry.register('import.apply', ({ jobId }) => this.apply(jobId));
  }

  /** The re-submission of the imports a stopped process left running, started with the process. */
  resubmitted: Promise<void> = Promise.resolve();

  /**
   * Imports a process left running are submitted again at start (JobQueue.resubmit), and the runs themselves resume
   * rather than repeat.
   */
  onApplicationBootstrap(): void {
    this.resubmitted = this.queue.resubmit('imports', async () =>
      (await this.db.query<Array<{ id: string; status: string; version: number }>>(
        `SELECT id, status, version FROM import_job WHERE status IN ('uploaded', 'validating', 'applying') ORDER BY created_at`))
        .map((job) => job.status === 'applying'
          ? { name: 'import.apply' as const, data: { jobId: job.id }, jobId: job.id }
          : { name: 'import.validate' as const, data: { jobId: job.id }, jobId: `${job.id}:${job.version}` }));
  }

  importer(kind: string): RowImporter {
    const importer = this.importers.find((i) => i.kind === kind);
    if (!importer) throw new Error(`no importer for ${kind}`);
    return importer;
  }

  async validate(jobId: string): Promise<void> {
    const claimed: Array<JobRow & { version: number }> = await this.db.query(
      `UPDATE import_job SET status = 'validating', version = version + 1, total_rows = 0, rows_done = 0, error_count = 0, counts = '{}',
              failure_code = NULL, failure_message = NULL, validated_at = NULL, updated_at = now()
        WHERE id = $1 AND status IN ('uploaded', 'validating') RETURNING ${JOB_COLUMNS}, version`, [jobId]).then(([rows]) => rows);
    const job = claimed[0];
    if (!job) return;
    await this.db.query(`DELETE FROM import_row WHERE job_id = $1`, [jobId]);
    const importer = this.importer(job.kind);
    try {
      if (missingRequired(importer.fields, job.mapping).length) {
        // The mapping step: the page asks which column holds each required field, then the dry run starts over.
        await this.finishValidation(job.id, job.version);
        return;
      }
      await this.checkRows(job, importer);
      await this.finishValidation(job.id, job.version);
    } catch (error) {
      if (error instanceof Superseded) return;
      // The import ends visibly (the page stops waiting); the user uploads the file again.
      const unreadable = error instanceof SheetUnreadable;
      if (!unreadable) this.logger.error(`dry run of import ${job.id} failed: ${(error as Error).stack ?? error}`);
      await this.db.query(
        `UPDATE import_job SET status = 'failed', failure_code = $3, failure_message = $4, finished_at = now(), updated_at = now()
          WHERE id = $1 AND version = $2`,
        [job.id, job.version, unreadable ? 'FILE_UNREADABLE' : 'CHECK_FAILED',
          (unreadable ? `The file could not be read: ${(error as Error).message}` : 'The check stopped on an unexpected error').slice(0, 500)]);
    }
  }

  private async checkRows(job: JobRow & { version: number }, importer: RowImporter): Promise<void> {
    const file = await this.files.get(job.fileId);
    if (!file) throw new SheetUnreadable('the uploaded file is missing');
    const open = () => this.files.open(file);
    const format: SheetFormat = file.contentType === 'text/csv' ? 'csv' : 'xlsx';
    const encoding = format === 'csv' ? await detectEncoding(open) : 'utf-8';
    // The rows are counted (for the progress bar) while the checking reads the file too: both passes parse the
    // file, and the checking mostly waits on the database.
    const counting = (async () => {
      let total = -1;
      for await (const _row of sheetRows(open, format, encoding)) total++;
      await this.db.query(`UPDATE import_job SET total_rows = $3, updated_at = now() WHERE id = $1 AND version = $2`, [job.id, job.version, Math.max(total, 0)]);
    })();
    counting.catch(() => undefined);

    const context = { jobId: job.id, districtId: job.districtId, userId: job.createdBy, seenKeys: new Map<string, number>(), cache: new Map<string, unknown>() };
    const read = rowReader(job.headers, job.mapping);
    // A batch is checked and stored while the next one is read from the file: reading is the app's work, checking
    // and storing mostly wait on the database. Batches are still checked one after another, in order (a row is
    // compared with the rows before it).
    let inFlight: Promise<void> = Promise.resolve();
    const send = async (rows: SourceRow[]) => {
      await inFlight;
      inFlight = (async () => this.store(job, rows, await importer.check(rows, context)))();
      // Its failure is thrown where it is awaited (next batch or the end), not reported as unhandled meanwhile.
      inFlight.catch(() => undefined);
    };
    let batch: SourceRow[] = [];
    let header = true;
    try {
      for await (const row of sheetRows(open, format, encoding)) {
        if (header) { header = false; continue; }
        batch.push({ rowNumber: row.rowNumber, values: read(row.cells) });
        if (batch.length >= this.checkBatchSize) {
          await send(batch);
          batch = [];
        }
      }
      if (batch.length) await send(batch);
    } catch (error) {
      // The file stopped being readable: the batch being stored and the count settle first, and the reading error is the one reported.
      await Promise.allSettled([inFlight, counting]);
      throw error;
    }
    await inFlight;
    await counting;
  }

  /** One transaction: the job's counters (only while this run is the job's latest), then the rows with multi-row inserts. */
  private async store(job: { id: string; version: number }, rows: SourceRow[], checked: CheckedRow[]): Promise<void> {
    const counts: Record<RowOutcome, number> = { create: 0, update: 0, unchanged: 0, error: 0 };
    for (const row of checked) counts[row.outcome]++;
    await this.db.transaction(async (manager) => {
      const updated: unknown[] = await manager.query(
        `UPDATE import_job SET rows_done = rows_done + $3, error_count = error_count + $4,
                counts = jsonb_build_object('create', coalesce((counts->>'create')::int, 0) + $5, 'update', coalesce((counts->>'update')::int, 0) + $6,
                                            'unchanged', coalesce((counts->>'unchanged')::int, 0) + $7, 'error', coalesce((counts->>'error')::int, 0) + $4),
                updated_at = now()
          WHERE id = $1 AND version = $2 AND status = 'validating' RETURNING id`,
        [job.id, job.version, rows.length, counts.error, counts.create, counts.update, counts.unchanged]).then(([r]) => r);
      if (!updated.length) throw new Superseded();
      await manager.query(
        `INSERT INTO import_row (job_id, row_number, outcome, match_key, errors, data)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])`,
        [job.id, rows.map((r) => r.rowNumber), checked.map((c) => c.outcome), checked.map((c) => c.matchKey),
          checked.map((c) => JSON.stringify(c.errors)), checked.map((c) => JSON.stringify(c.data))]);
    });
  }

  private async finishValidation(jobId: string, version: number): Promise<void> {
    await this.db.query(
      `UPDATE import_job SET status = 'validated', validated_at = now(), updated_at = now() WHERE id = $1 AND version = $2 AND status = 'validating'`,
      [jobId, version]);
  }

  async apply(jobId: string): Promise<void> {
    while (!(await inTransaction(this.db, (manager) => this.applyBatch(manager, jobId)))) { /* next batch */ }
  }

  /** Writes the next batch; answers true when nothing is left (or the job is not being applied). */
  private async applyBatch(manager: EntityManager, jobId: string): Promise<boolean> {
    const [job]: JobRow[] = await manager.query(`SELECT ${JOB_COLUMNS} FROM import_job WHERE id = $1 FOR UPDATE`, [jobId]);
    if (!job || job.status !== 'applying') return true;
    const rows = await this.query.pendingRows(manager, jobId, this.applyBatchSize);
    if (!rows.length) {
      await this.finishApply(manager, job);
      return true;
    }
    const context = { jobId, districtId: job.districtId, userId: job.confirmedBy ?? job.createdBy };
    const rejected = (await this.importer(job.kind).apply(rows, context, manager)) ?? [];
    const refused = new Set(rejected.map((r) => r.rowNumber));
    const written = rows.filter((r) => !refused.has(r.rowNumber));
    await manager.query(`UPDATE import_row SET applied_at = now() WHERE job_id = $1 AND row_number = ANY($2::int[])`, [jobId, written.map((r) => r.rowNumber)]);
    if (rejected.length) {
      await manager.query(
        `UPDATE import_row r SET outcome = 'error', errors = x.errors FROM unnest($2::int[], $3::jsonb[]) AS x(row_number, errors)
          WHERE r.job_id = $1 AND r.row_number = x.row_number`,
        [jobId, rejected.map((r) => r.rowNumber), rejected.map((r) => JSON.stringify(r.errors))]);
    }
    const lost = (outcome: string) => rows.filter((r) => r.outcome === outcome && refused.has(r.rowNumber)).length;
    const counts: ImportCounts = {
      ...job.counts, create: (job.counts.create ?? 0) - lost('create'), update: (job.counts.update ?? 0) - lost('update'),
      error: (job.counts.error ?? 0) + rejected.length,
    };
    await manager.query(
      `UPDATE import_job SET rows_done = rows_done + $2, error_count = error_count + $3, counts = $4, updated_at = now() WHERE id = $1`,
      [jobId, rows.length, rejected.length, JSON.stringify(counts)]);
    return false;
  }

  private async finishApply(manager: EntityManager, job: JobRow): Promise<void> {
    await manager.query(`UPDATE import_job SET status = 'applied', finished_at = now(), updated_at = now() WHERE id = $1`, [job.id]);
    const [{ applied }] = await manager.query(`SELECT count(*)::int AS applied FROM import_row WHERE job_id = $1 AND applied_at IS NOT NULL`, [job.id]);
    // One audit entry for the whole import: who, which file, what it did.
    await this.audit.record(job.confirmedBy ?? job.createdBy, 'import', 'import_job', job.id, job.districtId, null,
      { kind: job.kind, file: job.originalName, counts: job.counts, applied }, manager);
    this.logger.log(`import ${job.id} (${job.kind}) applied: ${applied} rows written`);
  }
}
