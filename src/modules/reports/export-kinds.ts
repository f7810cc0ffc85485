import type { AccessContext } from '../../common/access-context.js';
import type { Locale } from '../../common/i18n/i18n.js';
import type { Permission } from '../../common/permissions.js';
import type { SheetCell } from '../../common/spreadsheet.js';

/** The list pages that export what they show. */
export const EXPORT_KINDS = ['people', 'kindergartens', 'roster', 'gradebook', 'compliance', 'coverage'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const isExportKind = (value: unknown): value is ExportKind => (EXPORT_KINDS as readonly unknown[]).includes(value);

/** Which person field a sensitive column shows: masked unless the reader holds people.sensitive over the person. */
export type SensitiveField = 'nationalId' | 'phone';

export interface ExportColumn {
  /** The header in the reader's language. */
  header: string;
  width: number;
  sensitive?: SensitiveField;
}

/** One line of the sheet; `personId` when it is about a person (sensitive columns need it). */
export interface ExportRow {
  cells: SheetCell[];
  personId?: string;
}

/** An export opened with the caller's scope checked: its columns, how many rows, and the rows in batches. */
export interface OpenedExport {
  columns: ExportColumn[];
  total: number;
  /** The file's name without extension, in the reader's language (e.g. 教职工名单-2026-05-01). */
  fileName: string;
  batches(): AsyncIterable<ExportRow[]>;
}

/**
 * One list page's export: the permission of its list (403 without it) and a producer that runs the
 * list's own query with the same filters and scope checks (out of scope: 404), page by page.
 */
export interface ExportSource<P extends object = object> {
  kind: ExportKind;
  permission: Permission;
  /** The list's filter DTO (validated like the list's API); paging fields are dropped. */
  filters: new () => P;
  open(access: AccessContext, filters: P, locale: Locale): Promise<OpenedExport>;
}

/** Rows fetched per page when a source walks a paged list. */
export const EXPORT_PAGE_SIZE = 200;

/** A page-wise list walked to its end: `fetch(page)` answers at most EXPORT_PAGE_SIZE rows. */
export async function* pages<T>(first: T[], fetch: (page: number) => Promise<T[]>): AsyncGenerator<T[]> {
  let items = first;
  for (let page = 1; ; page++) {
    if (page > 1) items = await fetch(page);
    if (items.length) yield items;
    if (items.length < EXPORT_PAGE_SIZE) return;
  }
}

/** Each batch turned into sheet rows. */
export async function* mapBatches<T>(batches: AsyncIterable<T[]>, row: (item: T) => ExportRow): AsyncGenerator<ExportRow[]> {
  for await (const batch of batches) yield batch.map(row);
}

/** An already computed list (a roster, a report) in batches. */
export async function* inBatches<T>(items: T[]): AsyncGenerator<T[]> {
  for (let i = 0; i < items.length; i += EXPORT_PAGE_SIZE) yield items.slice(i, i + EXPORT_PAGE_SIZE);
}
