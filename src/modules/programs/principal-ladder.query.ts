import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { prefixPatterns } from '../org/org-scope.service.js';
import type { StageStep } from './principal-rules.js';

export interface LadderPerson {
  personId: string;
  fullName: string;
  post: string | null;
  stage: string | null;
  kindergartenId: string;
  kindergartenCode: string;
  kindergartenName: string;
}

export interface StageDefinitionRow {
  code: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
}

export interface StageSchemeRow {
  code: string;
  nameZh: string;
  nameEn: string;
  regionCode: string | null;
  principalStages: string[];
  unit: string;
  total: number;
}

export interface ScopeUnitRow {
  id: string;
  name: string;
  path: string;
  districtId: string | null;
  kind: string;
}

/** Plain SQL reads for the principal reports (people, stage records, stage definitions and credit schemes, read only). */
@Injectable()
export class PrincipalLadderQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async unit(id: string): Promise<ScopeUnitRow | null> {
    const rows: ScopeUnitRow[] = await this.db.query(
      `SELECT id, name, path, district_id AS "districtId", kind FROM org_unit WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Principals, vice principals and anyone on the principal ladder (a reserve principal may still be a teacher), by kindergarten. */
  async people(paths: string[]): Promise<LadderPerson[]> {
    if (paths.length === 0) return [];
    return this.db.query(
      `SELECT p.id AS "personId", p.full_name AS "fullName", p.current_post AS post, p.principal_stage AS stage,
              k.id AS "kindergartenId", k.code AS "kindergartenCode", k.name AS "kindergartenName"
         FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE k.path LIKE ANY($1::text[]) AND (p.current_post IN ('principal', 'vice_principal') OR p.principal_stage IS NOT NULL)
        ORDER BY k.code, array_position(ARRAY['principal','vice_principal']::text[], p.current_post) NULLS LAST, p.full_name, p.id`,
      [prefixPatterns(paths)]);
  }

  async history(personIds: string[]): Promise<Map<string, StageStep[]>> {
    const out = new Map<string, StageStep[]>();
    if (personIds.length === 0) return out;
    const rows: Array<StageStep & { personId: string }> = await this.db.query(
      `SELECT person_id AS "personId", stage, to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate"
         FROM stage_record WHERE kind = 'principal' AND person_id = ANY($1::uuid[]) ORDER BY person_id, effective_date, created_at`, [personIds]);
    for (const { personId, ...step } of rows) out.set(personId, [...(out.get(personId) ?? []), step]);
    return out;
  }

  /** The configurable ladder, in order (inactive stages kept: people may still hold them). */
  async stages(): Promise<StageDefinitionRow[]> {
    return this.db.query(
      `SELECT code, name_zh AS "nameZh", name_en AS "nameEn", active FROM stage_definition WHERE kind = 'principal' ORDER BY sort_order, code`);
  }

  /** Five-year credit schemes written for principal stages, in force on the day (regional ones first). */
  async stageSchemes(on: string): Promise<StageSchemeRow[]> {
    return this.db.query(
      `SELECT code, name_zh AS "nameZh", name_en AS "nameEn", region_code AS "regionCode", principal_stages AS "principalStages", unit, total::float AS total
         FROM requirement_scheme
        WHERE cycle_kind = 'region_cycle' AND cardinality(principal_stages) > 0
          AND effective_from <= $1::date AND (effective_to IS NULL OR effective_to >= $1::date)
        ORDER BY region_code IS NULL, code`, [on]);
  }
}
