import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { StageDefinitionsService } from '../people/stage-definitions.service.js';

export interface StageName {
  kind: 'teacher' | 'principal';
  code: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
}

export interface TrainerOption {
  userId: string;
  displayName: string;
}

export interface NamedRef {
  id: string;
  name: string;
}

/**
 * The read-only look-ups the catalog needs from other modules' tables (stage ladders, trainer
 * roles, kindergartens and groups of a district) to check and describe audiences and trainers.
 */
@Injectable()
export class CatalogReferenceQuery {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly stageDefinitions: StageDefinitionsService) {}

  async stages(manager?: EntityManager): Promise<StageName[]> {
    return (manager ?? this.db).query(
      `SELECT kind, code, name_zh AS "nameZh", name_en AS "nameEn", active FROM stage_definition ORDER BY kind DESC, sort_order, code`);
  }

  /** The same from the ladders' in-memory copy, for describing audiences (checks read afresh with `stages`). */
  async stageNames(): Promise<StageName[]> {
    return (await this.stageDefinitions.all()).map(({ kind, code, nameZh, nameEn, active }) => ({ kind, code, nameZh, nameEn, active }));
  }

  /**
   * Users who may train a course of the district at `districtPath`: an enabled trainer whose role
   * reaches the district (or a region above it), or an expert (experts have no org scope).
   */
  async trainers(districtPath: string, userIds?: string[], manager?: EntityManager): Promise<TrainerOption[]> {
    const params: unknown[] = [districtPath];
    const only = userIds ? `AND u.id = ANY($${params.push(userIds)}::uuid[])` : '';
    return (manager ?? this.db).query(
      `SELECT DISTINCT u.id AS "userId", u.display_name AS "displayName"
         FROM app_user u JOIN role_assignment r ON r.user_id = u.id
         LEFT JOIN org_unit o ON o.id = r.org_unit_id
        WHERE u.disabled_at IS NULL ${only}
          AND (r.role = 'expert' OR (r.role = 'trainer' AND o.path IS NOT NULL AND ($1 LIKE o.path || '%' OR o.path LIKE $1 || '%')))
        ORDER BY u.display_name, u.id`, params);
  }

  async displayNames(userIds: string[]): Promise<Map<string, string>> {
    if (!userIds.length) return new Map();
    const rows: { id: string; display_name: string }[] = await this.db.query(
      `SELECT id, display_name FROM app_user WHERE id = ANY($1::uuid[])`, [userIds]);
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /** Kindergartens of the district among `ids` (all of them when `ids` is absent), by code. */
  async kindergartens(districtId: string, ids?: string[], manager?: EntityManager): Promise<NamedRef[]> {
    const params: unknown[] = [districtId];
    const only = ids ? `AND id = ANY($${params.push(ids)}::uuid[])` : '';
    return (manager ?? this.db).query(
      `SELECT id, name FROM org_unit WHERE kind = 'kindergarten' AND district_id = $1 ${only} ORDER BY code`, params);
  }

  /** Kindergarten groups of the district among `ids` (all of them when absent), by code. */
  async groups(districtId: string, ids?: string[], manager?: EntityManager): Promise<NamedRef[]> {
    const params: unknown[] = [districtId];
    const only = ids ? `AND id = ANY($${params.push(ids)}::uuid[])` : '';
    return (manager ?? this.db).query(`SELECT id, name FROM kindergarten_group WHERE district_id = $1 ${only} ORDER BY code`, params);
  }

  /** Names of kindergartens and groups anywhere, for describing an audience. */
  async names(kindergartenIds: string[], groupIds: string[]): Promise<{ kindergartens: Map<string, string>; groups: Map<string, string> }> {
    const [kindergartens, groups]: [NamedRef[], NamedRef[]] = await Promise.all([
      kindergartenIds.length ? this.db.query(`SELECT id, name FROM org_unit WHERE id = ANY($1::uuid[])`, [kindergartenIds]) : [],
      groupIds.length ? this.db.query(`SELECT id, name FROM kindergarten_group WHERE id = ANY($1::uuid[])`, [groupIds]) : [],
    ]);
    return { kindergartens: new Map(kindergartens.map((k) => [k.id, k.name])), groups: new Map(groups.map((g) => [g.id, g.name])) };
  }
}
