import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface PledgeStaffRow {
  personId: string;
  fullName: string;
  kindergartenId: string;
  kindergartenName: string;
  kindergartenCode: string;
  path: string;
  pledged: boolean;
  signedAt: Date | null;
  ethicsCredits: number;
}

/** This year's integrity pledges (师德承诺) and ethics-category credits of the staff under some org paths. */
@Injectable()
export class PledgesQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async staff(scopePaths: string[], year: number, options: { personId?: string; kindergartenId?: string } = {}): Promise<PledgeStaffRow[]> {
    if (!scopePaths.length) return [];
    return this.db.query(
      `WITH staff AS (
         SELECT p.id, p.full_name, k.id AS kid, k.name AS kname, k.code AS kcode, k.path
           FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id
          WHERE k.kind = 'kindergarten' AND k.path LIKE ANY($1::text[])
            AND ($3::uuid IS NULL OR p.id = $3) AND ($4::uuid IS NULL OR k.id = $4)),
       ethics AS (
         SELECT c.person_id, sum(c.credits) AS credits FROM credit_entry c JOIN staff s ON s.id = c.person_id
          WHERE c.category = 'ethics' AND c.occurred_on BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)
          GROUP BY c.person_id)
       SELECT s.id AS "personId", s.full_name AS "fullName", s.kid AS "kindergartenId", s.kname AS "kindergartenName", s.kcode AS "kindergartenCode",
              s.path, ip.person_id IS NOT NULL AS pledged, ip.signed_at AS "signedAt", coalesce(e.credits, 0)::float8 AS "ethicsCredits"
         FROM staff s LEFT JOIN integrity_pledge ip ON ip.person_id = s.id AND ip.year = $2 LEFT JOIN ethics e ON e.person_id = s.id
        ORDER BY s.kcode, s.full_name`,
      [scopePaths.map((p) => `${p}%`), year, options.personId ?? null, options.kindergartenId ?? null]);
  }

  /** The yearly ethics-study minimum in force at the end of `year` for each region path (the deepest region's rule wins). */
  async minimumRules(year: number): Promise<Array<{ path: string | null; depth: number; minCredits: number }>> {
    return this.db.query(
      `SELECT DISTINCT ON (o.path) o.path, coalesce(o.depth, -1) AS depth, r.min_credits::float8 AS "minCredits"
         FROM ethics_study_rule r LEFT JOIN org_unit o ON o.code = r.region_code
        WHERE r.effective_from <= make_date($1, 12, 31) AND (r.region_code IS NULL OR o.id IS NOT NULL)
        ORDER BY o.path, r.effective_from DESC`, [year]);
  }
}
