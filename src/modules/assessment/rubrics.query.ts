import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { RubricMethod } from './assessment.entities.js';

export interface RubricListItem {
  id: string;
  districtId: string;
  method: RubricMethod;
  name: string;
  description: string | null;
  maxPoints: number;
  criteriaCount: number;
  ownerUserId: string | null;
  ownerName: string | null;
  /** Items (assignments, offline items) that grade with it. */
  itemCount: number;
  archivedAt: Date | null;
  updatedAt: Date;
}

export interface RubricListFilter {
  districtIds: string[];
  q?: string;
  method?: RubricMethod;
  includeArchived: boolean;
  page: number;
  pageSize: number;
}

/** Reads for rubrics: the list, who may use them (by district), and whether grading has begun with one. */
@Injectable()
export class RubricsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(filter: RubricListFilter): Promise<{ items: RubricListItem[]; total: number }> {
    const params: unknown[] = [filter.districtIds];
    const where = ['r.district_id = ANY($1::uuid[])'];
    if (!filter.includeArchived) where.push('r.archived_at IS NULL');
    if (filter.method) where.push(`r.method = $${params.push(filter.method)}`);
    if (filter.q) where.push(`r.name ILIKE $${params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM rubric r WHERE ${where.join(' AND ')}`, params);
    const rows = await this.db.query(
      `SELECT r.id, r.district_id AS "districtId", r.method, r.name, r.description, r.max_points::float8 AS "maxPoints",
              jsonb_array_length(r.criteria) AS "criteriaCount", r.owner_user_id AS "ownerUserId", u.display_name AS "ownerName",
              (SELECT count(*)::int FROM assessment_item i WHERE i.rubric_id = r.id AND i.archived_at IS NULL) AS "itemCount",
              r.archived_at AS "archivedAt", r.updated_at AS "updatedAt"
         FROM rubric r LEFT JOIN app_user u ON u.id = r.owner_user_id
        WHERE ${where.join(' AND ')}
        ORDER BY r.archived_at IS NOT NULL, r.name, r.id
        LIMIT $${params.push(filter.pageSize)} OFFSET $${params.push((filter.page - 1) * filter.pageSize)}`, params);
    return { items: rows, total };
  }

  /** Whether any grade or marker's mark exists for an item grading with the rubric (its scoring is then fixed). */
  async inUse(rubricId: string, manager?: EntityManager): Promise<boolean> {
    const [row] = await (manager ?? this.db.manager).query(
      `SELECT EXISTS (SELECT 1 FROM assessment_item i WHERE i.rubric_id = $1
                 AND (EXISTS (SELECT 1 FROM grade g WHERE g.item_id = i.id) OR EXISTS (SELECT 1 FROM grade_mark m WHERE m.item_id = i.id))) AS used`,
      [rubricId]);
    return row.used;
  }

  /** Items grading with the rubric whose pass mark is above a new maximum. */
  async itemsPassingAbove(rubricId: string, maxPoints: number, manager: EntityManager): Promise<string[]> {
    const rows: Array<{ title: string }> = await manager.query(
      `SELECT title FROM assessment_item WHERE rubric_id = $1 AND pass_points > $2 ORDER BY title`, [rubricId, maxPoints]);
    return rows.map((r) => r.title);
  }

  /** Items keep a copy of their rubric's maximum; a new scoring (allowed only before grading) updates it. */
  async syncItemMaximum(rubricId: string, maxPoints: number, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE assessment_item SET max_points = $2, updated_at = now() WHERE rubric_id = $1 AND max_points IS DISTINCT FROM $2`,
      [rubricId, maxPoints]);
  }

  /** The districts under city-level paths (a scope wider than one district). */
  async districtsUnder(paths: string[], manager?: EntityManager): Promise<string[]> {
    if (!paths.length) return [];
    const rows: Array<{ id: string }> = await (manager ?? this.db.manager).query(
      `SELECT id FROM org_unit WHERE kind = 'district' AND path LIKE ANY($1::text[]) ORDER BY path`, [paths.map((p) => `${p}%`)]);
    return rows.map((r) => r.id);
  }

  /** The districts of the offerings a user is listed on as trainer (an expert's only reach). */
  async trainedDistricts(userId: string, manager?: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await (manager ?? this.db.manager).query(
      `SELECT DISTINCT o.district_id AS id FROM offering_trainer t JOIN offering o ON o.id = t.offering_id WHERE t.user_id = $1`, [userId]);
    return rows.map((r) => r.id);
  }

  async districtPath(districtId: string, manager?: EntityManager): Promise<string | null> {
    const [row] = await (manager ?? this.db.manager).query(`SELECT path FROM org_unit WHERE id = $1`, [districtId]);
    return row?.path ?? null;
  }

  async ownerName(userId: string | null): Promise<string | null> {
    if (!userId) return null;
    const [row] = await this.db.query(`SELECT display_name FROM app_user WHERE id = $1`, [userId]);
    return row?.display_name ?? null;
  }
}
