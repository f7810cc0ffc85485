import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DEMONSTRATION_GRADES, SPEAKER_POSTS } from './lecture-rules.js';

/** A person as a possible speaker: their current post and kindergarten. */
export interface SpeakerFacts {
  personId: string;
  fullName: string;
  post: string | null;
  kindergartenId: string | null;
  kindergartenName: string | null;
  kindergartenGrade: string | null;
  kindergartenPath: string | null;
}

export interface SpeakerOption {
  personId: string;
  fullName: string;
  post: string;
  kindergartenId: string;
  kindergartenName: string;
  kindergartenGrade: string;
}

/** One district of the city in the overview, with its series for the semester if it has one. */
export interface OverviewRow {
  districtId: string;
  districtName: string;
  districtCode: string;
  seriesId: string | null;
  title: string | null;
  status: 'draft' | 'filed' | null;
  filedAt: Date | null;
  sessionCount: number;
  changedAfterFilingAt: Date | null;
}

/** Reads for the lecture series across the org tree, people and the audit log, in plain SQL. */
@Injectable()
export class LectureQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async speaker(personId: string, manager?: EntityManager): Promise<SpeakerFacts | null> {
    const rows: SpeakerFacts[] = await (manager ?? this.db.manager).query(
      `SELECT p.id AS "personId", p.full_name AS "fullName", p.current_post AS post, k.id AS "kindergartenId", k.name AS "kindergartenName",
              k.grade AS "kindergartenGrade", k.path AS "kindergartenPath"
         FROM person p LEFT JOIN org_unit k ON k.id = p.current_org_unit_id AND k.kind = 'kindergarten'
        WHERE p.id = $1`, [personId]);
    return rows[0] ?? null;
  }

  /** Principals and vice principals of the demonstration kindergartens under `districtPath`, for the speaker choice. */
  async speakerOptions(districtPath: string): Promise<SpeakerOption[]> {
    return this.db.query(
      `SELECT p.id AS "personId", p.full_name AS "fullName", p.current_post AS post, k.id AS "kindergartenId", k.name AS "kindergartenName",
              k.grade AS "kindergartenGrade"
         FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE k.kind = 'kindergarten' AND k.path LIKE $1 AND k.grade = ANY($2) AND p.current_post = ANY($3) AND k.status IS DISTINCT FROM 'closed'
        ORDER BY k.code, p.current_post, p.full_name`, [`${districtPath}%`, DEMONSTRATION_GRADES, SPEAKER_POSTS]);
  }

  /** Speaker names and kindergartens by person id (for the schedule, whatever their post is now). */
  async speakerNames(personIds: string[], kindergartenIds: string[]): Promise<{ people: Map<string, string>; kindergartens: Map<string, string> }> {
    const [people, kindergartens]: [Array<{ id: string; name: string }>, Array<{ id: string; name: string }>] = await Promise.all([
      personIds.length ? this.db.query(`SELECT id, full_name AS name FROM person WHERE id = ANY($1::uuid[])`, [personIds]) : [],
      kindergartenIds.length ? this.db.query(`SELECT id, name FROM org_unit WHERE id = ANY($1::uuid[])`, [kindergartenIds]) : [],
    ]);
    return { people: new Map(people.map((r) => [r.id, r.name])), kindergartens: new Map(kindergartens.map((r) => [r.id, r.name])) };
  }

  /** Districts (by name order) under the given path prefixes. */
  async districtsUnder(paths: string[]): Promise<Array<{ id: string; name: string; code: string; path: string; cityId: string }>> {
    if (!paths.length) return [];
    return this.db.query(
      `SELECT d.id, d.name, d.code, d.path, d.parent_id AS "cityId" FROM org_unit d
        WHERE d.kind = 'district' AND d.path LIKE ANY($1::text[])
        ORDER BY d.code`, [paths.map((p) => `${p}%`)]);
  }

  /**
   * Every district of the city with its series for the semester: the number of sessions, and the
   * last session change made after the filing (from the audit log), if any.
   */
  async overview(cityPath: string, semester: string): Promise<OverviewRow[]> {
    const rows: Array<OverviewRow & { sessionCount: string | number }> = await this.db.query(
      `SELECT d.id AS "districtId", d.name AS "districtName", d.code AS "districtCode", s.id AS "seriesId", s.title, s.status, s.filed_at AS "filedAt",
              (SELECT count(*) FROM lecture_session x WHERE x.series_id = s.id) AS "sessionCount",
              (SELECT max(a.occurred_at) FROM audit_log a
                WHERE s.filed_at IS NOT NULL AND a.entity_type = 'lecture_series' AND a.entity_id = s.id::text
                  AND a.action LIKE 'session_%' AND a.occurred_at > s.filed_at) AS "changedAfterFilingAt"
         FROM org_unit d LEFT JOIN lecture_series s ON s.district_id = d.id AND s.semester = $2
        WHERE d.kind = 'district' AND d.path LIKE $1
        ORDER BY d.code`, [`${cityPath}%`, semester]);
    return rows.map((r) => ({ ...r, sessionCount: Number(r.sessionCount) }));
  }

  /** When the schedule was last changed after its filing, or null. */
  async changedAfterFiling(seriesId: string, filedAt: Date | null): Promise<Date | null> {
    if (!filedAt) return null;
    const [row]: Array<{ at: Date | null }> = await this.db.query(
      `SELECT max(occurred_at) AS at FROM audit_log
        WHERE entity_type = 'lecture_series' AND entity_id = $1 AND action LIKE 'session_%' AND occurred_at > $2`, [seriesId, filedAt]);
    return row?.at ?? null;
  }
}
