import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';

export const IMPORT_KINDS = ['staff', 'org_units', 'credit_history'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUSES = ['uploaded', 'validating', 'validated', 'applying', 'applied', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const ROW_OUTCOMES = ['create', 'update', 'unchanged', 'error'] as const;
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

export interface ImportCounts {
  create?: number;
  update?: number;
  unchanged?: number;
  error?: number;
}

/** One spreadsheet import: dry run first (every row gets an outcome), then applied on confirmation, resumably. */
@Entity('import_job')
export class ImportJob {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') districtId: string;
  @Column('text') kind: ImportKind;
  @Column('text') status: ImportStatus;
  @Column('uuid') fileId: string;
  @Column('text') originalName: string;
  @Column('text', { array: true }) headers: string[];
  /** Target field → header in the file. */
  @Column('jsonb') mapping: Record<string, string>;
  @Column('int') totalRows: number;
  @Column('int') rowsDone: number;
  @Column('int') errorCount: number;
  @Column('jsonb') counts: ImportCounts;
  @Column('text', { nullable: true }) failureCode: string | null;
  @Column('text', { nullable: true }) failureMessage: string | null;
  @Column('uuid', { nullable: true }) resultFileId: string | null;
  @Column('uuid') createdBy: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
  @Column('timestamptz', { nullable: true }) validatedAt: Date | null;
  @Column('uuid', { nullable: true }) confirmedBy: string | null;
  @Column('timestamptz', { nullable: true }) confirmedAt: Date | null;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
  @VersionColumn() version: number;
}

export interface RowProblem {
  field: string;
  code: string;
  /** English fallback; pages show `imports.problem.<code>` translated with `params` when that key exists. */
  message: string;
  params?: Record<string, string | number>;
}

@Entity('import_row')
export class ImportRow {
  @PrimaryColumn('uuid') jobId: string;
  @PrimaryColumn('int') rowNumber: number;
  @Column('text') outcome: RowOutcome;
  @Column('text', { nullable: true }) matchKey: string | null;
  @Column('jsonb') errors: RowProblem[];
  @Column('jsonb') data: Record<string, unknown>;
  @Column('timestamptz', { nullable: true }) appliedAt: Date | null;
}

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_STATUSES = ['queued', 'running', 'ready', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** A large export rendered by the worker; the file is downloaded by its owner when ready. */
@Entity('export_job')
export class ExportJob {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') userId: string;
  @Column('uuid', { nullable: true }) districtId: string | null;
  @Column('text') kind: string;
  @Column('text') format: ExportFormat;
  @Column('jsonb') params: Record<string, unknown>;
  @Column('boolean') unmasked: boolean;
  @Column('text') status: ExportStatus;
  @Column('int', { nullable: true }) rowCount: number | null;
  @Column('uuid', { nullable: true }) fileId: string | null;
  @Column('text', { nullable: true }) failureMessage: string | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
}
