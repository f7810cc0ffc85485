import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CriterionMark, SurveyAnswers } from './assessment.entities.js';

export interface FileRef {
  id: string;
  name: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

export interface AttemptRow {
  id: string;
  itemId: string;
  enrollmentId: string;
  personId: string;
  attempt: number;
  body: string | null;
  answers: SurveyAnswers | null;
  submittedAt: Date;
  late: boolean;
  files: FileRef[];
}

export interface GradeRow {
  itemId: string;
  points: number | null;
  rawPoints: number | null;
  passed: boolean;
  criteria: CriterionMark[];
  feedback: string | null;
  releasedAt: Date | null;
}

export interface RosterRow {
  enrollmentId: string;
  personId: string;
  fullName: string;
  kindergarten: string | null;
  submissionId: string | null;
  attempt: number | null;
  attempts: number;
  submittedAt: Date | null;
  late: boolean | null;
  files: FileRef[];
  graded: boolean;
  released: boolean;
}

export interface SubmissionPlace {
  id: string;
  itemId: string;
  enrollmentId: string;
  personId: string;
  offeringId: string;
  kind: string;
}

const FILES = `coalesce((SELECT json_agg(json_build_object('id', f.id, 'name', f.original_name, 'contentType', f.content_type,
                  'sizeBytes', f.size_bytes, 'sha256', f.sha256) ORDER BY array_position(s.file_ids, f.id))
                  FROM stored_file f WHERE f.id = ANY(s.file_ids)), '[]'::json) AS files`;
const ATTEMPT = `s.id, s.item_id AS "itemId", s.enrollment_id AS "enrollmentId", s.person_id AS "personId", s.attempt, s.body, s.answers,
                 s.submitted_at AS "submittedAt", s.late, ${FILES}`;

/** Attempts, their files and the learner's grades, in plain SQL; writes go through the caller's transaction. */
@Injectable()
export class SubmissionsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Serialises hand-ins for one learner and item until the transaction ends, so two at once cannot
   * take the same attempt number (an advisory lock: it blocks nothing else on the enrolment).
   */
  async lockAttempts(manager: EntityManager, itemId: string, enrollmentId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`submission:${itemId}:${enrollmentId}`]);
  }

  async latest(manager: EntityManager, itemId: string, enrollmentId: string): Promise<AttemptRow | null> {
    const [row] = await manager.query(`SELECT ${ATTEMPT} FROM submission s WHERE s.item_id = $1 AND s.enrollment_id = $2 ORDER BY s.attempt DESC LIMIT 1`,
      [itemId, enrollmentId]);
    return row ?? null;
  }

  async gradeExists(manager: EntityManager, itemId: string, enrollmentId: string): Promise<boolean> {
    const [row] = await manager.query(`SELECT EXISTS (SELECT 1 FROM grade WHERE item_id = $1 AND enrollment_id = $2) AS found`, [itemId, enrollmentId]);
    return row.found;
  }

  async attempts(itemId: string, enrollmentId: string): Promise<AttemptRow[]> {
    return this.db.query(`SELECT ${ATTEMPT} FROM submission s WHERE s.item_id = $1 AND s.enrollment_id = $2 ORDER BY s.attempt DESC`, [itemId, enrollmentId]);
  }

  /** The latest attempt and the number of attempts at each item of the offering, for one enrolment. */
  async latestOfEnrollment(enrollmentId: string): Promise<Array<AttemptRow & { attempts: number }>> {
    return this.db.query(
      `SELECT DISTINCT ON (s.item_id) ${ATTEMPT}, count(*) OVER (PARTITION BY s.item_id)::int AS attempts
         FROM submission s WHERE s.enrollment_id = $1 ORDER BY s.item_id, s.attempt DESC`, [enrollmentId]);
  }

  /** The enrolment's grades, released or not: the caller shows only released ones. */
  async grades(enrollmentId: string): Promise<GradeRow[]> {
    return this.db.query(
      `SELECT item_id AS "itemId", points::float8 AS points, raw_points::float8 AS "rawPoints", passed, criteria, feedback, released_at AS "releasedAt"
         FROM grade WHERE enrollment_id = $1`, [enrollmentId]);
  }

  /** Every learner of the offering with their latest attempt at the item (or none) and whether a grade exists. */
  async roster(itemId: string, offeringId: string, statuses: string[]): Promise<RosterRow[]> {
    return this.db.query(
      `SELECT e.id AS "enrollmentId", e.person_id AS "personId", p.full_name AS "fullName", k.name AS kindergarten,
              s.id AS "submissionId", s.attempt, coalesce(s.attempt, 0) AS attempts, s.submitted_at AS "submittedAt", s.late,
              CASE WHEN s.id IS NULL THEN '[]'::json ELSE ${FILES.replace(' AS files', '')} END AS files,
              g.item_id IS NOT NULL AS graded, g.released_at IS NOT NULL AS released
         FROM enrollment e
         JOIN person p ON p.id = e.person_id
         LEFT JOIN org_unit k ON k.id = e.kindergarten_id
         LEFT JOIN LATERAL (SELECT * FROM submission WHERE item_id = $1 AND enrollment_id = e.id ORDER BY attempt DESC LIMIT 1) s ON true
         LEFT JOIN grade g ON g.item_id = $1 AND g.enrollment_id = e.id
        WHERE e.offering_id = $2 AND e.status = ANY($3::text[])
        ORDER BY p.full_name, e.id`, [itemId, offeringId, statuses]);
  }

  async place(submissionId: string): Promise<SubmissionPlace | null> {
    const [row] = await this.db.query(
      `SELECT s.id, s.item_id AS "itemId", s.enrollment_id AS "enrollmentId", s.person_id AS "personId", i.offering_id AS "offeringId", i.kind
         FROM submission s JOIN assessment_item i ON i.id = s.item_id WHERE s.id = $1`, [submissionId]);
    return row ?? null;
  }

  /** The submission a stored file belongs to. */
  async placeOfFile(fileId: string): Promise<SubmissionPlace | null> {
    const [row] = await this.db.query(
      `SELECT s.id, s.item_id AS "itemId", s.enrollment_id AS "enrollmentId", s.person_id AS "personId", i.offering_id AS "offeringId", i.kind
         FROM submission s JOIN assessment_item i ON i.id = s.item_id WHERE s.file_ids @> ARRAY[$1::uuid] LIMIT 1`, [fileId]);
    return row ?? null;
  }

  async learnerName(enrollmentId: string): Promise<{ fullName: string; kindergarten: string | null } | null> {
    const [row] = await this.db.query(
      `SELECT p.full_name AS "fullName", k.name AS kindergarten FROM enrollment e JOIN person p ON p.id = e.person_id
         LEFT JOIN org_unit k ON k.id = e.kindergarten_id WHERE e.id = $1`, [enrollmentId]);
    return row ?? null;
  }
}
