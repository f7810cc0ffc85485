import { shanghaiDateTime } from '../../common/dates.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import type { ExportJobView } from './export-jobs.service.js';

const BADGES: Record<string, string> = {
  queued: 'text-bg-secondary', running: 'text-bg-info', ready: 'text-bg-success', failed: 'text-bg-danger',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The filters an export was made with, as `名称: 值` pairs (ids shortened: the list page names them). */
export function filtersText(filters: Record<string, string>, locale: Locale): string {
  const parts = Object.entries(filters).map(([key, value]) => {
    const name = hasTranslation(locale, `exports.filter.${key}`) ? translate(locale, `exports.filter.${key}`) : key;
    return `${name}: ${UUID.test(value) ? `${value.slice(0, 8)}…` : value}`;
  });
  return parts.length ? parts.join(locale === 'en' ? '; ' : '；') : translate(locale, 'exports.filter.none');
}

/** One row of 我的导出 per job, newest first. */
export function exportRows(jobs: ExportJobView[], locale: Locale) {
  return jobs.map((job) => ({
    id: job.id,
    kindName: translate(locale, `exports.kind.${job.kind}`),
    formatName: job.format.toUpperCase(),
    filtersText: filtersText(job.filters, locale),
    status: job.status,
    badge: BADGES[job.status] ?? 'text-bg-light',
    rowCount: job.rowCount ?? '',
    unmasked: job.unmasked && job.status === 'ready',
    failureMessage: job.failureMessage ?? '',
    createdAt: shanghaiDateTime(job.createdAt),
    fileUrl: job.fileUrl ?? '',
  }));
}
