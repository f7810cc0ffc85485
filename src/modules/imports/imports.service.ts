import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { districtIdOfPath, type AccessContext } from '../../common/access-context.js';
import { ValidationFailed, type FieldProblem } from '../../common/errors.js';
import type { PageResult } from '../../common/pagination.js';
import { isZip } from '../../common/spreadsheet.js';
import { JobQueue } from '../../queue/job-queue.js';
import { FileStorageService } from '../files/file-storage.service.js';
import { sniffType } from '../files/file-types.js';
import type { UploadState } from '../files/upload-parser.js';
import { autoMapping, cleanMapping, mappingProblems, missingRequired } from './header-mapping.js';
import { ImportRunner } from './import-runner.service.js';
import { IMPORT_KINDS, ImportJob, type ImportKind, type RowOutcome } from './imports.entities.js';
import { ImportAlreadyApplying, ImportMappingNeeded, ImportNeedsDistrict, ImportNotFound, ImportNotReady } from './imports-errors.js';
import { ImportsQuery, type ImportListItem, type StoredRow } from './imports.query.js';
import { jobView, type ImportJobView } from './imports-views.js';
import { detectEncoding, sheetRows, SheetUnreadable, type SheetFormat } from './sheet-stream.js';

/**
 * Imports as the district's HR runs them: upload (the file is checked at once; the dry run runs as a
 * job), the mapping step when required columns are not recognised, confirmation (the apply runs as a
 * job), cancellation, and the history. Every import belongs to the caller's district; another
 * district's import does not exist for them.
 */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ImportJob) private readonly jobs: Repository<ImportJob>,
    private readonly files: FileStorageService,
    private readonly queue: JobQueue,
    private readonly runner: ImportRunner,
    private readonly query: ImportsQuery,
  ) {}

  async upload(access: AccessContext, kindInput: unknown, upload: UploadState): Promise<ImportJobView> {
    const districtId = this.districtOf(access);
    const kind = IMPORT_KINDS.find((k) => k === kindInput);
    const problems: FieldProblem[] = [];
    if (!kind) problems.push({ field: 'kind', code: 'isIn', message: `kind must be one of ${IMPORT_KINDS.join(', ')}` });
    if (upload.problem) problems.push(upload.problem);
    else if (!upload.file) problems.push({ field: 'file', code: 'REQUIRED', message: 'file is required' });
    if (problems.length) throw new ValidationFailed(problems);
    const { buffer: bytes, originalName } = upload.file!;
    const refused = this.files.inspect(bytes, 'import', 'file');
    if (refused.length) {
      if (refused[0].code === 'FILE_TYPE_NOT_ALLOWED' && isZip(bytes)) {
        // A zip that is no readable workbook: most likely an .xlsx cut short in transfer.
        throw ValidationFailed.field('file', 'FILE_UNREADABLE', 'file looks like a damaged Excel workbook');
      }
      if (refused[0].code === 'FILE_TYPE_NOT_ALLOWED') refused[0].message = 'file must be an Excel workbook (.xlsx) or a CSV file';
      throw new ValidationFailed(refused);
    }
    const format: SheetFormat = sniffType(bytes) === 'text/csv' ? 'csv' : 'xlsx';
    const headers = await this.headersOf(bytes, format);
    const importer = this.runner.importer(kind!);
    const mapping = autoMapping(importer.fields, headers);

    const file = await this.files.put(bytes, { originalName, purpose: 'import', ownerUserId: access.userId, districtId, field: 'file' });
    let job: ImportJob;
    try {
      job = await this.jobs.save(this.jobs.create({
        districtId, kind, status: 'uploaded', fileId: file.id, originalName: file.originalName, headers, mapping,
        totalRows: 0, rowsDone: 0, errorCount: 0, counts: {}, createdBy: access.userId, createdAt: new Date(), updatedAt: new Date(),
      }));
    } catch (error) {
      await this.files.discard(file);
      throw error;
    }
    await this.queue.enqueue('import.validate', { jobId: job.id }, { jobId: `${job.id}:${job.version}` });
    return this.get(access, job.id);
  }

  async get(access: AccessContext, id: string): Promise<ImportJobView> {
    const job = await this.inScope(access, id);
    const [{ pending }] = await this.db.query(
      `SELECT count(*)::int AS pending FROM import_row WHERE job_id = $1 AND applied_at IS NULL AND outcome IN ('create', 'update')`, [id]);
    return jobView(job, this.runner.importer(job.kind), pending, access.locale);
  }

  async list(access: AccessContext, page: number, pageSize: number): Promise<PageResult<ImportListItem>> {
    const { items, total } = await this.query.list(this.districtsOf(access), page, pageSize);
    return { items, total, page, pageSize };
  }

  async rows(access: AccessContext, id: string, outcome: RowOutcome | undefined, page: number, pageSize: number): Promise<PageResult<StoredRow> & { job: ImportJobView }> {
    const job = await this.get(access, id);
    const { items, total } = await this.query.rows(id, outcome, page, pageSize);
    return { job, items, total, page, pageSize };
  }

  /** Columns chosen by hand over the recognised ones (field → header; '' for none); the dry run starts over with them. */
  async setMapping(access: AccessContext, id: string, mapping: Record<string, unknown>): Promise<ImportJobView> {
    await this.db.transaction(async (manager) => {
      const job = await manager.findOne(ImportJob, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!job || !this.districtsOf(access).includes(job.districtId)) throw new ImportNotFound(id);
      if (['applying', 'applied'].includes(job.status)) throw new ImportAlreadyApplying(job.status);
      if (job.status === 'cancelled' || job.status === 'failed') throw new ImportNotReady(job.status);
      const chosen = { ...job.mapping, ...mapping };
      const problems = mappingProblems(this.runner.importer(job.kind).fields, job.headers, chosen);
      if (problems.length) throw new ValidationFailed(problems);
      await manager.query(
        `UPDATE import_job SET mapping = $2, status = 'uploaded', version = version + 1, updated_at = now() WHERE id = $1`,
        [id, JSON.stringify(cleanMapping(chosen))]);
    });
    const [{ version }] = await this.db.query(`SELECT version FROM import_job WHERE id = $1`, [id]);
    await this.queue.enqueue('import.validate', { jobId: id }, { jobId: `${id}:${version}` });
    return this.get(access, id);
  }

  /** Starts writing the dry run's creates and updates; confirming again answers the same import. */
  async confirm(access: AccessContext, id: string): Promise<ImportJobView> {
    const start = await this.db.transaction(async (manager) => {
      const job = await manager.findOne(ImportJob, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!job || !this.districtsOf(access).includes(job.districtId)) throw new ImportNotFound(id);
      if (job.status === 'applying' || job.status === 'applied') return false;
      if (job.status !== 'validated') throw new ImportNotReady(job.status);
      const missing = missingRequired(this.runner.importer(job.kind).fields, job.mapping);
      if (missing.length) throw new ImportMappingNeeded(missing);
      await manager.query(
        `UPDATE import_job SET status = 'applying', rows_done = 0, confirmed_by = $2, confirmed_at = now(), updated_at = now() WHERE id = $1`,
        [id, access.userId]);
      return true;
    });
    if (start) await this.queue.enqueue('import.apply', { jobId: id }, { jobId: id });
    return this.get(access, id);
  }

  /** Drops an import before anything is written (a running dry run stops at its next batch). */
  async cancel(access: AccessContext, id: string): Promise<ImportJobView> {
    await this.db.transaction(async (manager) => {
      const job = await manager.findOne(ImportJob, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!job || !this.districtsOf(access).includes(job.districtId)) throw new ImportNotFound(id);
      if (job.status === 'applying' || job.status === 'applied') throw new ImportAlreadyApplying(job.status);
      if (job.status === 'cancelled') return;
      await manager.query(
        `UPDATE import_job SET status = 'cancelled', version = version + 1, finished_at = now(), updated_at = now() WHERE id = $1`, [id]);
    });
    return this.get(access, id);
  }

  importerOf(kind: ImportKind) {
    return this.runner.importer(kind);
  }

  async inScope(access: AccessContext, id: string): Promise<ImportJob> {
    const job = await this.jobs.findOneBy({ id });
    if (!job || !this.districtsOf(access).includes(job.districtId)) throw new ImportNotFound(id);
    return job;
  }

  /** The districts whose imports the caller runs (imports.run held at district level or below). */
  districtsOf(access: AccessContext): string[] {
    return [...new Set(access.scopePaths('imports.run').map(districtIdOfPath).filter((d): d is string => !!d))];
  }

  private districtOf(access: AccessContext): string {
    const district = this.districtsOf(access)[0];
    if (!district) throw new ImportNeedsDistrict();
    return district;
  }

  /** The header row, read before anything is stored: a file with no data row or that cannot be read is refused at once. */
  private async headersOf(bytes: Buffer, format: SheetFormat): Promise<string[]> {
    const open = async () => Readable.from([bytes]);
    let headers: string[] | null = null;
    let hasData = false;
    try {
      const encoding = format === 'csv' ? await detectEncoding(open) : 'utf-8';
      for await (const row of sheetRows(open, format, encoding)) {
        if (headers) { hasData = true; break; }
        headers = row.cells.map((cell) => cell.trim());
      }
    } catch (error) {
      if (!(error instanceof SheetUnreadable)) throw error;
      throw ValidationFailed.field('file', 'FILE_UNREADABLE', `file could not be read as ${format === 'csv' ? 'CSV' : 'an Excel workbook'}: ${error.message}`);
    }
    if (!headers || !hasData) throw ValidationFailed.field('file', 'FILE_EMPTY_SHEET', 'file has no data rows below the header row on its first sheet');
    return headers;
  }
}
