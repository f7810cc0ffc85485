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

/** A bucket's kindergartens and how many of them are covered (the share is worked out by the caller). */
export interface BucketCount {
  id: string | null;
  name: string | null;
  total: number;
  covered: number;
}

/** The coverage report as the database assembles it: the kindergartens as JSON text, ready to be sent. */
export interface CoverageRows {
  /** JSON array of the kindergartens in scope by code, each with its town, groups and the holders counted there. */
  kindergartens: string;
  total: number;
  covered: number;
  /** In the order each first appears among the kindergartens (by code): by town, and by group (null: none). */
  byTown: BucketCount[];
  byGroup: BucketCount[];
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
   * The whole report in one statement, the kindergartens' part as JSON text (it is sent as it is: parsing and
   * serialising thousands of holders was most of the app's share of this report). Each kindergarten in scope by
   * code, with its town (the deepest town among the units in its path; paths are ids and slashes), its groups on
   * the day and the holders of one of `titles` counted there on the day: its own staff holding one (by name)
   * less those whose rotation counts them at the host, then those rotating in whose rotation counts them at
   * the host or at both, if they hold one (by name, `rotatedFrom` their home). Only people with a record of
   * such a title by the day can qualify, so that small, indexed set is joined first and the latest record is
   * looked up for them alone. The kindergartens' JSON is written as text: json_build_object looks up each
   * argument's type on every call, which made building thousands of small objects a third of the statement's
   * time. Only names and codes are free text (escaped by to_json); ids, titles, posts and ownership are uuids or
   * codes the tables' checks restrict.
   */
  async report(paths: string[], ownership: string | null, on: string, titles: readonly Title[]): Promise<CoverageRows> {
    if (!paths.length) return { kindergartens: '[]', total: 0, covered: 0, byTown: [], byGroup: [] };
    const [row] = await this.db.query(
      `WITH kg AS (${KINDERGARTENS_SQL}),
            town AS (SELECT DISTINCT ON (kg.id) kg.id AS kindergarten_id, t.id, t.name
                       FROM kg CROSS JOIN LATERAL unnest(string_to_array(btrim(kg.path, '/'), '/')::uuid[]) a(id)
                       JOIN org_unit t ON t.id = a.id AND t.kind = 'town'
                      ORDER BY kg.id, t.depth DESC),
            member AS (SELECT m.kindergarten_id, g.id, g.code, g.name
                         FROM kindergarten_group_member m JOIN kindergarten_group g ON g.id = m.group_id
                        WHERE m.kindergarten_id IN (SELECT id FROM kg) AND (m.joined_on IS NULL OR m.joined_on <= $3::date)),
            grouped AS (SELECT kindergarten_id, string_agg('{"id":"' || id || '","code":' || to_json(code) || ',"name":' || to_json(name) || '}', ',' ORDER BY code) AS groups
                          FROM member GROUP BY kindergarten_id),
            rotation_on AS (SELECT r.person_id, p.full_name AS name, r.home_kindergarten_id, r.host_kindergarten_id, r.count_at
                              FROM rotation r JOIN person p ON p.id = r.person_id
                             WHERE r.starts_on <= $3::date AND coalesce(r.ended_early_on, r.ends_on) >= $3::date
                               AND (r.home_kindergarten_id IN (SELECT id FROM kg) OR r.host_kindergarten_id IN (SELECT id FROM kg))),
            held AS (${HOLDERS_SQL('(SELECT id FROM kg)', '$3', '$4')}),
            counted AS (SELECT "kindergartenId" AS kindergarten_id, "personId" AS person_id, name, title, post, NULL::uuid AS rotated_from, 0 AS part
                          FROM held WHERE "personId" NOT IN (SELECT person_id FROM rotation_on WHERE count_at = 'host')
                        UNION ALL
                        SELECT r.host_kindergarten_id, r.person_id, r.name, latest.title, NULL, r.home_kindergarten_id, 1
                          FROM rotation_on r CROSS JOIN LATERAL ${titleOnSql('r.person_id', '$3')} latest
                         WHERE r.count_at <> 'home' AND r.host_kindergarten_id IN (SELECT id FROM kg) AND latest.title = ANY($4::text[])),
            holders AS (SELECT kindergarten_id, count(*)::int AS seniors, (count(*) FILTER (WHERE title = 'professorial'))::int AS professorial,
                               string_agg('{"personId":"' || person_id || '","name":' || to_json(name) || ',"title":"' || title || '","post":'
                                          || coalesce('"' || post || '"', 'null') || ',"rotatedFrom":' || coalesce('"' || rotated_from || '"', 'null') || '}',
                                          ',' ORDER BY part, name, person_id) AS list
                          FROM counted GROUP BY kindergarten_id),
            report AS (SELECT kg.id, kg.code, town.id AS town_id, town.name AS town_name, holders.kindergarten_id IS NOT NULL AS covered,
                              '{"id":"' || kg.id || '","code":' || to_json(kg.code) || ',"name":' || to_json(kg.name) || ',"ownership":' || coalesce(to_json(kg.ownership)::text, 'null')
                                || ',"town":' || coalesce('{"id":"' || town.id || '","name":' || to_json(town.name) || '}', 'null') || ',"groups":[' || coalesce(grouped.groups, '')
                                || '],"seniorCount":' || coalesce(holders.seniors, 0) || ',"professorialCount":' || coalesce(holders.professorial, 0)
                                || ',"covered":' || CASE WHEN holders.kindergarten_id IS NULL THEN 'false' ELSE 'true' END || ',"seniors":[' || coalesce(holders.list, '') || ']}' AS json
                         FROM kg LEFT JOIN town ON town.kindergarten_id = kg.id LEFT JOIN grouped ON grouped.kindergarten_id = kg.id
                              LEFT JOIN holders ON holders.kindergarten_id = kg.id),
            by_group AS (SELECT member.id, member.name, member.code, r.code AS first_code, r.covered FROM report r JOIN member ON member.kindergarten_id = r.id
                         UNION ALL
                         SELECT NULL, NULL, NULL, r.code, r.covered FROM report r WHERE NOT EXISTS (SELECT 1 FROM member WHERE member.kindergarten_id = r.id))
       SELECT (SELECT '[' || coalesce(string_agg(json, ',' ORDER BY code), '') || ']' FROM report) AS kindergartens,
              (SELECT count(*)::int FROM report) AS total, (SELECT count(*) FILTER (WHERE covered)::int FROM report) AS covered,
              (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'total', total, 'covered', covered) ORDER BY first_code), '[]')
                 FROM (SELECT town_id AS id, town_name AS name, count(*)::int AS total, (count(*) FILTER (WHERE covered))::int AS covered, min(code) AS first_code
                         FROM report GROUP BY town_id, town_name) b) AS "byTown",
              (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'total', total, 'covered', covered) ORDER BY first_code, code), '[]')
                 FROM (SELECT id, name, code, count(*)::int AS total, (count(*) FILTER (WHERE covered))::int AS covered, min(first_code) AS first_code
                         FROM by_group GROUP BY id, name, code) b) AS "byGroup"`,
      [prefixPatterns(paths), ownership, on, titles]);
    return row as CoverageRows;
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
}
