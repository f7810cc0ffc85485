import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Post } from '../people/person.entity.js';
import { prefixPatterns } from '../org/org-scope.service.js';
import { POST_CERTIFICATES, type StaffingRules } from './staffing.js';
import { KINDERGARTENS_SQL, holdsSql, staffOnSql } from './target-measures.query.js';

export interface StaffingKindergarten {
  id: string;
  code: string;
  name: string;
  ownership: 'public' | 'private' | null;
  classes: number | null;
  children: number | null;
  standard: { id: string; regionCode: string | null; effectiveFrom: string; rules: StaffingRules } | null;
}

export interface PostCount {
  kindergartenId: string;
  post: Post;
  needing: number;
  holding: number;
}

/** Whether a staff row holds every certificate its post needs (true for posts that need none). */
const CERTIFIED_SQL = `CASE s.post ${Object.entries(POST_CERTIFICATES)
  .map(([post, kinds]) => `WHEN '${post}' THEN ${kinds!.map((k) => holdsSql('s.person_id', k)).join(' AND ')}`).join(' ')} ELSE true END`;

/** Kindergartens with their size and the staffing standard in force, and staff by post with certificate holders. */
@Injectable()
export class StaffingQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The standard in force: the most specific region on the kindergarten's path (else the national row), latest effective first. */
  kindergartens(paths: string[], ownership: string | null, on: string): Promise<StaffingKindergarten[]> {
    if (!paths.length) return Promise.resolve([]);
    return this.db.query(
      `WITH kg AS (${KINDERGARTENS_SQL})
       SELECT kg.id, kg.code, kg.name, kg.ownership,
              CASE WHEN o.kindergarten_classes IS NULL AND o.nursery_classes IS NULL THEN NULL
                   ELSE coalesce(o.kindergarten_classes, 0) + coalesce(o.nursery_classes, 0) END AS classes,
              o.children_enrolled AS children,
              (SELECT json_build_object('id', s.id, 'regionCode', s.region_code, 'effectiveFrom', to_char(s.effective_from, 'YYYY-MM-DD'), 'rules', s.rules)
                 FROM staffing_standard s LEFT JOIN org_unit r ON r.code = s.region_code AND kg.path LIKE r.path || '%'
                WHERE s.effective_from <= $3::date AND (s.region_code IS NULL OR r.id IS NOT NULL)
                ORDER BY r.depth DESC NULLS LAST, s.effective_from DESC LIMIT 1) AS standard
         FROM kg JOIN org_unit o ON o.id = kg.id ORDER BY kg.code`, [prefixPatterns(paths), ownership, on]);
  }

  posts(paths: string[], ownership: string | null, on: string): Promise<PostCount[]> {
    if (!paths.length) return Promise.resolve([]);
    return this.db.query(
      `WITH kg AS (${KINDERGARTENS_SQL}), staff AS (${staffOnSql()})
       SELECT s.kindergarten_id AS "kindergartenId", s.post, count(*)::int AS needing, (count(*) FILTER (WHERE ${CERTIFIED_SQL}))::int AS holding
         FROM staff s GROUP BY 1, 2`, [prefixPatterns(paths), ownership, on]);
  }
}
