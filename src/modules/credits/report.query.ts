import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { prefixPatterns } from '../org/org-scope.service.js';

/** A person in the report with every unit they can be counted under. */
export interface ReportPerson {
  personId: string;
  fullName: string;
  kindergartenId: string;
  kindergartenCode: string;
  kindergartenName: string;
  groupId: string | null;
  groupName: string | null;
  townId: string | null;
  townName: string | null;
  districtId: string;
  districtName: string;
}

export interface CycleChoice {
  code: string;
  nameZh: string;
  nameEn: string;
  startsOn: string;
  endsOn: string;
}

export interface SchemeChoice {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Who the compliance report counts, and the cycles and schemes it can be filtered by. */
@Injectable()
export class ReportQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Staff working in a kindergarten under the given path prefixes, in kindergarten order. */
  async people(paths: string[]): Promise<ReportPerson[]> {
    if (!paths.length) return [];
    return this.db.query(
      `SELECT p.id AS "personId", p.full_name AS "fullName",
              k.id AS "kindergartenId", k.code AS "kindergartenCode", k.name AS "kindergartenName",
              g.id AS "groupId", g.name AS "groupName",
              t.id AS "townId", t.name AS "townName",
              d.id AS "districtId", d.name AS "districtName"
         FROM person p
         JOIN org_unit k ON k.id = p.current_org_unit_id AND k.kind = 'kindergarten'
         JOIN org_unit d ON d.id = p.district_id
         LEFT JOIN org_unit t ON t.id = k.parent_id AND t.kind IN ('town', 'zone')
         LEFT JOIN kindergarten_group_member gm ON gm.kindergarten_id = k.id
         LEFT JOIN kindergarten_group g ON g.id = gm.group_id
        WHERE k.path LIKE ANY($1::text[])
        ORDER BY k.code, p.full_name, p.id`, [prefixPatterns(paths)]);
  }

  /** Cycles in the regions above the given paths, and the national ones; latest first. */
  async cycles(paths: string[]): Promise<CycleChoice[]> {
    return this.db.query(
      `SELECT c.code, c.name_zh AS "nameZh", c.name_en AS "nameEn",
              to_char(c.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn"
         FROM credit_cycle c
        WHERE c.region_code IS NULL
           OR c.region_code IN (SELECT o.code FROM org_unit o WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) s(path) WHERE s.path LIKE o.path || '%'))
        ORDER BY c.starts_on DESC, c.region_code NULLS LAST`, [paths]);
  }

  async schemes(): Promise<SchemeChoice[]> {
    return this.db.query(
      `SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM requirement_scheme ORDER BY code`);
  }
}
