import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Title } from '../people/person-records.entity.js';
import { prefixPatterns } from '../org/org-scope.service.js';
import { KINDERGARTENS_SQL, titleOnSql } from './target-measures.query.js';

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

/** A senior-title holder counted at a kindergarten; `rotatedFrom` when they serve there on a rotation. */
export interface SeniorHolder {
  personId: string;
  name: string;
  title: Title;
  post: string | null;
  rotatedFrom: string | null;
}

/** A kindergarten with its own staff holding one of the titles asked for, shaped as they are reported (not yet rotated). */
export interface KindergartenHolders extends KindergartenRef {
  holders: SeniorHolder[];
}

/**
 * Staff employed on the day `on` at the kindergartens `kindergartens` (a subquery, or an array with
 * `asArray`) whose title that day is one of `titles`.
 */
const HOLDERS_SQL = (kindergartens: string, on: string, titles: string, asArray = false) =>
  `SELECT e.person_id AS "personId", p.full_name AS name, e.post, latest.title, e.org_unit_id AS "kindergartenId"
     FROM employment e
     JOIN person p ON p.id = e.person_id
     CROSS JOIN LATERAL ${titleOnSql('e.person_id', on)} latest
    WHERE e.org_unit_id ${asArray ? `= ANY(${kindergartens})` : `IN ${kindergartens}`} AND e.start_date <= ${on}::date AND (e.end_date IS NULL OR e.end_date >= ${on}::date)
      AND EXISTS (SELECT 1 FROM title_record h WHERE h.person_id = e.person_id AND h.title = ANY(${titles}::text[]) AND h.effective_date <= ${on}::date)
      AND latest.title = ANY(${titles}::text[])`;

/** Kindergartens in scope with their town and groups, and who holds which title there on a day. */
@Injectable()
export class CoverageQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The kindergartens in scope by code, each with its town, its groups and who holds one of `titles`
   * there on the day (by name): one statement. The town is the deepest town among the units in the
   * kindergarten's path (paths are ids and slashes), found by id rather than by comparing paths with
   * every org unit. Only people with a record of such a title by the day can qualify, so that small,
   * indexed set is joined first and the latest record looked up for them alone.
   */
  kindergartensWithHolders(paths: string[], ownership: string | null, on: string, titles: readonly Title[]): Promise<KindergartenHolders[]> {
    if (!paths.length) return Promise.resolve([]);
    return this.db.query(
      `WITH kg AS (${KINDERGARTENS_SQL}),
            town AS (SELECT DISTINCT ON (kg.id) kg.id AS kindergarten_id, json_build_object('id', t.id, 'name', t.name) AS town
                       FROM kg CROSS JOIN LATERAL unnest(string_to_array(btrim(kg.path, '/'), '/')::uuid[]) a(id)
                       JOIN org_unit t ON t.id = a.id AND t.kind = 'town'
                      ORDER BY kg.id, t.depth DESC),
            grouped AS (SELECT m.kindergarten_id, json_agg(json_build_object('id', g.id, 'code', g.code, 'name', g.name) ORDER BY g.code) AS groups
                          FROM kindergarten_group_member m JOIN kindergarten_group g ON g.id = m.group_id
                         WHERE m.kindergarten_id IN (SELECT id FROM kg) AND (m.joined_on IS NULL OR m.joined_on <= $3::date)
                         GROUP BY m.kindergarten_id),
            held AS (${HOLDERS_SQL('(SELECT id FROM kg)', '$3', '$4')}),
            holders AS (SELECT "kindergartenId" AS kindergarten_id,
                               json_agg(json_build_object('personId', "personId", 'name', name, 'title', title, 'post', post, 'rotatedFrom', NULL)
                                        ORDER BY name, "personId") AS holders
                          FROM held GROUP BY "kindergartenId")
       SELECT kg.id, kg.code, kg.name, kg.ownership, town.town, coalesce(grouped.groups, '[]'::json) AS groups, coalesce(holders.holders, '[]'::json) AS holders
         FROM kg LEFT JOIN town ON town.kindergarten_id = kg.id LEFT JOIN grouped ON grouped.kindergarten_id = kg.id
              LEFT JOIN holders ON holders.kindergarten_id = kg.id
        ORDER BY kg.code`, [prefixPatterns(paths), ownership, on, titles]);
  }

  /**
   * Everyone employed in the kindergartens on the day whose title that day is in `titles`. Only people
   * with a record of such a title by the day can qualify, so that (small, indexed) set is joined first
   * and the latest record is looked up for them alone, not for every member of staff.
   */
  titledStaff(kindergartenIds: string[], titles: readonly Title[], on: string): Promise<TitledPerson[]> {
    if (!kindergartenIds.length) return Promise.resolve([]);
    return this.db.query(`${HOLDERS_SQL('$1::uuid[]', '$2', '$3', true)} ORDER BY name, "personId"`, [kindergartenIds, on, titles]);
  }

  /** Titles on the day of people rotating in from elsewhere. */
  async titles(personIds: string[], on: string): Promise<Map<string, Title | null>> {
    if (!personIds.length) return new Map();
    const rows: Array<{ id: string; title: Title | null }> = await this.db.query(
      `SELECT p.id, ${titleOnSql('p.id', '$2')} AS title FROM person p WHERE p.id = ANY($1::uuid[])`, [personIds, on]);
    return new Map(rows.map((r) => [r.id, r.title]));
  }
}
