import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { ValidationFailed } from '../../common/errors.js';
import { FieldCipher } from '../../common/field-cipher.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { AuditService } from '../audit/audit.service.js';
import type { CreditExportQueryDto } from './credit-export.dto.js';
import { CreditExportQuery, type ExportEntry } from './credit-export.query.js';
import { csvLine } from '../../common/spreadsheet.js';
import { streamWorkbook, type CellValue } from './report-xlsx.js';

export type ExportFormat = 'csv' | 'xlsx';

const COLUMNS = [
  ['nationalId', 20], ['name', 10], ['kindergarten', 34], ['date', 12], ['title', 40], ['category', 10], ['level', 8],
  ['hours', 8], ['credits', 8], ['source', 14], ['entryId', 38], ['reversal', 8], ['reverses', 38],
] as const;


/**
 * The flat export for the provincial and national credit platforms: one row per ledger entry
 * (reversals included and flagged) with the person's national ID in clear, so only holders of
 * people.sensitive (district HR) may run it, and every run is written to the audit log.
 */
@Injectable()
export class CreditExportService {
  constructor(private readonly query: CreditExportQuery, private readonly cipher: FieldCipher, private readonly audit: AuditService) {}

  async export(access: AccessContext, filter: CreditExportQueryDto, format: ExportFormat, locale: Locale, res: Response): Promise<void> {
    const cycle = filter.cycle === undefined ? null : await this.query.cycleByCode(filter.cycle);
    if (filter.cycle !== undefined && !cycle) throw ValidationFailed.field('cycle', 'CYCLE_NOT_FOUND', 'No such credit cycle');
    // Both permissions must reach a place: national IDs (people.sensitive) and credit records (credits.read).
    const paths = access.scopePaths('people.sensitive').filter((p) => access.canAt('credits.read', p));
    const exportId = randomUUID();
    await this.audit.record(access.userId, 'export', 'credit_export', exportId, access.districtIdFor('people.sensitive'), null,
      { format, cycle: filter.cycle ?? null, from: filter.from ?? null, to: filter.to ?? null });

    const t = (key: string) => translate(locale, key);
    const rows = this.rows({ paths, cycle, from: filter.from ?? null, to: filter.to ?? null }, locale);
    const name = `${t('transcript.export.sheet')}-${filter.cycle ?? shanghaiDate()}`;
    if (format === 'xlsx') {
      await streamWorkbook(res, `${name}.xlsx`, [{
        name: t('transcript.export.sheet'),
        columns: COLUMNS.map(([key, width]) => ({ header: t(`transcript.export.col.${key}`), width })),
        rows,
      }]);
      return;
    }
    res.attachment(`${name}.csv`);
    res.type('text/csv; charset=utf-8').setHeader('Cache-Control', 'private, no-store');
    // The byte-order mark makes Excel read the file as UTF-8 (Chinese names and titles).
    res.write(`\uFEFF${csvLine(COLUMNS.map(([key]) => t(`transcript.export.col.${key}`)))}`);
    for await (const row of rows) {
      if (!res.write(csvLine(row))) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }

  private async *rows(filter: Parameters<CreditExportQuery['entries']>[0], locale: Locale): AsyncGenerator<CellValue[]> {
    const t = (key: string) => translate(locale, key);
    const nationalIds = new Map<string, string>();
    for await (const batch of this.query.entries(filter)) {
      for (const entry of batch) {
        let nationalId = nationalIds.get(entry.personId);
        if (nationalId === undefined) {
          nationalId = this.cipher.decrypt(entry.nationalIdEnc);
          nationalIds.set(entry.personId, nationalId);
        }
        yield this.row(entry, nationalId, t);
      }
    }
  }

  private row(entry: ExportEntry, nationalId: string, t: (key: string) => string): CellValue[] {
    return [
      nationalId, entry.fullName, entry.kindergartenName, entry.occurredOn, entry.title,
      t(`catalog.category.${entry.category}`), t(`catalog.level.${entry.level}`), entry.hours, entry.credits,
      t(`transcript.source.${entry.source}`), entry.id, t(entry.reversesEntryId ? 'transcript.export.yes' : 'transcript.export.no'), entry.reversesEntryId,
    ];
  }
}
