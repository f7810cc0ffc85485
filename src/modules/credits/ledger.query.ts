import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { COURSE_LEVELS, CREDIT_CATEGORIES, type CourseLevel, type CreditCategory } from '../catalog/catalog.entities.js';
import type { CreditSource } from './credit.entities.js';

export interface LedgerFilter {
  cycleIds?: string[];
  category?: CreditCategory;
  level?: CourseLevel;
  source?: CreditSource;
}

export interface LedgerLine {
  id: string;
  personId: string;
  hours: number;
  credits: number;
  category: CreditCategory;
  level: CourseLevel;
  source: CreditSource;
  sourceId: string | null;
  /** For imported entries: the platform the entry was first recorded on. */
  importedSource: string | null;
  title: string;
  occurredOn: string;
  cycleId: string | null;
  cycleCode: string | null;
  recordedAt: Date;
  recordedBy: string | null;
  recordedByName: string | null;
  approvedBy: string | null;
  approvedByName: string | null;
  reversesEntryId: string | null;
  /** The reversal row of this entry, when it has been reversed. */
  reversedByEntryId: string | null;
  reason: string | null;
}

export interface LedgerTotal {
  category: CreditCategory;
  level: CourseLevel;
  hours: number;
  credits: number;
}

export interface PersonPlace {
  personId: string;
  districtId: string;
  /** The current kindergarten's org path, or the district's when not employed. */
  orgPath: string;
  fullName: string;
}

/** Reads of the ledger: a person's lines with filters and their totals (reversal rows included, so totals are net). */
@Injectable()
export class LedgerQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async personPlace(personId: string, manager?: EntityManager): Promise<PersonPlace | null> {
    const rows: PersonPlace[] = await (manager ?? this.db).query(
      `SELECT p.id AS "personId", p.district_id AS "districtId", coalesce(k.path, d.path) AS "orgPath", p.full_name AS "fullName"
         FROM person p JOIN org_unit d ON d.id = p.district_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE p.id = $1`, [personId]);
    return rows[0] ?? null;
  }

  async lines(personId: string, filter: LedgerFilter, page: number, pageSize: number): Promise<{ items: LedgerLine[]; total: number }> {
    const { where, params } = this.where(personId, filter);
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM credit_entry e WHERE ${where}`, params);
    const items: LedgerLine[] = await this.db.query(
      `SELECT e.id, e.person_id AS "personId", e.hours::float AS hours, e.credits::float AS credits, e.category, e.level, e.source,
              e.source_id AS "sourceId", e.imported_source AS "importedSource", e.title, to_char(e.occurred_on, 'YYYY-MM-DD') AS "occurredOn", e.cycle_id AS "cycleId",
              c.code AS "cycleCode", e.recorded_at AS "recordedAt", e.recorded_by AS "recordedBy", ru.display_name AS "recordedByName",
              e.approved_by AS "approvedBy", au.display_name AS "approvedByName", e.reverses_entry_id AS "reversesEntryId",
              rev.id AS "reversedByEntryId", e.reason
         FROM credit_entry e
         LEFT JOIN credit_cycle c ON c.id = e.cycle_id
         LEFT JOIN credit_entry rev ON rev.reverses_entry_id = e.id
         LEFT JOIN app_user ru ON ru.id = e.recorded_by
         LEFT JOIN app_user au ON au.id = e.approved_by
        WHERE ${where}
        ORDER BY e.occurred_on DESC, e.recorded_at DESC, e.id
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, pageSize, (page - 1) * pageSize]);
    return { items, total };
  }

  /** Net hours and credits by category × level (canonical order), and overall. */
  async totals(personId: string, filter: LedgerFilter): Promise<{ byCategoryLevel: LedgerTotal[]; hours: number; credits: number }> {
    const { where, params } = this.where(personId, filter);
    const rows: LedgerTotal[] = await this.db.query(
      `SELECT e.category, e.level, sum(e.hours)::float AS hours, sum(e.credits)::float AS credits
         FROM credit_entry e WHERE ${where} GROUP BY e.category, e.level`, params);
    const rank = (r: LedgerTotal) => CREDIT_CATEGORIES.indexOf(r.category) * 10 + COURSE_LEVELS.indexOf(r.level);
    const byCategoryLevel = rows.sort((a, b) => rank(a) - rank(b)).map((r) => ({ ...r, hours: round(r.hours, 1), credits: round(r.credits, 2) }));
    return {
      byCategoryLevel,
      hours: round(rows.reduce((sum, r) => sum + r.hours, 0), 1),
      credits: round(rows.reduce((sum, r) => sum + r.credits, 0), 2),
    };
  }

  private where(personId: string, filter: LedgerFilter): { where: string; params: unknown[] } {
    const params: unknown[] = [personId];
    const clauses = ['e.person_id = $1'];
    if (filter.cycleIds) clauses.push(`e.cycle_id = ANY($${params.push(filter.cycleIds)}::uuid[])`);
    if (filter.category) clauses.push(`e.category = $${params.push(filter.category)}`);
    if (filter.level) clauses.push(`e.level = $${params.push(filter.level)}`);
    if (filter.source) clauses.push(`e.source = $${params.push(filter.source)}`);
    return { where: clauses.join(' AND '), params };
  }
}

function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}
