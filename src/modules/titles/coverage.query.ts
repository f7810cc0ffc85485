import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Title } from '../people/person-records.entity.js';
import { prefixPatterns } from '../org/org-scope.service.js';
import { KINDERGARTENS_SQL, staffOnSql, titleOnSql } from './target-measures.query.js';

export interface KindergartenRef {
  id: string;
  code: string;
  name: string;
  ownership: 'public' | 'private' | null;
  town: { id: string; name: string } | null;
  groups: Array<{ id: string; code: string; name: string }>;
}

export interface TitledPerson {
  personId: string;
  name: string;
  post: string;
  title: Title | null;
  kindergartenId: string;
}

/** Kindergartens in scope with their town and groups, and who holds which title there on a day. */
@Injectable()
export class CoverageQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  kindergartens(paths: string[], ownership: string | null, on: string): Promise<KindergartenRef[]> {
    if (!paths.length) return Promise.resolve([]);
    return this.db.query(
      `WITH kg AS (${KINDERGARTENS_SQL})
       SELECT kg.id, kg.code, kg.name, kg.ownership,
              (SELECT json_build_object('id', t.id, 'name', t.name) FROM org_unit t
                WHERE t.kind = 'town' AND kg.path LIKE t.path || '%' ORDER BY t.depth DESC LIMIT 1) AS town,
              coalesce((SELECT json_agg(json_build_object('id', g.id, 'code', g.code, 'name', g.name) ORDER BY g.code)
                FROM kindergarten_group_member m JOIN kindergarten_group g ON g.id = m.group_id
               WHERE m.kindergarten_id = kg.id AND (m.joined_on IS NULL OR m.joined_on <= $3::date)), '[]'::json) AS groups
         FROM kg ORDER BY kg.code`, [prefixPatterns(paths), ownership, on]);
  }

  /** Everyone employed in the kindergartens on the day with a title in `titles`. */
  titledStaff(kindergartenIds: string[], titles: readonly Title[], on: string): Promise<TitledPerson[]> {
    if (!kindergartenIds.length) return Promise.resolve([]);
    return this.db.query(
      `WITH kg AS (SELECT id FROM org_unit WHERE id = ANY($1::uuid[])), staff AS (${staffOnSql('$2')})
       SELECT * FROM (SELECT s.person_id AS "personId", p.full_name AS name, s.post, ${titleOnSql('s.person_id', '$2')} AS title, s.kindergarten_id AS "kindergartenId"
                        FROM staff s JOIN person p ON p.id = s.person_id) x
        WHERE x.title = ANY($3::text[]) ORDER BY x.name`, [kindergartenIds, on, titles]);
  }

  /** Titles on the day of people rotating in from elsewhere. */
  async titles(personIds: string[], on: string): Promise<Map<string, Title | null>> {
    if (!personIds.length) return new Map();
    const rows: Array<{ id: string; title: Title | null }> = await this.db.query(
      `SELECT p.id, ${titleOnSql('p.id', '$2')} AS title FROM person p WHERE p.id = ANY($1::uuid[])`, [personIds, on]);
    return new Map(rows.map((r) => [r.id, r.title]));
  }
}
