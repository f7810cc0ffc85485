import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { missingRequired } from './header-mapping.js';
import type { ImportJob, ImportKind, ImportStatus, RowProblem } from './imports.entities.js';
import type { ImportField, RowImporter } from './row-importer.js';

export interface ImportJobView {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  originalName: string;
  createdAt: Date;
  validatedAt: Date | null;
  confirmedAt: Date | null;
  finishedAt: Date | null;
  headers: string[];
  /** Field → the file's column header. */
  mapping: Record<string, string>;
  /** Required fields have no column yet: the import waits for the mapping step. */
  mappingNeeded: boolean;
  missingFields: string[];
  fields: Array<{ key: string; header: string; required: boolean; column: string | null }>;
  totalRows: number;
  rowsDone: number;
  errorCount: number;
  counts: { create: number; update: number; unchanged: number; error: number };
  /** What the progress bar shows: rows checked of the file's rows, or rows written of those to write. */
  progress: { phase: 'waiting' | 'validating' | 'applying' | 'done'; done: number; total: number; percent: number };
  failure: { code: string; message: string } | null;
  canConfirm: boolean;
  canCancel: boolean;
}

export function jobView(job: ImportJob, importer: RowImporter, pending: number, locale: Locale): ImportJobView {
  const missingFields = job.status === 'validated' ? missingRequired(importer.fields, job.mapping) : [];
  const counts = { create: job.counts.create ?? 0, update: job.counts.update ?? 0, unchanged: job.counts.unchanged ?? 0, error: job.counts.error ?? 0 };
  const phase = job.status === 'uploaded' ? 'waiting' : job.status === 'validating' ? 'validating' : job.status === 'applying' ? 'applying' : 'done';
  const total = phase === 'applying' ? job.rowsDone + pending : job.totalRows;
  const done = phase === 'done' ? total : job.rowsDone;
  return {
    id: job.id, kind: job.kind, status: job.status, originalName: job.originalName, createdAt: job.createdAt,
    validatedAt: job.validatedAt, confirmedAt: job.confirmedAt, finishedAt: job.finishedAt,
    headers: job.headers, mapping: job.mapping, mappingNeeded: missingFields.length > 0, missingFields,
    fields: importer.fields.map((f) => ({ key: f.key, header: fieldHeader(f, locale), required: f.required, column: job.mapping[f.key] ?? null })),
    totalRows: job.totalRows, rowsDone: job.rowsDone, errorCount: job.errorCount, counts,
    progress: { phase, done, total, percent: total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : phase === 'done' ? 100 : 0 },
    failure: job.failureCode ? { code: job.failureCode, message: job.failureMessage ?? '' } : null,
    canConfirm: job.status === 'validated' && missingFields.length === 0 && counts.create + counts.update > 0,
    canCancel: ['uploaded', 'validating', 'validated'].includes(job.status),
  };
}

export function fieldHeader(field: ImportField, locale: Locale): string {
  return locale === 'en' ? field.headerEn : field.headerZh;
}

/** The column a problem is about, as the user knows it: their file's header, else the template's. */
export function problemColumn(problem: RowProblem, fields: readonly ImportField[], mapping: Record<string, string>, locale: Locale): string {
  const field = fields.find((f) => f.key === problem.field);
  return mapping[problem.field] ?? (field ? fieldHeader(field, locale) : problem.field);
}

/** The reason in the reader's language (`imports.problem.<code>` with the problem's params), else the English message. */
export function problemReason(problem: RowProblem, locale: Locale): string {
  const key = `imports.problem.${problem.code}`;
  return hasTranslation(locale, key) || hasTranslation('zh-CN', key) ? translate(locale, key, problem.params ?? {}) : problem.message;
}
