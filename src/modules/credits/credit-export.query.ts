import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CourseLevel, CreditCategory } from '../catalog/catalog.entities.js';
import { prefixPatterns } from '../org/org-scope.service.js';
import type { CreditSource } from './credit.entities.js';

/** One ledger row as the credit platforms take it, with the person's national ID still encrypted. */
export interface ExportEntry {
  id: string;
  personId: string;
  nationalIdEnc: string;
  fullName: string;
  kindergartenName: string | null;
  occurredOn: string;
  title: string;
  category: CreditCategory;
  level: CourseLevel;
  hours: number;
  credits: number;
  source: CreditSource;
  reversesEntryId: string | null;
}

export interface ExportFilter {
  /** Path prefixes of the people whose entries are exported. */
  paths: string[];
  cycle: { id: string; startsOn: string; endsOn: string } | null;
  from: string | null;
  to: string | null;
}

const BATCH = 1000;

/** Every ledger row (reversals included, flagged) of the people in scope, read in keyset batches. */
@Injectable()
export class CreditExportQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async cycleByCode(code: string): Promise<{ id: string; startsOn: string; endsOn: string } | null> {
    const rows = await this.db.query(
      `SELECT id, to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn"
         FROM credit_cycle WHERE code = $1 ORDER BY region_code NULLS FIRST LIMIT 1`, [code]);
    return rows[0] ?? null;
  }

  /** Batches in (date, id) order; a batch is fetched only when the previous one was written. */
  async *entries(filter: ExportFilter): AsyncGenerator<ExportEntry[]> {
    if (!filter.paths.length) return;
    let after: { occurredOn: string; id: string } | null = null;
    for (;;) {
      const rows: ExportEntry[] = await this.db.query(
        `SELECT e.id, e.person_id AS "personId", p.national_id_enc AS "nationalIdEnc", p.full_name AS "fullName", k.name AS "kindergartenName",
                to_char(e.occurred_on, 'YYYY-MM-DD') AS "occurredOn", e.title, e.category, e.level,
                e.hours::float AS hours, e.credits::float AS credits, e.source, e.reverses_entry_id AS "reversesEntryId"
           FROM credit_entry e
           JOIN person p ON p.id = e.person_id
           JOIN org_unit d ON d.id = p.district_id
           LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
          WHERE coalesce(k.path, d.path) LIKE ANY($1::text[])
            AND ($2::uuid IS NULL OR e.cycle_id = $2 OR (e.cycle_id IS NULL AND e.occurred_on BETWEEN $3::date AND $4::date))
            AND ($5::date IS NULL OR e.occurred_on >= $5::date)
            AND ($6::date IS NULL OR e.occurred_on <= $6::date)
            AND ($7::date IS NULL OR (e.occurred_on, e.id) > ($7::date, $8::uuid))
          ORDER BY e.occurred_on, e.id
          LIMIT ${BATCH}`,
        [prefixPatterns(filter.paths), filter.cycle?.id ?? null, filter.cycle?.startsOn ?? null, filter.cycle?.endsOn ?? null,
          filter.from, filter.to, after?.occurredOn ?? null, after?.id ?? null]);
      if (rows.length) yield rows;
      if (rows.length < BATCH) return;
      const last = rows[rows.length - 1];
      after = { occurredOn: last.occurredOn, id: last.id };
    }
  }
}
