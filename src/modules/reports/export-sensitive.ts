import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { FieldCipher } from '../../common/field-cipher.js';
import type { SheetCell } from '../../common/spreadsheet.js';
import { personInScope } from '../people/people-rules.js';
import type { ExportColumn, ExportRow } from './export-kinds.js';

interface SensitiveRow {
  id: string;
  kindergarten_path: string | null;
  district_path: string;
  national_id_enc: string;
  phone_enc: string | null;
}

/** The ciphertexts of a batch of people and where they sit, for the people.sensitive check. */
@Injectable()
export class ExportSensitiveQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  people(ids: string[]): Promise<SensitiveRow[]> {
    return this.db.query(
      `SELECT p.id, k.path AS kindergarten_path, d.path AS district_path, p.national_id_enc, p.phone_enc
         FROM person p JOIN org_unit d ON d.id = p.district_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE p.id = ANY($1::uuid[])`, [ids]);
  }
}

/** The sheet's rows with sensitive cells revealed where allowed, and how many people were shown unmasked. */
export interface RevealedRows {
  batches: AsyncIterable<SheetCell[][]>;
  unmaskedPeople(): number;
}

/**
 * Sensitive columns (national ID, phone) keep the masked values the list shows, unless the reader
 * holds people.sensitive over the person's kindergarten (or district, between posts): then the
 * decrypted values. The caller audits the export once with the count of people unmasked.
 */
@Injectable()
export class ExportUnmasker {
  constructor(private readonly query: ExportSensitiveQuery, private readonly cipher: FieldCipher) {}

  /** Whether this export may show anything unmasked to this reader at all. */
  mayReveal(access: AccessContext, columns: ExportColumn[]): boolean {
    return columns.some((c) => c.sensitive) && access.can('people.sensitive');
  }

  reveal(access: AccessContext, columns: ExportColumn[], batches: AsyncIterable<ExportRow[]>): RevealedRows {
    const unmasked = new Set<string>();
    const reveal = this.mayReveal(access, columns);
    const sensitivePaths = access.scopePaths('people.sensitive');
    const query = this.query;
    const cipher = this.cipher;
    async function* rows(): AsyncGenerator<SheetCell[][]> {
      for await (const batch of batches) {
        if (!reveal) {
          yield batch.map((r) => r.cells);
          continue;
        }
        const ids = [...new Set(batch.flatMap((r) => (r.personId ? [r.personId] : [])))];
        const found = new Map((ids.length ? await query.people(ids) : []).map((p) => [p.id, p]));
        yield batch.map((r) => {
          const person = r.personId ? found.get(r.personId) : undefined;
          if (!person || !personInScope(sensitivePaths, person.kindergarten_path, person.district_path)) return r.cells;
          unmasked.add(person.id);
          return r.cells.map((cell, i) => {
            const field = columns[i]?.sensitive;
            if (field === 'nationalId') return cipher.decrypt(person.national_id_enc);
            if (field === 'phone') return person.phone_enc ? cipher.decrypt(person.phone_enc) : cell;
            return cell;
          });
        });
      }
    }
    return { batches: rows(), unmaskedPeople: () => unmasked.size };
  }
}
