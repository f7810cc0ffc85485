import { translate, type Locale } from '../../common/i18n/i18n.js';
import { GRADEBOOK_STATUSES, type GradebookCell, type GradebookColumn } from './gradebook-rules.js';
import type { Gradebook } from './gradebook.service.js';

function cellText(cell: GradebookCell, column: GradebookColumn, t: (key: string) => string): string {
  if (!cell.grade) return '';
  if (column.gradingMethod === 'pass_fail' || cell.grade.points === null) return t(cell.grade.passed ? 'gradebook.passed' : 'gradebook.failed');
  return String(cell.grade.points);
}

/** The page's model: header cells, one line per learner with a link per gradable cell, the summary line, and the filters. */
export function gradebookView(book: Gradebook, locale: Locale) {
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, key, params);
  const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`);
  return {
    offering: book.offering,
    columns: book.columns.map((c, i) => ({
      ...c,
      scale: c.gradingMethod === 'pass_fail' ? t('gradebook.passFail') : c.maxPoints !== null ? t('gradebook.max', { max: c.maxPoints }) : '',
      threshold: c.passPoints !== null ? t('gradebook.passAt', { points: c.passPoints }) : '',
      summary: {
        ...book.summary[i],
        passRateText: percent(book.summary[i].passRate),
        averageText: book.summary[i].average === null ? '—' : String(book.summary[i].average),
      },
    })),
    rows: book.rows.map((r) => ({
      enrollmentId: r.enrollmentId, fullName: r.fullName, kindergarten: r.kindergarten ?? '', overall: r.overall,
      totals: r.totals, hasPoints: r.totals.possible > 0,
      cells: r.cells.map((cell, i) => {
        const column = book.columns[i];
        return {
          itemId: cell.itemId,
          href: column.gradingMethod === 'none' ? null : `/teaching/items/${cell.itemId}/grade/${r.enrollmentId}`,
          text: cellText(cell, column, t),
          passed: cell.grade?.passed ?? null,
          unreleased: !!cell.grade && !cell.grade.released,
          submission: cell.submission,
          marksPending: !cell.grade && cell.marks > 0 ? t('gradebook.marks', { count: cell.marks }) : '',
        };
      }),
    })),
    hasPoints: book.columns.some((c) => c.maxPoints !== null && c.gradingMethod !== 'none' && c.gradingMethod !== 'pass_fail'),
    filter: {
      kindergarten: book.filter.kindergarten ?? '', status: book.filter.status ?? '', item: book.filter.item ?? '', q: book.filter.q ?? '',
    },
    kindergartens: book.kindergartens,
    statuses: GRADEBOOK_STATUSES,
  };
}
