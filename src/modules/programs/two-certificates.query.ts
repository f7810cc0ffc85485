import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { prefixPatterns } from '../org/org-scope.service.js';
import type { CertificateFact } from './principal-rules.js';

export interface AppointedPrincipal {
  personId: string;
  fullName: string;
  post: 'principal' | 'vice_principal';
  kindergartenId: string;
  kindergartenCode: string;
  kindergartenName: string;
  /** The first day the person held this post (a move between kindergartens in the same post is not a new appointment). */
  appointedOn: string;
  certificates: CertificateFact[];
}

/** Principals and vice principals employed in that post on the day, with their teacher-qualification and principal-training certificates. */
@Injectable()
export class TwoCertificatesQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async principals(paths: string[], on: string): Promise<AppointedPrincipal[]> {
    if (paths.length === 0) return [];
    return this.db.query(
      `WITH serving AS (
         SELECT DISTINCT ON (e.person_id) e.person_id, e.post, e.org_unit_id
           FROM employment e JOIN org_unit k ON k.id = e.org_unit_id
          WHERE e.post IN ('principal', 'vice_principal') AND e.start_date <= $2::date AND (e.end_date IS NULL OR e.end_date >= $2::date)
            AND k.path LIKE ANY($1::text[])
          ORDER BY e.person_id, array_position(ARRAY['principal','vice_principal']::text[], e.post), e.start_date DESC)
       SELECT s.person_id AS "personId", p.full_name AS "fullName", s.post, k.id AS "kindergartenId", k.code AS "kindergartenCode", k.name AS "kindergartenName",
              (SELECT to_char(min(e.start_date), 'YYYY-MM-DD') FROM employment e WHERE e.person_id = s.person_id AND e.post = s.post) AS "appointedOn",
              coalesce((SELECT json_agg(json_build_object('kind', c.kind, 'issuedOn', to_char(c.issued_on, 'YYYY-MM-DD'),
                                                          'expiresOn', to_char(c.expires_on, 'YYYY-MM-DD')) ORDER BY c.issued_on)
                          FROM person_certificate c WHERE c.person_id = s.person_id AND c.kind IN ('teacher_qualification', 'principal_training')),
                       '[]'::json) AS certificates
         FROM serving s JOIN person p ON p.id = s.person_id JOIN org_unit k ON k.id = s.org_unit_id
        ORDER BY k.code, array_position(ARRAY['principal','vice_principal']::text[], s.post), p.full_name, p.id`,
      [prefixPatterns(paths), on]);
  }
}
