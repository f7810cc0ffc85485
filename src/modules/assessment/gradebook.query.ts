import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { GradebookItem, GradebookLearner, GradeFact, MarkFact, SubmissionFact } from './gradebook-rules.js';

export interface GradebookFacts {
  items: GradebookItem[];
  learners: GradebookLearner[];
  submissions: SubmissionFact[];
  grades: GradeFact[];
  marks: MarkFact[];
  kindergartens: Array<{ id: string; name: string }>;
}

/**
 * A timestamp as the ISO 8601 text JSON shows for a Date (UTC, milliseconds truncated like the driver's parsing):
 * Date objects in the answer knock JSON.stringify off its fast path.
 */
const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The gradebook's reads for one offering in one round trip: items, learners (enrolled or completed),
 * latest submissions, grades, marks and the learners' kindergartens. Postgres builds one JSON document
 * (facts as small arrays): the driver's parsing of thousands of rows, a timestamp in each, cost far more than the SQL.
 */
@Injectable()
export class GradebookQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async facts(offeringId: string, filter: { kindergartenId?: string; q?: string }): Promise<GradebookFacts> {
    const params: unknown[] = [offeringId];
    const where = [`e.offering_id = $1`, `e.status IN ('enrolled', 'completed')`];
    if (filter.kindergartenId) where.push(`e.kindergarten_id = $${params.push(filter.kindergartenId)}`);
    if (filter.q) where.push(`p.full_name ILIKE $${params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    const [row]: Array<{ doc: RawFacts }> = await this.db.query(
      `WITH item AS (
         SELECT *, row_number() OVER (ORDER BY position, created_at, id)::int - 1 AS ordinal
           FROM assessment_item WHERE offering_id = $1 AND archived_at IS NULL),
       learner AS (
         SELECT e.id, e.person_id, p.full_name, e.kindergarten_id, k.name AS kindergarten, e.status
           FROM enrollment e JOIN person p ON p.id = e.person_id LEFT JOIN org_unit k ON k.id = e.kindergarten_id
          WHERE ${where.join(' AND ')})
       SELECT json_build_object(
         'items', (SELECT coalesce(json_agg(json_build_object(
             'id', i.id, 'title', i.title, 'kind', i.kind, 'gradingMethod', i.grading_method, 'submissionModes', i.submission_modes,
             'maxPoints', i.max_points::float8, 'passPoints', i.pass_points::float8, 'secondMarking', i.second_marking,
             'dueAt', ${isoText('i.due_at')}) ORDER BY i.ordinal), '[]') FROM item i),
         'learners', (SELECT coalesce(json_agg(json_build_object(
             'enrollmentId', l.id, 'personId', l.person_id, 'fullName', l.full_name, 'kindergartenId', l.kindergarten_id,
             'kindergarten', l.kindergarten, 'enrollmentStatus', l.status) ORDER BY l.kindergarten NULLS LAST, l.full_name, l.id), '[]') FROM learner l),
         'submissions', (SELECT coalesce(json_agg(json_build_array(s.ordinal, s.enrollment_id, s.late, ${isoText('s.submitted_at')})), '[]')
             FROM (SELECT DISTINCT ON (s.item_id, s.enrollment_id) i.ordinal, s.enrollment_id, s.late, s.submitted_at
                     FROM submission s JOIN item i ON i.id = s.item_id
                    ORDER BY s.item_id, s.enrollment_id, s.attempt DESC) s),
         'grades', (SELECT coalesce(json_agg(json_build_array(i.ordinal, g.enrollment_id, g.points::float8, g.passed, g.released_at IS NOT NULL)), '[]')
             FROM grade g JOIN item i ON i.id = g.item_id),
         'marks', (SELECT coalesce(json_agg(json_build_array(m.ordinal, m.enrollment_id, m.count)), '[]')
             FROM (SELECT i.ordinal, m.enrollment_id, count(*)::int AS count
                     FROM grade_mark m JOIN item i ON i.id = m.item_id
                    GROUP BY i.ordinal, m.enrollment_id) m),
         -- Of every learner on the offering (not only those the filter shows), for the filter itself.
         'kindergartens', (SELECT coalesce(json_agg(json_build_object('id', k.id, 'name', k.name) ORDER BY k.name), '[]')
             FROM (SELECT DISTINCT k.id, k.name FROM enrollment e JOIN org_unit k ON k.id = e.kindergarten_id
                    WHERE e.offering_id = $1 AND e.status IN ('enrolled', 'completed')) k)
       ) AS doc`, params);
    const doc = row.doc;
    const id = (ordinal: number) => doc.items[ordinal].id;
    return {
      items: doc.items,
      learners: doc.learners,
      submissions: doc.submissions.map(([item, enrollmentId, late, submittedAt]) => ({ itemId: id(item), enrollmentId, late, submittedAt })),
      grades: doc.grades.map(([item, enrollmentId, points, passed, released]) => ({ itemId: id(item), enrollmentId, points, passed, released })),
      marks: doc.marks.map(([item, enrollmentId, count]) => ({ itemId: id(item), enrollmentId, count })),
      kindergartens: doc.kindergartens,
    };
  }
}

interface RawFacts {
  items: GradebookItem[];
  learners: GradebookLearner[];
  /** Facts name their item by its position in `items`. */
  submissions: Array<[number, string, boolean, string]>;
  grades: Array<[number, string, number | null, boolean, boolean]>;
  marks: Array<[number, string, number]>;
  kindergartens: Array<{ id: string; name: string }>;
}
