import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { FieldCipher } from '../../common/field-cipher.js';
import { normaliseNationalId } from '../../common/national-id.js';
import type { CourseLevel, CreditCategory } from '../catalog/catalog.entities.js';
import { CreditConversionService } from './credit-conversion.service.js';
import { CreditCyclesService } from './credit-cycles.service.js';
import { deliveryOf } from './ledger-rules.js';

/** A person of the district found by national ID, with what the credit history import checks. */
export interface ImportedPerson {
  personId: string;
  nationalIdHash: string;
  nationalIdMasked: string;
  fullName: string;
  birthDate: string;
  /** The current kindergarten's path, or the district's: where conversion rules and cycles are looked up. */
  orgPath: string;
}

/** One entry carried over from another platform, ready to write. */
export interface ImportedEntry {
  personId: string;
  sourceKey: string;
  title: string;
  hours: number;
  credits: number;
  category: CreditCategory;
  level: CourseLevel;
  occurredOn: string;
  importedSource: string;
  externalId: string | null;
}

type Cache = Map<string, unknown>;

/** Looks `key` up in `cache` (when given), computing it once. */
async function cached<T>(cache: Cache | undefined, key: string, compute: () => Promise<T>): Promise<T> {
  if (!cache) return compute();
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key) as Promise<T>;
}

/**
 * Credit history from earlier platforms into the append-only ledger as `import` entries that name
 * their source: the look-ups the dry run needs and one multi-row insert per batch, idempotent by source key.
 */
@Injectable()
export class LedgerImportWriter {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: FieldCipher,
    private readonly cycles: CreditCyclesService,
    private readonly conversion: CreditConversionService,
  ) {}

  nationalIdHash(nationalId: string): string {
    return this.cipher.lookupHash(normaliseNationalId(nationalId));
  }

  /** The district's people with these national IDs, keyed by the ID's lookup hash; people of other districts are not found. */
  async peopleByNationalId(districtId: string, nationalIds: string[]): Promise<Map<string, ImportedPerson>> {
    const hashes = [...new Set(nationalIds.map((id) => this.nationalIdHash(id)))];
    if (!hashes.length) return new Map();
    const rows: ImportedPerson[] = await this.db.query(
      `SELECT p.id AS "personId", p.national_id_hash AS "nationalIdHash", p.national_id_masked AS "nationalIdMasked", p.full_name AS "fullName",
              to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate", coalesce(k.path, d.path) AS "orgPath"
         FROM person p JOIN org_unit d ON d.id = p.district_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE p.national_id_hash = ANY($1::text[]) AND p.district_id = $2`, [hashes, districtId]);
    return new Map(rows.map((row) => [row.nationalIdHash, row]));
  }

  /** The source keys already in the ledger. */
  async recordedKeys(sourceKeys: string[]): Promise<Set<string>> {
    if (!sourceKeys.length) return new Set();
    const rows: Array<{ key: string }> = await this.db.query(
      'SELECT source_key AS key FROM credit_entry WHERE source_key = ANY($1::text[])', [sourceKeys]);
    return new Set(rows.map((r) => r.key));
  }

  /**
   * Credits for the hours by the region's rule in force on the date, as the ledger converts an award
   * without credits (CreditConversionService.creditsFor); null when no rule applies. The rule is looked
   * up once per place and date, so a long history file costs a few queries rather than one per row.
   */
  async creditsFor(orgPath: string, hours: number, occurredOn: string, cache?: Cache): Promise<number | null> {
    const rule = await cached(cache, `rule:${orgPath}|${occurredOn}`, () => this.conversion.ruleFor(orgPath, occurredOn));
    if (!rule) return null;
    const per = deliveryOf('import') === 'centralised' ? rule.hoursPerCreditCentralised : rule.hoursPerCreditOther;
    return Math.round((hours / per) * 100) / 100;
  }

  /**
   * Writes the entries in one statement inside the caller's transaction, each in the credit cycle of
   * its date for the person's place; a source key already recorded is skipped. Answers how many were
   * written, and the indexes of entries left out because their person is no longer in the district.
   */
  async insert(manager: EntityManager, districtId: string, recordedBy: string, all: ImportedEntry[], cache: Cache = new Map()): Promise<{ written: number; personGone: number[] }> {
    if (!all.length) return { written: 0, personGone: [] };
    const places = new Map<string, string>((await manager.query(
      `SELECT p.id, coalesce(k.path, d.path) AS path FROM person p JOIN org_unit d ON d.id = p.district_id
         LEFT JOIN org_unit k ON k.id = p.current_org_unit_id WHERE p.id = ANY($1::uuid[]) AND p.district_id = $2`,
      [[...new Set(all.map((e) => e.personId))], districtId]) as Array<{ id: string; path: string }>).map((r) => [r.id, r.path]));
    const personGone = all.flatMap((entry, index) => (places.has(entry.personId) ? [] : [index]));
    const entries = all.filter((entry) => places.has(entry.personId));
    if (!entries.length) return { written: 0, personGone };
    const cycleIds: Array<string | null> = [];
    // One at a time: the transaction has one connection.
    for (const entry of entries) {
      const path = places.get(entry.personId)!;
      cycleIds.push(await cached(cache, `cycle:${path}|${entry.occurredOn}`, async () => (await this.cycles.cycleFor(path, entry.occurredOn, manager))?.id ?? null));
    }
    const column = <K extends keyof ImportedEntry>(key: K) => entries.map((e) => e[key]);
    const inserted: unknown[] = await manager.query(
      `INSERT INTO credit_entry (person_id, district_id, hours, credits, category, level, source, source_id, source_key, title, cycle_id,
                                 occurred_on, recorded_by, approved_by, imported_source)
       SELECT x.person_id, $1, x.hours, x.credits, x.category, x.level, 'import', x.external_id, x.source_key, x.title, x.cycle_id,
              x.occurred_on, $2, $2, x.imported_source
         FROM unnest($3::uuid[], $4::numeric[], $5::numeric[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::uuid[],
                     $12::date[], $13::text[])
           AS x(person_id, hours, credits, category, level, external_id, source_key, title, cycle_id, occurred_on, imported_source)
       ON CONFLICT (source_key) DO NOTHING RETURNING id`,
      [districtId, recordedBy, column('personId'), column('hours'), column('credits'), column('category'), column('level'),
        column('externalId'), column('sourceKey'), column('title').map((t) => t.trim()), cycleIds, column('occurredOn'), column('importedSource')]);
    return { written: inserted.length, personGone };
  }
}
