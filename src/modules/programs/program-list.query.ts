import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ProgramKind, ProgramStatus } from './programs.entities.js';

export interface ProgramListFilters {
  tier?: string;
  status?: ProgramStatus;
  kind?: ProgramKind;
  round?: number;
}

export interface ProgramListRow {
  id: string;
  districtId: string;
  districtName: string;
  kind: ProgramKind;
  tier: string;
  tierNameZh: string | null;
  tierNameEn: string | null;
  code: string;
  nameZh: string;
  nameEn: string;
  round: number | null;
  startsOn: string;
  endsOn: string;
  status: ProgramStatus;
  applicationsOpenAt: Date;
  applicationsCloseAt: Date;
  /** Applications not withdrawn (shown to district staff only). */
  applications: number;
}

/** Program lists: by the district paths a manager reaches, or the published programs of the districts a person works in. */
@Injectable()
export class ProgramListQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(scope: { managedPaths: string[]; viewerDistrictIds: string[] }, filters: ProgramListFilters): Promise<ProgramListRow[]> {
    if (!scope.managedPaths.length && !scope.viewerDistrictIds.length) return [];
    const params: unknown[] = [scope.managedPaths, scope.viewerDistrictIds];
    const where = [`(d.path LIKE ANY (SELECT p || '%' FROM unnest($1::text[]) p) OR (p.district_id = ANY($2::uuid[]) AND p.status <> 'draft'))`];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filters.tier) add('p.tier = ?', filters.tier);
    if (filters.status) add('p.status = ?', filters.status);
    if (filters.kind) add('p.kind = ?', filters.kind);
    if (filters.round) add('p.round = ?', filters.round);
    return this.db.query(
      `SELECT p.id, p.district_id AS "districtId", d.name AS "districtName", p.kind, p.tier, p.tier_name_zh AS "tierNameZh", p.tier_name_en AS "tierNameEn",
              p.code, p.name_zh AS "nameZh", p.name_en AS "nameEn", p.round, p.starts_on::text AS "startsOn", p.ends_on::text AS "endsOn", p.status,
              p.applications_open_at AS "applicationsOpenAt", p.applications_close_at AS "applicationsCloseAt",
              (SELECT count(*)::int FROM program_application a WHERE a.program_id = p.id AND a.status <> 'withdrawn') AS applications
         FROM program p JOIN org_unit d ON d.id = p.district_id
        WHERE ${where.join(' AND ')}
        ORDER BY p.applications_open_at DESC, p.code LIMIT 500`, params);
  }

  /** The districts whose published programs a person sees: where their record is, and where any role of theirs reaches. */
  async viewerDistrictIds(personId: string | null, grantPaths: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT DISTINCT d.id FROM org_unit d
        WHERE d.kind = 'district' AND (d.id = (SELECT district_id FROM person WHERE id = $1)
           OR EXISTS (SELECT 1 FROM unnest($2::text[]) g WHERE g LIKE d.path || '%' OR d.path LIKE g || '%'))`,
      [personId, grantPaths]);
    return rows.map((r) => r.id);
  }

  /** Teacher-stage codes a program may name. */
  async stageCodes(): Promise<string[]> {
    const rows: Array<{ code: string }> = await this.db.query(`SELECT code FROM stage_definition WHERE kind = 'teacher' ORDER BY sort_order`);
    return rows.map((r) => r.code);
  }

  async stages(): Promise<Array<{ code: string; nameZh: string; nameEn: string }>> {
    return this.db.query(`SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM stage_definition WHERE kind = 'teacher' AND active ORDER BY sort_order`);
  }
}
