import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface CheckRow {
  id: string;
  kind: 'pre_employment' | 'yearly';
  authorisedOn: string;
  authorisationRef: string;
  checkedOn: string;
  result: 'clear' | 'hit';
  note: string | null;
  recordedByName: string | null;
  createdAt: Date;
}

export interface CandidateCheckRow extends CheckRow {
  /** Null until the candidate's person record is created. */
  personId: string | null;
  fullName: string | null;
}

export interface DueCheck {
  personId: string;
  fullName: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  kindergartenPath: string;
  districtId: string;
  /**
   * yearly: the re-check 12 months after the last one; pre_employment: a hire starting without a clear check yet;
   * no_check: someone entered through the API or pages as already serving (a past start) with no check at all, due the day they were entered.
   */
  reason: 'yearly' | 'pre_employment' | 'no_check';
  dueOn: string;
  lastCheckedOn: string | null;
}

/** Reads over background checks (入职查询). Only district HR ever sees their answers. */
@Injectable()
export class ChecksQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async forPerson(personId: string): Promise<CheckRow[]> {
    return this.db.query(
      `SELECT c.id, c.kind, to_char(c.authorised_on, 'YYYY-MM-DD') AS "authorisedOn", c.authorisation_ref AS "authorisationRef",
              to_char(c.checked_on, 'YYYY-MM-DD') AS "checkedOn", c.result, c.note, u.display_name AS "recordedByName", c.created_at AS "createdAt"
         FROM background_check c LEFT JOIN app_user u ON u.id = c.recorded_by
        WHERE c.person_id = $1 ORDER BY c.checked_on DESC, c.created_at DESC`, [personId]);
  }

  /** The person's checks, latest first, read inside the caller's transaction. */
  async latestFirst(manager: EntityManager, personId: string): Promise<Array<{ kind: string; checkedOn: string; result: string }>> {
    return manager.query(
      `SELECT kind, to_char(checked_on, 'YYYY-MM-DD') AS "checkedOn", result FROM background_check
        WHERE person_id = $1 ORDER BY checked_on DESC, created_at DESC`, [personId]);
  }

  /** A check recorded for a candidate (no person record yet). */
  async candidateCheck(id: string): Promise<CandidateCheckRow> {
    const [row] = await this.db.query(
      `SELECT c.id, c.person_id AS "personId", c.candidate_name AS "fullName", c.kind, to_char(c.authorised_on, 'YYYY-MM-DD') AS "authorisedOn",
              c.authorisation_ref AS "authorisationRef", to_char(c.checked_on, 'YYYY-MM-DD') AS "checkedOn", c.result, c.note,
              u.display_name AS "recordedByName", c.created_at AS "createdAt"
         FROM background_check c LEFT JOIN app_user u ON u.id = c.recorded_by WHERE c.id = $1`, [id]);
    return row;
  }

  async personIdByNationalIdHash(hash: string): Promise<string | null> {
    const [row] = await this.db.query(`SELECT id FROM person WHERE national_id_hash = $1`, [hash]);
    return row?.id ?? null;
  }

  /** Links a new person's candidate checks (same national ID hash) to their record, inside the transaction creating it. */
  async linkCandidateChecks(manager: EntityManager, personId: string, nationalIdHash: string): Promise<void> {
    await manager.query(`UPDATE background_check SET person_id = $1 WHERE national_id_hash = $2 AND person_id IS NULL`, [personId, nationalIdHash]);
  }

  /**
   * Who needs a check by `horizon` under the given org paths: serving staff whose last check is 12
   * months old by then, and hires whose first employment starts from `asOf` on without a clear
   * pre-employment check. Serving staff never checked at all are counted, not listed, except those entered
   * through the API or pages (their record's creation is audited; demo data and imports are not) with a
   * first employment that had already started: they are listed as 'no_check' from the day they were entered.
   */
  async due(scopePaths: string[], asOf: string, horizon: string): Promise<{ items: DueCheck[]; neverChecked: number }> {
    if (!scopePaths.length) return { items: [], neverChecked: 0 };
    const prefixes = scopePaths.map((p) => `${p}%`);
    const items: DueCheck[] = await this.db.query(
      `WITH last AS (
         SELECT DISTINCT ON (person_id) person_id, checked_on FROM background_check ORDER BY person_id, checked_on DESC, created_at DESC),
       place AS (
         SELECT p.id, p.full_name, p.district_id, k.id AS kid, k.name AS kname, coalesce(k.path, d.path) AS path, p.current_org_unit_id
           FROM person p JOIN org_unit d ON d.id = p.district_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
          WHERE coalesce(k.path, d.path) LIKE ANY($1::text[]))
       SELECT pl.id AS "personId", pl.full_name AS "fullName", pl.kid AS "kindergartenId", pl.kname AS "kindergartenName",
              pl.path AS "kindergartenPath", pl.district_id AS "districtId", 'yearly' AS reason,
              to_char(l.checked_on + interval '12 months', 'YYYY-MM-DD') AS "dueOn", to_char(l.checked_on, 'YYYY-MM-DD') AS "lastCheckedOn"
         FROM place pl JOIN last l ON l.person_id = pl.id
        WHERE pl.current_org_unit_id IS NOT NULL AND l.checked_on + interval '12 months' <= $3::date
       UNION ALL
       SELECT pl.id, pl.full_name, pl.kid, pl.kname, pl.path, pl.district_id, 'pre_employment',
              to_char(first.start_date, 'YYYY-MM-DD'), (SELECT to_char(max(c.checked_on), 'YYYY-MM-DD') FROM background_check c WHERE c.person_id = pl.id)
         FROM place pl JOIN LATERAL (SELECT min(e.start_date) AS start_date FROM employment e WHERE e.person_id = pl.id) first ON true
        WHERE first.start_date >= $2::date AND first.start_date <= $3::date
          AND NOT EXISTS (SELECT 1 FROM background_check c WHERE c.person_id = pl.id AND c.kind = 'pre_employment' AND c.result = 'clear' AND c.checked_on <= first.start_date)
       UNION ALL
       SELECT pl.id, pl.full_name, pl.kid, pl.kname, pl.path, pl.district_id, 'no_check', to_char(entered.entered_on, 'YYYY-MM-DD'), NULL
         FROM place pl
         JOIN LATERAL (SELECT min(e.start_date) AS start_date FROM employment e WHERE e.person_id = pl.id) first ON true
         JOIN LATERAL (SELECT min(a.occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS entered_on FROM audit_log a
                        WHERE a.entity_type = 'person' AND a.action = 'create' AND a.entity_id = pl.id::text) entered ON entered.entered_on IS NOT NULL
        WHERE pl.current_org_unit_id IS NOT NULL AND first.start_date < $2::date AND entered.entered_on <= $3::date
          AND NOT EXISTS (SELECT 1 FROM background_check c WHERE c.person_id = pl.id)
        ORDER BY "dueOn", "fullName"`, [prefixes, asOf, horizon]);
    const [{ count }] = await this.db.query(
      `SELECT count(*)::int AS count FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE k.path LIKE ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM background_check c WHERE c.person_id = p.id)`, [prefixes]);
    return { items, neverChecked: count };
  }

  /** Users who hold `roles` over an org unit, with that unit's path: whoever may manage checks there. */
  async holders(roles: string[]): Promise<Array<{ userId: string; locale: 'zh-CN' | 'en'; path: string }>> {
    return this.db.query(
      `SELECT DISTINCT u.id AS "userId", u.locale, o.path FROM role_assignment r
         JOIN app_user u ON u.id = r.user_id AND u.disabled_at IS NULL JOIN org_unit o ON o.id = r.org_unit_id
        WHERE r.role = ANY($1::text[]) ORDER BY u.id`, [roles]);
  }
}
