import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { prefixPatterns } from '../org/org-scope.service.js';
import { CAREGIVING_STUDIO_PHRASE, type MeasureCount, type ScopeUnit } from './target-measures.js';

/*
 * Shared SQL. Parameters: $1 path patterns, $2 ownership (null = every kindergarten), $3 the day counted.
 * Staff on a day are read from employment (not person.current_*) so a past year's report counts that year's staff.
 */
export const KINDERGARTENS_SQL = `SELECT k.id, k.code, k.name, k.path, k.ownership FROM org_unit k
  WHERE k.kind = 'kindergarten' AND k.status = 'operating' AND k.path LIKE ANY($1::text[]) AND ($2::text IS NULL OR k.ownership = $2)`;
export const staffOnSql = (on = '$3') => `SELECT e.person_id, e.org_unit_id AS kindergarten_id, e.post FROM employment e
  WHERE e.org_unit_id IN (SELECT id FROM kg) AND e.start_date <= ${on}::date AND (e.end_date IS NULL OR e.end_date >= ${on}::date)`;
/** A person's title on the day: the latest record in force. */
export const titleOnSql = (person: string, on = '$3') =>
  `(SELECT t.title FROM title_record t WHERE t.person_id = ${person} AND t.effective_date <= ${on}::date ORDER BY t.effective_date DESC, t.created_at DESC LIMIT 1)`;
/** Holds a certificate of this kind valid on the day. */
export const holdsSql = (person: string, kind: string) =>
  `EXISTS (SELECT 1 FROM person_certificate c WHERE c.person_id = ${person} AND c.kind = '${kind}' AND c.issued_on <= $3::date AND (c.expires_on IS NULL OR c.expires_on >= $3::date))`;
const honourSql = (person: string, condition: string) =>
  `EXISTS (SELECT 1 FROM person_honour h WHERE h.person_id = ${person} AND ${condition} AND h.awarded_on <= $3::date AND (h.expires_on IS NULL OR h.expires_on > $3::date))`;

const WITH_STAFF = `WITH kg AS (${KINDERGARTENS_SQL}), staff AS (${staffOnSql()})`;

/** The live measures other than senior-title coverage (which counts rotations and is the coverage service's). */
@Injectable()
export class TargetMeasuresQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async unit(id: string): Promise<ScopeUnit | null> {
    const rows: ScopeUnit[] = await this.db.query(
      `SELECT id, kind, path, district_id AS "districtId", name FROM org_unit WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The district itself, for targets filed by district. */
  async district(id: string): Promise<ScopeUnit | null> {
    const unit = await this.unit(id);
    return unit?.kind === 'district' ? unit : null;
  }

  async count(measure: string, paths: string[], ownership: string | null, on: string): Promise<MeasureCount | null> {
    const sql = SQL[measure];
    if (!sql) return null;
    const [row] = await this.db.query(sql, [prefixPatterns(paths), ownership, on]);
    const { numerator, denominator, ...details } = row as Record<string, number | null>;
    return { numerator: numerator ?? 0, denominator: denominator ?? null, details: Object.keys(details).length ? details as Record<string, number> : undefined };
  }
}

const SQL: Record<string, string> = {
  teachers_with_preschool_education: `${WITH_STAFF}
    SELECT (count(*) FILTER (WHERE p.preschool_major))::int AS numerator, count(*)::int AS denominator
      FROM staff s JOIN person p ON p.id = s.person_id WHERE s.post = 'teacher'`,
  professorial_or_special_principal: `${WITH_STAFF}
    SELECT count(DISTINCT s.person_id)::int AS numerator, NULL::int AS denominator FROM staff s
     WHERE ${titleOnSql('s.person_id')} = 'professorial' OR ${honourSql('s.person_id', `h.honour = 'special_principal'`)}`,
  caregiving_studio_members: `${WITH_STAFF}
    SELECT count(DISTINCT s.person_id)::int AS numerator, NULL::int AS denominator FROM staff s
     WHERE ${honourSql('s.person_id', `h.honour = 'other' AND strpos(h.name, '${CAREGIVING_STUDIO_PHRASE}') > 0`)}`,
  principals_with_dual_certificates: `${WITH_STAFF}
    SELECT (count(*) FILTER (WHERE ${holdsSql('s.person_id', 'teacher_qualification')} AND ${holdsSql('s.person_id', 'principal_training')}))::int AS numerator,
           count(*)::int AS denominator
      FROM staff s WHERE s.post IN ('principal', 'vice_principal')`,
  public_kindergartens_in_groups: `WITH kg AS (${KINDERGARTENS_SQL}), grouped AS (
      SELECT kg.id, m.group_id FROM kg JOIN kindergarten_group_member m ON m.kindergarten_id = kg.id
       WHERE m.joined_on IS NULL OR m.joined_on <= $3::date)
    SELECT (SELECT count(DISTINCT id) FROM grouped)::int AS numerator, (SELECT count(*) FROM kg)::int AS denominator,
           (SELECT count(DISTINCT group_id) FROM grouped)::int AS groups`,
};
