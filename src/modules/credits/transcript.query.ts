import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Audience, CourseLevel, CreditCategory } from '../catalog/catalog.entities.js';
import type { CreditSource } from './credit.entities.js';
import { ENTRY_STANDS } from './credit-entry.sql.js';

export interface TranscriptPerson {
  id: string;
  fullName: string;
  districtId: string;
  districtName: string;
  kindergartenName: string | null;
  /** Org path of the current kindergarten, or of the district when not employed. */
  orgPath: string;
}

export interface CycleRow {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  startsOn: string;
  endsOn: string;
}

export interface TranscriptEntry {
  id: string;
  title: string;
  occurredOn: string;
  category: CreditCategory;
  level: CourseLevel;
  hours: number;
  credits: number;
  source: CreditSource;
}

export interface OpenOfferingRow {
  offeringId: string;
  courseTitle: string;
  label: string;
  category: CreditCategory;
  level: CourseLevel;
  hours: number;
  credits: number;
  audience: Audience;
  enrolClosesAt: Date;
  firstMeetingAt: Date | null;
}

/** What a transcript reads: the person, the cycles that apply where they work, their entries, and open offerings. */
@Injectable()
export class TranscriptQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async person(personId: string): Promise<TranscriptPerson | null> {
    const rows: TranscriptPerson[] = await this.db.query(
      `SELECT p.id, p.full_name AS "fullName", p.district_id AS "districtId", d.name AS "districtName",
              k.name AS "kindergartenName", coalesce(k.path, d.path) AS "orgPath"
         FROM person p JOIN org_unit d ON d.id = p.district_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE p.id = $1`, [personId]);
    return rows[0] ?? null;
  }

  /** National cycles and those of the regions above the person's place, latest first. */
  async cycles(orgPath: string): Promise<CycleRow[]> {
    return this.db.query(
      `SELECT c.id, c.code, c.name_zh AS "nameZh", c.name_en AS "nameEn",
              to_char(c.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(c.ends_on, 'YYYY-MM-DD') AS "endsOn"
         FROM credit_cycle c
        WHERE c.region_code IS NULL OR c.region_code IN (SELECT o.code FROM org_unit o WHERE $1 LIKE o.path || '%')
        ORDER BY c.starts_on DESC, c.region_code NULLS LAST`, [orgPath]);
  }

  /**
   * The entries that count toward the cycle, net of corrections: a reversal row and the entry it
   * reverses both drop out. An entry without a cycle counts toward the cycle its date falls in.
   */
  async entries(personId: string, cycle: CycleRow): Promise<TranscriptEntry[]> {
    return this.db.query(
      `SELECT e.id, e.title, to_char(e.occurred_on, 'YYYY-MM-DD') AS "occurredOn", e.category, e.level,
              e.hours::float AS hours, e.credits::float AS credits, e.source
         FROM credit_entry e
        WHERE e.person_id = $1 AND ${ENTRY_STANDS}
          AND (e.cycle_id = $2 OR (e.cycle_id IS NULL AND e.occurred_on BETWEEN $3::date AND $4::date))
        ORDER BY e.occurred_on, e.recorded_at, e.id`, [personId, cycle.id, cycle.startsOn, cycle.endsOn]);
  }

  /**
   * Published offerings open for enrolment now whose course reaches the person's place and has one
   * of the wanted category/level pairs, leaving out courses the person is already in or has completed.
   */
  async openOfferings(personId: string, orgPath: string, categories: CreditCategory[], levels: CourseLevel[], limit = 40): Promise<OpenOfferingRow[]> {
    if (!categories.length || !levels.length) return [];
    return this.db.query(
      `SELECT o.id AS "offeringId", c.title AS "courseTitle", o.label, c.category, c.level, c.hours::float AS hours, c.credits::float AS credits,
              c.audience, o.enrol_closes_at AS "enrolClosesAt",
              (SELECT min(m.starts_at) FROM meeting m WHERE m.offering_id = o.id) AS "firstMeetingAt"
         FROM offering o
         JOIN course c ON c.id = o.course_id
         JOIN org_unit owner ON owner.id = c.owner_org_unit_id
        WHERE o.status = 'published' AND c.status = 'published'
          AND now() >= o.enrol_opens_at AND now() < o.enrol_closes_at
          AND $2 LIKE owner.path || '%'
          AND c.category = ANY($3::text[]) AND c.level = ANY($4::text[])
          AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = $1 AND e.course_id = c.id
                             AND e.status IN ('pending_approval', 'enrolled', 'waitlisted', 'offered', 'completed'))
        ORDER BY o.enrol_closes_at, o.id
        LIMIT $5`, [personId, orgPath, categories, levels, limit]);
  }
}
