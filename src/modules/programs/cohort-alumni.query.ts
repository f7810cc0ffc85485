import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { PageResult } from '../../common/pagination.js';
import type { AssessmentResult } from './cohort.entities.js';

export interface AlumniFilter {
  tier?: string;
  round?: number;
  /** Part of the name. */
  q?: string;
  kindergartenId?: string;
  page: number;
  pageSize: number;
}

export interface AlumnusRow {
  memberId: string;
  personId: string;
  fullName: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  programId: string;
  programNameZh: string;
  programNameEn: string;
  tier: string;
  tierNameZh: string | null;
  tierNameEn: string | null;
  round: number | null;
  finalResult: AssessmentResult;
  completedOn: string;
  teamName: string | null;
}

/** Completed members across the programs of the districts in scope (结业学员), searchable for later selection and promotion. */
@Injectable()
export class CohortAlumniQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async search(paths: string[], filter: AlumniFilter): Promise<PageResult<AlumnusRow>> {
    const params: unknown[] = [paths.map((x) => `${x}%`)];
    const where = [`m.status = 'completed'`, `d.path LIKE ANY($1::text[])`];
    const add = (sql: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(sql(params.length));
    };
    if (filter.tier) add((n) => `pr.tier = $${n}`, filter.tier);
    if (filter.round) add((n) => `pr.round = $${n}`, filter.round);
    if (filter.q?.trim()) add((n) => `p.full_name LIKE $${n}`, `%${filter.q.trim().replace(/[\\%_]/g, '\\$&')}%`);
    if (filter.kindergartenId) add((n) => `p.current_org_unit_id = $${n}`, filter.kindergartenId);
    const from = `FROM program_member m JOIN program pr ON pr.id = m.program_id JOIN org_unit d ON d.id = pr.district_id
                  JOIN person p ON p.id = m.person_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
                  LEFT JOIN program_team t ON t.id = m.team_id
                 WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total ${from}`, params);
    const items = await this.db.query(
      `SELECT m.id AS "memberId", m.person_id AS "personId", p.full_name AS "fullName", p.current_org_unit_id AS "kindergartenId",
              k.name AS "kindergartenName", pr.id AS "programId", pr.name_zh AS "programNameZh", pr.name_en AS "programNameEn",
              pr.tier, pr.tier_name_zh AS "tierNameZh", pr.tier_name_en AS "tierNameEn", pr.round, m.final_result AS "finalResult", (m.final_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "completedOn",
              t.name AS "teamName"
         ${from}
        ORDER BY m.final_at DESC, p.full_name, m.id
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize]);
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }
}
