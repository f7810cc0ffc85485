import { shanghaiDateTime } from '../../common/dates.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import type { RowOutcome } from './imports.entities.js';
import type { ImportListItem, StoredRow } from './imports.query.js';
import { fieldHeader, problemColumn, problemReason, type ImportJobView } from './imports-views.js';
import type { RowImporter } from './row-importer.js';

const RUNNING = ['uploaded', 'validating', 'applying'];
const OUTCOMES: RowOutcome[] = ['error', 'create', 'update', 'unchanged'];

export function historyRows(items: ImportListItem[]) {
  return items.map((item) => ({
    id: item.id, kind: item.kind, status: item.status, originalName: item.originalName, totalRows: item.totalRows,
    createdAt: shanghaiDateTime(item.createdAt), createdByName: item.createdByName ?? '',
    create: item.counts.create ?? 0, update: item.counts.update ?? 0, unchanged: item.counts.unchanged ?? 0, error: item.counts.error ?? 0,
  }));
}

/** Everything /imports/:id shows; every key present (the templates are strict). */
export function detailPage(job: ImportJobView, importer: RowImporter, rows: StoredRow[], outcome: RowOutcome, locale: Locale,
  extra: { errors?: Record<string, string>; chosen?: Record<string, unknown>; notice?: string }) {
  const running = RUNNING.includes(job.status);
  const columns = (importer.resultColumns ?? []).map((c) => (locale === 'en' ? c.headerEn : c.headerZh));
  return {
    job: {
      id: job.id, kind: job.kind, status: job.status, originalName: job.originalName, createdAt: shanghaiDateTime(job.createdAt),
      finishedAt: job.finishedAt ? shanghaiDateTime(job.finishedAt) : null, totalRows: job.totalRows, errorCount: job.errorCount,
      counts: job.counts, failure: job.failure, canConfirm: job.canConfirm, canCancel: job.canCancel,
      hasResult: ['validated', 'applying', 'applied'].includes(job.status) && !job.mappingNeeded,
    },
    running,
    progress: job.progress,
    notice: extra.notice ?? null,
    mapping: job.mappingNeeded || extra.errors ? {
      fields: job.fields.map((field) => {
        const chosen = extra.chosen?.[field.key];
        const current = typeof chosen === 'string' ? chosen : field.column ?? '';
        return {
          key: field.key, header: field.header, required: field.required, error: extra.errors?.[field.key] ?? null,
          options: job.headers.filter((h) => h !== '').map((header) => ({ header, selected: header === current })),
        };
      }),
      missing: job.missingFields.map((key) => job.fields.find((f) => f.key === key)?.header ?? key).join(locale === 'en' ? ', ' : '、'),
    } : null,
    outcomes: OUTCOMES.map((o) => ({ outcome: o, count: job.counts[o], active: o === outcome, href: `/imports/${job.id}?outcome=${o}` })),
    outcome,
    columns,
    rows: rows.map((row) => ({
      rowNumber: row.rowNumber, outcome: row.outcome, applied: !!row.appliedAt,
      cells: (importer.resultColumns ?? []).map((c) => (row.data[c.key] === undefined || row.data[c.key] === null ? '' : String(row.data[c.key]))),
      changes: (Array.isArray(row.data.changes) ? (row.data.changes as string[]) : []).map((key) => {
        const field = importer.fields.find((f) => f.key === key);
        return field ? fieldHeader(field, locale) : key;
      }).join(locale === 'en' ? ', ' : '、'),
      problems: row.errors.map((p) => ({ column: problemColumn(p, importer.fields, job.mapping, locale), reason: problemReason(p, locale) })),
    })),
    downloads: {
      xlsx: `/api/imports/${job.id}/result?format=xlsx`, csv: `/api/imports/${job.id}/result?format=csv`,
    },
    statusText: translate(locale, `imports.status.${job.status}`),
    failureText: job.failure ? problemReason({ field: 'file', code: job.failure.code, message: job.failure.message }, locale) : null,
  };
}
