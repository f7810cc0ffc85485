import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Forbidden, NotFound, ValidationFailed } from '../../common/errors.js';
import type { Locale } from '../../common/i18n/i18n.js';
import { CSV_TYPE, sheetBytes, XLSX_TYPE, type SheetCell } from '../../common/spreadsheet.js';
import { AuditService } from '../audit/audit.service.js';
import { EXPORT_FORMATS, type ExportFormat } from '../imports/imports.entities.js';
import { isExportKind, type ExportKind, type ExportSource, type OpenedExport } from './export-kinds.js';
import { readFilters } from './export-filters.js';
import { ComplianceExportSource, CoverageExportSource } from './export-report-sources.js';
import { KindergartensExportSource, PeopleExportSource } from './export-org-sources.js';
import { ExportUnmasker } from './export-sensitive.js';
import { GradebookExportSource, RosterExportSource } from './export-teaching-sources.js';

/** An export's request once checked: the source, its validated filters as stored params, and the opened list. */
export interface PreparedExport {
  kind: ExportKind;
  format: ExportFormat;
  source: ExportSource;
  params: Record<string, string>;
  opened: OpenedExport;
  /** Whether this reader could see unmasked values in it (they hold people.sensitive and it has sensitive columns). */
  mayUnmask: boolean;
}

export interface RenderedExport {
  fileName: string;
  contentType: string;
  bytes: Buffer;
  rows: number;
  unmaskedPeople: number;
}

export function readFormat(value: unknown): ExportFormat {
  if (typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw ValidationFailed.field('format', 'isIn', 'format must be one of the following values: xlsx, csv');
}

/** The export sources by kind, and the one way every export is checked, rendered and audited. */
@Injectable()
export class ExportRenderer {
  private readonly sources: Map<ExportKind, ExportSource>;

  constructor(
    people: PeopleExportSource, kindergartens: KindergartensExportSource, roster: RosterExportSource,
    gradebook: GradebookExportSource, compliance: ComplianceExportSource, coverage: CoverageExportSource,
    private readonly unmasker: ExportUnmasker,
    private readonly audit: AuditService,
  ) {
    const all: ExportSource[] = [people, kindergartens, roster, gradebook, compliance, coverage];
    this.sources = new Map(all.map((s) => [s.kind, s]));
  }

  /** Unknown kind: 404; without the list's permission: 403; bad filters or format: 400; a record out of scope: 404. */
  async prepare(access: AccessContext, kind: string, format: unknown, raw: Record<string, unknown>, locale: Locale): Promise<PreparedExport> {
    const source = isExportKind(kind) ? this.sources.get(kind) : undefined;
    if (!source) throw new NotFound('export kind', kind);
    if (!access.can(source.permission)) throw new Forbidden();
    const checkedFormat = readFormat(format);
    const { value, params } = await readFilters(source.filters, raw);
    const opened = await source.open(access, value, locale);
    return { kind: source.kind, format: checkedFormat, source, params, opened, mayUnmask: this.unmasker.mayReveal(access, opened.columns) };
  }

  /** Streams the rows through the sheet writer; sensitive cells revealed only where the reader may see them. */
  async render(access: AccessContext, prepared: PreparedExport): Promise<RenderedExport> {
    const { opened, format } = prepared;
    let rows = 0;
    const revealed = this.unmasker.reveal(access, opened.columns, opened.batches());
    async function* counted(): AsyncGenerator<SheetCell[][]> {
      for await (const batch of revealed.batches) {
        rows += batch.length;
        yield batch;
      }
    }
    const bytes = await sheetBytes(format, { name: opened.fileName, columns: opened.columns, batches: counted() });
    return {
      fileName: `${opened.fileName}.${format}`, contentType: format === 'csv' ? CSV_TYPE : XLSX_TYPE,
      bytes, rows, unmaskedPeople: revealed.unmaskedPeople(),
    };
  }

  /** One audit entry per export that showed anyone's national ID or phone in full: which export, how many people, which filters. */
  async auditUnmasked(access: AccessContext, exportId: string, prepared: PreparedExport, rendered: RenderedExport, manager?: EntityManager): Promise<void> {
    if (!rendered.unmaskedPeople) return;
    await this.audit.record(access.userId, 'read_sensitive', 'export', exportId, access.districtIdFor('people.sensitive'), null, {
      kind: prepared.kind, format: prepared.format, fileName: rendered.fileName, rows: rendered.rows,
      unmaskedPeople: rendered.unmaskedPeople, fields: ['nationalId', 'phone'], filter: prepared.params,
    }, manager);
  }
}
