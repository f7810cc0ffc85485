import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CheckedRow, ImportField, ImportRunContext, RowImporter, RowToApply, SourceRow } from './row-importer.js';

/** Credit history entries into the ledger. (Being written: see the issue 9 brief.) */
@Injectable()
export class CreditHistoryImporter implements RowImporter {
  readonly kind = 'credit_history' as const;
  readonly fields: readonly ImportField[] = [];
  async check(_rows: SourceRow[], _context: ImportRunContext): Promise<CheckedRow[]> {
    throw new Error('credit history import is not built yet');
  }
  async apply(_rows: RowToApply[], _context: { jobId: string; districtId: string; userId: string }, _manager: EntityManager): Promise<void> {
    throw new Error('credit history import is not built yet');
  }
}
