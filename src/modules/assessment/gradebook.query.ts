import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { GradebookItem, GradebookLearner, GradeFact, MarkFact, SubmissionFact } from './gradebook-rules.js';

/** The gradebook's reads for one offering: items, learners (enrolled or completed), latest submissions, grades and marks. */
@Injectable()
export class GradebookQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async items(offeringId: string): Promise<GradebookItem[]> {
    return this.db.query(
      `SELECT id, title, kind, grading_method AS "gradingMethod", submission_modes AS "submissionModes", max_points::float8 AS "maxPoints",
              pass_points::float8 AS "passPoints", second_marking AS "secondMarking", due_at AS "dueAt"
         FROM assessment_item WHERE offering_id = $1 AND archived_at IS NULL ORDER BY position, created_at, id`, [offeringId]);
  }

  async learners(offeringId: string, filter: { kindergartenId?: string; q?: string }): Promise<GradebookLearner[]> {
    const params: unknown[] = [offeringId];
    const where = [`e.offering_id = $1`, `e.status IN ('enrolled', 'completed')`];
    if (filter.kindergartenId) where.push(`e.kindergarten_id = $${params.push(filter.kindergartenId)}`);
    if (filter.q) where.push(`p.full_name ILIKE $${params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    return this.db.query(
      `SELECT e.id AS "enrollmentId", e.person_id AS "personId", p.full_name AS "fullName", e.kindergarten_id AS "kindergartenId",
              k.name AS kindergarten, e.status AS "enrollmentStatus"
         FROM enrollment e JOIN person p ON p.id = e.person_id LEFT JOIN org_unit k ON k.id = e.kindergarten_id
        WHERE ${where.join(' AND ')}
        ORDER BY k.name NULLS LAST, p.full_name, e.id`, params);
  }

  /** Kindergartens of the offering's learners, for the filter. */
  async kindergartens(offeringId: string): Promise<Array<{ id: string; name: string }>> {
    return this.db.query(
      `SELECT DISTINCT k.id, k.name FROM enrollment e JOIN org_unit k ON k.id = e.kindergarten_id
        WHERE e.offering_id = $1 AND e.status IN ('enrolled', 'completed') ORDER BY k.name`, [offeringId]);
  }

  /** The latest attempt of each learner at each item (the one graded). */
  async submissions(offeringId: string): Promise<SubmissionFact[]> {
    return this.db.query(
      `SELECT DISTINCT ON (s.item_id, s.enrollment_id) s.item_id AS "itemId", s.enrollment_id AS "enrollmentId", s.late, s.submitted_at AS "submittedAt"
         FROM submission s JOIN assessment_item i ON i.id = s.item_id
        WHERE i.offering_id = $1 AND i.archived_at IS NULL
        ORDER BY s.item_id, s.enrollment_id, s.attempt DESC`, [offeringId]);
  }

  async grades(offeringId: string): Promise<GradeFact[]> {
    return this.db.query(
      `SELECT g.item_id AS "itemId", g.enrollment_id AS "enrollmentId", g.points::float8 AS points, g.passed, g.released_at AS "releasedAt"
         FROM grade g JOIN assessment_item i ON i.id = g.item_id WHERE i.offering_id = $1 AND i.archived_at IS NULL`, [offeringId]);
  }

  async marks(offeringId: string): Promise<MarkFact[]> {
    return this.db.query(
      `SELECT m.item_id AS "itemId", m.enrollment_id AS "enrollmentId", count(*)::int AS count
         FROM grade_mark m JOIN assessment_item i ON i.id = m.item_id WHERE i.offering_id = $1 AND i.archived_at IS NULL
        GROUP BY m.item_id, m.enrollment_id`, [offeringId]);
  }
}
