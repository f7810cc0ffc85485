import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { EnrollmentStatus } from '../enrollment/enrollment.entities.js';
import type { CriterionMark, GradingMethod, MarkerRole } from './assessment.entities.js';
import type { GradeValues } from './grading-rules.js';

/** Enrolments whose work is graded: current learners and those already completed. */
export const GRADABLE_STATUSES: readonly EnrollmentStatus[] = ['enrolled', 'completed'];

export interface EnrollmentRow {
  id: string;
  offeringId: string;
  personId: string;
  districtId: string;
  status: EnrollmentStatus;
}

export interface SubmissionRow {
  id: string;
  attempt: number;
  body: string | null;
  fileIds: string[];
  /** The stored files' names and sizes, in the submission's order. */
  files: Array<{ id: string; name: string; sizeBytes: number }>;
  submittedAt: Date;
  late: boolean;
}

export interface MarkRow {
  markerUserId: string;
  markerName: string;
  role: MarkerRole;
  submissionId: string | null;
  points: number | null;
  passed: boolean | null;
  criteria: CriterionMark[];
  feedback: string | null;
  markedAt: Date;
}

export interface GradeRow extends GradeValues {
  gradedBy: string | null;
  gradedAt: Date;
  releasedAt: Date | null;
  releasedBy: string | null;
  version: number;
}

export interface QueueRow {
  enrollmentId: string;
  personId: string;
  attempt: number | null;
  submittedAt: Date | null;
  late: boolean;
  marks: number;
  points: number | null;
  passed: boolean | null;
  releasedAt: Date | null;
}

export interface OfferingItemRow {
  id: string;
  title: string;
  gradingMethod: GradingMethod;
  maxPoints: number | null;
  passPoints: number | null;
  secondMarking: boolean;
  archived: boolean;
}

const GRADE_COLUMNS = `submission_id AS "submissionId", raw_points::float8 AS "rawPoints", points::float8 AS points, passed, criteria, feedback,
  graded_by AS "gradedBy", graded_at AS "gradedAt", released_at AS "releasedAt", released_by AS "releasedBy", version`;

