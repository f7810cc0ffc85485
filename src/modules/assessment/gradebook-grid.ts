import { CELL_FIELDS, type GradebookCellTuple, type GradebookColumn, type GradebookLine, type ItemSummary } from './gradebook-rules.js';
import type { GradebookQueryDto } from './gradebook.dto.js';

/**
 * The API's gradebook: a row per learner (with totals and the overall result), and their cells as a rows ×
 * columns matrix of small tuples: `cells[r][c]` is row r on column c, its fields named by `cellFields`. A
 * 500 × 10 gradebook is a few hundred kilobytes this way, where an object per cell repeating its keys and item
 * id was over a megabyte to build and to send.
 */
export interface GradebookGrid {
  offering: { id: string; code: string; label: string; courseTitle: string };
  columns: GradebookColumn[];
  rows: GradebookLine[];
  cellFields: typeof CELL_FIELDS;
  cells: GradebookCellTuple[][];
  /** Per item over the learners shown. */
  summary: ItemSummary[];
  kindergartens: Array<{ id: string; name: string }>;
  filter: GradebookQueryDto;
}

export function gradebookGrid(book: { offering: GradebookGrid['offering']; columns: GradebookColumn[]; lines: GradebookLine[]; cells: GradebookCellTuple[][];
  summary: ItemSummary[]; kindergartens: GradebookGrid['kindergartens']; filter: GradebookQueryDto }): GradebookGrid {
  return {
    offering: book.offering, columns: book.columns, rows: book.lines, cellFields: CELL_FIELDS, cells: book.cells,
    summary: book.summary, kindergartens: book.kindergartens, filter: book.filter,
  };
}
