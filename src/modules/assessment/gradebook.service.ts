import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { TeachingAccess } from '../enrollment/teaching-access.service.js';
import { CSV_TYPE, XLSX_TYPE } from '../../common/spreadsheet.js';
import { buildGradeSheet } from './grade-sheet.js';
import {
  cellObject, columnOf, gradebookLines, itemSummaries, lineIs, type GradebookColumn, type GradebookRow, type ItemSummary,
} from './gradebook-rules.js';
import { gradebookGrid, type GradebookGrid } from './gradebook-grid.js';
import type { GradebookQueryDto } from './gradebook.dto.js';
import { GradebookQuery } from './gradebook.query.js';
import type { SheetFormat } from './rubric.dto.js';

export interface Gradebook {
  offering: { id: string; code: string; label: string; courseTitle: string };
  columns: GradebookColumn[];
  rows: GradebookRow[];
  /** Per item over the rows shown. */
  summary: ItemSummary[];
  kindergartens: Array<{ id: string; name: string }>;
  filter: GradebookQueryDto;
}

/** Learners × items of one offering for its trainers (everyone else: 404), with filters and a spreadsheet export. */
@Injectable()
export class GradebookService {
  constructor(private readonly teaching: TeachingAccess, private readonly query: GradebookQuery) {}

  /** The API's answer: a row per learner, and their cells as a matrix of tuples (no object per cell). */
  async grid(access: AccessContext, offeringId: string, filter: GradebookQueryDto): Promise<GradebookGrid> {
    return gradebookGrid(await this.shown(access, offeringId, filter));
  }

  /** The same with a row of cell objects per learner, for the page and the exports. */
  async gradebook(access: AccessContext, offeringId: string, filter: GradebookQueryDto): Promise<Gradebook> {
    const { items, lines, cells, ...book } = await this.shown(access, offeringId, filter);
    const rows = lines.map((line, r): GradebookRow => Object.assign(line, { cells: cells[r].map((cell, i) => cellObject(items[i], cell)) }));
    return { offering: book.offering, columns: book.columns, rows, summary: book.summary, kindergartens: book.kindergartens, filter: book.filter };
  }

  /** The learners the filters keep, with their cells, results and the items' summary over them. */
  private async shown(access: AccessContext, offeringId: string, filter: GradebookQueryDto) {
    const { offering, course } = await this.teaching.offering(access, offeringId);
    const facts = await this.query.facts(offeringId, { kindergartenId: filter.kindergarten?.toLowerCase(), q: filter.q?.trim() || undefined });
    const { items } = facts;
    const itemId = filter.item?.toLowerCase();
    if (itemId && !items.some((i) => i.id === itemId)) {
      throw ValidationFailed.field('item', 'ITEM_NOT_IN_OFFERING', 'No such item in this offering');
    }
    let lines = gradebookLines(items, facts.learners, facts.cells);
    let cells = facts.cells;
    if (filter.status) {
      const keep = lines.map((line, r) => lineIs(line, cells[r], items, filter.status!, itemId));
      lines = lines.filter((_, r) => keep[r]);
      cells = cells.filter((_, r) => keep[r]);
    }
    return {
      offering: { id: offering.id, code: offering.code, label: offering.label, courseTitle: course.title },
      columns: items.map(columnOf), items, lines, cells, summary: itemSummaries(items, cells), kindergartens: facts.kindergartens, filter,
    };
  }

  /**
   * The grade sheet of the rows shown, in the bulk import's format (报名编号, 姓名, 幼儿园, one column per
   * gradable item), so an exported gradebook can be edited in Excel and imported back.
   */
  async export(access: AccessContext, offeringId: string, filter: GradebookQueryDto, format: SheetFormat): Promise<{ fileName: string; contentType: string; body: Buffer }> {
    const book = await this.gradebook(access, offeringId, filter);
    const gradable = book.columns.map((c, i) => ({ column: c, index: i })).filter(({ column }) => column.gradingMethod !== 'none');
    const body = await buildGradeSheet({
      items: gradable.map(({ column }) => ({ id: column.id, title: column.title, gradingMethod: column.gradingMethod, maxPoints: column.maxPoints })),
      learners: book.rows.map((r) => ({
        enrollmentId: r.enrollmentId, fullName: r.fullName, kindergarten: r.kindergarten,
        grades: Object.fromEntries(gradable.map(({ column, index }) => {
          const grade = r.cells[index].grade;
          return [column.id, grade ? { points: grade.points, passed: grade.passed } : undefined];
        })),
      })),
    }, format);
    const name = `${book.offering.courseTitle}${book.offering.label ? `-${book.offering.label}` : ''}-成绩`.replace(/[\\/:*?"<>|]/g, '_');
    return { fileName: `${name}.${format}`, contentType: format === 'csv' ? CSV_TYPE : XLSX_TYPE, body };
  }
}
