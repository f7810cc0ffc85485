import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate, shanghaiDateTime } from '../../common/dates.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { GradebookService } from '../assessment/gradebook.service.js';
import type { GradebookColumn, GradebookRow } from '../assessment/gradebook-rules.js';
import { EnrollmentListsService } from '../enrollment/enrollment-lists.service.js';
import type { RosterRow } from '../enrollment/enrollment.query.js';
import { inBatches, mapBatches, type ExportColumn, type ExportSource, type OpenedExport } from './export-kinds.js';
import { GradebookExportFilters, RosterExportFilters } from './export-filters.js';

const column = (locale: Locale, key: string, width: number): ExportColumn => ({ header: translate(locale, `exports.col.${key}`), width });
const safeName = (text: string) => text.replace(/[\\/:*?"<>|\r\n\t]/g, '_');

/** An offering's roster (GET /api/offerings/:id/roster): its managers and trainers only (anyone else: 404), with the status filter. */
@Injectable()
export class RosterExportSource implements ExportSource<RosterExportFilters> {
  readonly kind = 'roster' as const;
  readonly permission = 'offering.teach' as const;
  readonly filters = RosterExportFilters;

  constructor(private readonly lists: EnrollmentListsService) {}

  async open(access: AccessContext, filters: RosterExportFilters, locale: Locale): Promise<OpenedExport> {
    const roster = await this.lists.roster(access, filters.offering.toLowerCase(), filters.status);
    const first = roster.items[0];
    const title = first ? `${first.courseTitle}${first.offeringLabel ? `-${first.offeringLabel}` : ''}` : translate(locale, 'exports.kind.roster');
    const row = (r: RosterRow) => ({
      personId: r.personId,
      cells: [
        r.personName, r.kindergartenName ?? '', translate(locale, `enrollment.status.${r.status}`), r.waitlistPosition,
        shanghaiDateTime(r.requestedAt), shanghaiDateTime(r.statusChangedAt), r.declineReason ?? '',
      ],
    });
    return {
      total: roster.items.length,
      fileName: safeName(`${title}-${translate(locale, 'exports.kind.roster')}-${shanghaiDate()}`),
      columns: [
        column(locale, 'fullName', 10), column(locale, 'kindergarten', 30), column(locale, 'enrollmentStatus', 10),
        column(locale, 'waitlistPosition', 10), column(locale, 'requestedAt', 18), column(locale, 'statusChangedAt', 18),
        column(locale, 'declineReason', 30),
      ],
      batches: () => mapBatches(inBatches(roster.items), row),
    };
  }
}

/** A grade cell as the gradebook shows it: points, or 通过/不通过; empty before a grade. */
function gradeText(row: GradebookRow, index: number, item: GradebookColumn, locale: Locale): string | number | null {
  const grade = row.cells[index]?.grade;
  if (!grade) return null;
  if (item.gradingMethod === 'pass_fail' || grade.points === null) return translate(locale, `gradebook.overall.${grade.passed ? 'passed' : 'failed'}`);
  return grade.points;
}

/** An offering's gradebook (GET /api/offerings/:id/gradebook): learners × graded items with the total and the overall result. */
@Injectable()
export class GradebookExportSource implements ExportSource<GradebookExportFilters> {
  readonly kind = 'gradebook' as const;
  readonly permission = 'offering.teach' as const;
  readonly filters = GradebookExportFilters;

  constructor(private readonly gradebook: GradebookService) {}

  async open(access: AccessContext, filters: GradebookExportFilters, locale: Locale): Promise<OpenedExport> {
    const { offering, lang: _lang, ...filter } = filters;
    const book = await this.gradebook.gradebook(access, offering.toLowerCase(), filter);
    const graded = book.columns.map((c, index) => ({ c, index })).filter(({ c }) => c.gradingMethod !== 'none');
    const hasPoints = book.columns.some((c) => c.maxPoints !== null && c.gradingMethod !== 'none' && c.gradingMethod !== 'pass_fail');
    const row = (r: GradebookRow) => ({
      personId: r.personId,
      cells: [
        r.fullName, r.kindergarten ?? '',
        ...graded.map(({ c, index }) => gradeText(r, index, c, locale)),
        ...(hasPoints ? [r.totals.points] : []),
        r.overall ? translate(locale, `gradebook.overall.${r.overall}`) : '',
      ],
    });
    const { courseTitle, label } = book.offering;
    return {
      total: book.rows.length,
      fileName: safeName(`${courseTitle}${label ? `-${label}` : ''}-${translate(locale, 'exports.kind.gradebook')}-${shanghaiDate()}`),
      columns: [
        column(locale, 'fullName', 10), column(locale, 'kindergarten', 30),
        ...graded.map(({ c }) => ({ header: c.maxPoints !== null && c.gradingMethod !== 'pass_fail' ? `${c.title} (${c.maxPoints})` : c.title, width: 14 })),
        ...(hasPoints ? [column(locale, 'totalPoints', 8)] : []),
        column(locale, 'overall', 8),
      ],
      batches: () => mapBatches(inBatches(book.rows), row),
    };
  }
}