/** Reads and writes of marks, grades and their history, in plain SQL. */
@Injectable()
export class GradingQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** With `lock`, the enrolment row is held (no key update, so submissions referencing it still go in) until the transaction ends. */
  async enrollment(id: string, manager?: EntityManager, lock = false): Promise<EnrollmentRow | null> {
    const [row] = await (manager ?? this.db.manager).query(
      `SELECT id, offering_id AS "offeringId", person_id AS "personId", district_id AS "districtId", status FROM enrollment WHERE id = $1
       ${lock ? 'FOR NO KEY UPDATE' : ''}`, [id]);
    return row ?? null;
  }

  /** Every attempt, newest first. */
  async submissions(itemId: string, enrollmentId: string, manager?: EntityManager): Promise<SubmissionRow[]> {
    return (manager ?? this.db.manager).query(
      `SELECT s.id, s.attempt, s.body, s.file_ids AS "fileIds", s.submitted_at AS "submittedAt", s.late,
              coalesce((SELECT json_agg(json_build_object('id', f.id, 'name', f.original_name, 'sizeBytes', f.size_bytes) ORDER BY x.n)
                          FROM unnest(s.file_ids) WITH ORDINALITY AS x(id, n) JOIN stored_file f ON f.id = x.id), '[]') AS files
         FROM submission s WHERE s.item_id = $1 AND s.enrollment_id = $2 ORDER BY s.attempt DESC`, [itemId, enrollmentId]);
  }

  async marks(itemId: string, enrollmentId: string, manager?: EntityManager): Promise<MarkRow[]> {
    return (manager ?? this.db.manager).query(
      `SELECT m.marker_user_id AS "markerUserId", u.display_name AS "markerName", m.role, m.submission_id AS "submissionId",
              m.points::float8 AS points, m.passed, m.criteria, m.feedback, m.marked_at AS "markedAt"
         FROM grade_mark m JOIN app_user u ON u.id = m.marker_user_id
        WHERE m.item_id = $1 AND m.enrollment_id = $2 ORDER BY m.role`, [itemId, enrollmentId]);
  }

  async grade(itemId: string, enrollmentId: string, manager?: EntityManager, lock = false): Promise<GradeRow | null> {
    const [row] = await (manager ?? this.db.manager).query(
      `SELECT ${GRADE_COLUMNS} FROM grade WHERE item_id = $1 AND enrollment_id = $2 ${lock ? 'FOR UPDATE' : ''}`, [itemId, enrollmentId]);
    return row ?? null;
  }

  /** With `lock`, the grades are held for update (a release waits for the import, and the other way round). */
  async gradesOfItems(itemIds: string[], manager?: EntityManager, lock = false): Promise<Array<GradeRow & { itemId: string; enrollmentId: string }>> {
    return (manager ?? this.db.manager).query(
      `SELECT item_id AS "itemId", enrollment_id AS "enrollmentId", ${GRADE_COLUMNS} FROM grade WHERE item_id = ANY($1::uuid[])
       ORDER BY item_id, enrollment_id ${lock ? 'FOR UPDATE' : ''}`, [itemIds]);
  }

  /** Every item of the offering (archived and ungraded ones too, so a sheet naming them gets a clear problem). */
  async offeringItems(offeringId: string, manager?: EntityManager): Promise<OfferingItemRow[]> {
    return (manager ?? this.db.manager).query(
      `SELECT id, title, grading_method AS "gradingMethod", max_points::float8 AS "maxPoints", pass_points::float8 AS "passPoints",
              second_marking AS "secondMarking", archived_at IS NOT NULL AS archived
         FROM assessment_item WHERE offering_id = $1 ORDER BY position, created_at`, [offeringId]);
  }

  /** Every enrolment of the offering; with `lock`, those listed are held in id order (the order every grading transaction locks in). */
  async offeringEnrollments(offeringId: string, manager?: EntityManager, lockIds?: string[]): Promise<EnrollmentRow[]> {
    const m = manager ?? this.db.manager;
    if (lockIds?.length) {
      await m.query(`SELECT id FROM enrollment WHERE offering_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [offeringId, lockIds]);
    }
    return m.query(
      `SELECT id, offering_id AS "offeringId", person_id AS "personId", district_id AS "districtId", status FROM enrollment WHERE offering_id = $1`, [offeringId]);
  }

  async history(itemId: string, enrollmentId: string) {
    return this.db.query(
      `SELECT h.id, h.changed_at AS "changedAt", h.changed_by AS "changedBy", u.display_name AS "changedByName", h.reason, h.before, h.after
         FROM grade_history h LEFT JOIN app_user u ON u.id = h.changed_by
        WHERE h.item_id = $1 AND h.enrollment_id = $2 ORDER BY h.changed_at DESC, h.id DESC`, [itemId, enrollmentId]);
  }

  /** The grading queue: every gradable learner with their latest attempt, how many marks, and the agreed grade. */
  async queue(itemId: string, offeringId: string): Promise<QueueRow[]> {
    return this.db.query(
      `SELECT e.id AS "enrollmentId", e.person_id AS "personId", s.attempt, s.submitted_at AS "submittedAt", coalesce(s.late, false) AS late,
              (SELECT count(*)::int FROM grade_mark m WHERE m.item_id = $1 AND m.enrollment_id = e.id) AS marks,
              g.points::float8 AS points, g.passed, g.released_at AS "releasedAt"
         FROM enrollment e
         LEFT JOIN LATERAL (SELECT attempt, submitted_at, late FROM submission WHERE item_id = $1 AND enrollment_id = e.id ORDER BY attempt DESC LIMIT 1) s ON true
         LEFT JOIN grade g ON g.item_id = $1 AND g.enrollment_id = e.id
        WHERE e.offering_id = $2 AND e.status = ANY($3::text[])`, [itemId, offeringId, GRADABLE_STATUSES]);
  }

  async upsertMark(manager: EntityManager, m: {
    itemId: string; enrollmentId: string; markerUserId: string; districtId: string; role: MarkerRole; submissionId: string | null;
    points: number | null; passed: boolean | null; criteria: CriterionMark[]; feedback: string | null;
  }, replaceOtherMarker: boolean): Promise<void> {
    // Without second marking there is one mark per learner, and whoever saves last is its marker.
    const conflict = replaceOtherMarker ? '(item_id, enrollment_id, role)' : '(item_id, enrollment_id, marker_user_id)';
    await manager.query(
      `INSERT INTO grade_mark (item_id, enrollment_id, marker_user_id, district_id, role, submission_id, points, passed, criteria, feedback, marked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
       ON CONFLICT ${conflict} DO UPDATE SET marker_user_id = excluded.marker_user_id, submission_id = excluded.submission_id,
         points = excluded.points, passed = excluded.passed, criteria = excluded.criteria, feedback = excluded.feedback, marked_at = excluded.marked_at`,
      [m.itemId, m.enrollmentId, m.markerUserId, m.districtId, m.role, m.submissionId, m.points, m.passed, JSON.stringify(m.criteria), m.feedback]);
  }

  /** Inserts or replaces the agreed grade (a release stays); answers the new version. */
  async upsertGrade(manager: EntityManager, key: { itemId: string; enrollment: EnrollmentRow }, values: GradeValues, gradedBy: string): Promise<number> {
    const [row] = await manager.query(
      `INSERT INTO grade (item_id, enrollment_id, person_id, district_id, submission_id, raw_points, points, passed, criteria, feedback, graded_by, graded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
       ON CONFLICT (item_id, enrollment_id) DO UPDATE SET submission_id = excluded.submission_id, raw_points = excluded.raw_points,
         points = excluded.points, passed = excluded.passed, criteria = excluded.criteria, feedback = excluded.feedback,
         graded_by = excluded.graded_by, graded_at = excluded.graded_at, version = grade.version + 1
       RETURNING version`,
      [key.itemId, key.enrollment.id, key.enrollment.personId, key.enrollment.districtId, values.submissionId, values.rawPoints, values.points,
        values.passed, JSON.stringify(values.criteria), values.feedback, gradedBy]);
    return row.version;
  }

  async insertHistory(manager: EntityManager, h: {
    itemId: string; enrollmentId: string; districtId: string; changedBy: string; reason: string; before: object; after: object;
  }): Promise<void> {
    await manager.query(
      `INSERT INTO grade_history (item_id, enrollment_id, district_id, changed_by, changed_at, reason, before, after) VALUES ($1, $2, $3, $4, now(), $5, $6, $7)`,
      [h.itemId, h.enrollmentId, h.districtId, h.changedBy, h.reason, JSON.stringify(h.before), JSON.stringify(h.after)]);
  }

  /** Releases agreed grades not yet released (all of the item's, or only the listed enrolments'); answers those released now. */
  async release(manager: EntityManager, itemId: string, releasedBy: string, enrollmentIds: string[] | null): Promise<Array<{ enrollmentId: string; personId: string }>> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows] = await manager.query(
      `UPDATE grade g SET released_at = now(), released_by = $2
         FROM enrollment e
        WHERE g.item_id = $1 AND g.released_at IS NULL AND e.id = g.enrollment_id AND e.status = ANY($4::text[])
          AND ($3::uuid[] IS NULL OR g.enrollment_id = ANY($3::uuid[]))
        RETURNING g.enrollment_id AS "enrollmentId", g.person_id AS "personId"`, [itemId, releasedBy, enrollmentIds, GRADABLE_STATUSES]);
    return rows;
  }

  /** The learners' active sign-ins, with their language, for notifications. */
  async recipients(personIds: string[]): Promise<Array<{ personId: string; userId: string; locale: 'zh-CN' | 'en' }>> {
    if (!personIds.length) return [];
    return this.db.query(
      `SELECT person_id AS "personId", id AS "userId", locale FROM app_user WHERE person_id = ANY($1::uuid[]) AND disabled_at IS NULL`, [personIds]);
  }
}
