import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Honour, Title } from '../people/person-records.entity.js';
import type { Post } from '../people/person.entity.js';

/** A person as an application needs them: where they work (for scope and quotas) and the facts eligibility reads. */
export interface ApplicantRecord {
  personId: string;
  fullName: string;
  districtId: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  /** The kindergarten's org path (or the district's when the person has no kindergarten). */
  path: string;
  groupId: string | null;
  birthDate: string;
  post: Post | null;
  title: Title | null;
  teacherStage: string | null;
  honours: Honour[];
  hireDate: string | null;
}

/** Reads of the people record for applications and nominations, in plain SQL. */
@Injectable()
export class ApplicationFactsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async records(personIds: string[], onDate: string, manager?: EntityManager): Promise<Map<string, ApplicantRecord>> {
    if (!personIds.length) return new Map();
    const rows: ApplicantRecord[] = await (manager ?? this.db.manager).query(
      `SELECT p.id AS "personId", p.full_name AS "fullName", p.district_id AS "districtId", k.id AS "kindergartenId", k.name AS "kindergartenName",
              coalesce(k.path, d.path) AS path, gm.group_id AS "groupId", p.birth_date::text AS "birthDate", p.current_post AS post,
              (SELECT t.title FROM title_record t WHERE t.person_id = p.id AND t.effective_date <= $2::date
                ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1) AS title,
              p.teacher_stage AS "teacherStage",
              coalesce((SELECT array_agg(DISTINCT h.honour) FROM person_honour h WHERE h.person_id = p.id AND h.awarded_on <= $2::date
                         AND (h.expires_on IS NULL OR h.expires_on > $2::date)), '{}') AS honours,
              p.hire_date::text AS "hireDate"
         FROM person p JOIN org_unit d ON d.id = p.district_id
         LEFT JOIN org_unit k ON k.id = p.current_org_unit_id AND k.kind = 'kindergarten'
         LEFT JOIN kindergarten_group_member gm ON gm.kindergarten_id = k.id
        WHERE p.id = ANY($1::uuid[])`, [personIds, onDate]);
    return new Map(rows.map((r) => [r.personId, r]));
  }

  /** Staff working in kindergartens under the given paths (a kindergarten admin's nominees), by kindergarten and name. */
  async staffUnder(paths: string[], limit = 300): Promise<Array<{ personId: string; fullName: string; kindergartenName: string; post: Post | null }>> {
    if (!paths.length) return [];
    return this.db.query(
      `SELECT p.id AS "personId", p.full_name AS "fullName", k.name AS "kindergartenName", p.current_post AS post
         FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id AND k.kind = 'kindergarten'
        WHERE k.path LIKE ANY (SELECT x || '%' FROM unnest($1::text[]) x)
        ORDER BY k.name, p.full_name LIMIT $2`, [paths, limit]);
  }

  /** Teacher stages by code, in both languages, for reasons and forms. */
  async stageNames(): Promise<Map<string, { zh: string; en: string }>> {
    const rows: Array<{ code: string; zh: string; en: string }> = await this.db.query(
      `SELECT code, name_zh AS zh, name_en AS en FROM stage_definition WHERE kind = 'teacher'`);
    return new Map(rows.map((r) => [r.code, { zh: r.zh, en: r.en }]));
  }
}
