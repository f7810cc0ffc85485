import { Injectable } from '@nestjs/common';
import { PreparedReads } from '../../database/prepared-reads.js';
import { emptyCells, setGrade, setMarks, setSubmission, type GradebookCellTuple, type GradebookItem, type GradebookLearner } from './gradebook-rules.js';

export interface GradebookFacts {
  items: GradebookItem[];
  /** In the gradebook's order: kindergarten, then name. */
  learners: GradebookLearner[];
  /** `cells[r][i]`: learner r on item i. */
  cells: GradebookCellTuple[][];
  kindergartens: Array<{ id: string; name: string }>;
}

/**
 * A timestamp as the ISO 8601 text JSON shows for a Date (UTC, milliseconds truncated like the driver's parsing):
 * Date objects in the answer knock JSON.stringify off its fast path.
 */
const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The thousands of cell facts as one flat JSON array of their fields, record after record (numbers, and the
 * submission time as text): one array to parse and walk, where objects or arrays per fact cost several times more
 * to build in SQL and to parse and collect here.
 */
const flat = (fields: string) => `'[' || string_agg(concat_ws(',', ${fields}), ',') || ']'`;

/**
 * The gradebook's reads for one offering in one round trip: items, learners (enrolled or completed),
 * latest submissions, grades, marks and the learners' kindergartens. Items and learners are numbered in
 * their order, and the thousands of cell facts name them by those numbers in flat arrays: the driver's
 * parsing of thousands of rows or a large JSON document cost far more than the SQL. Names are looked up
 * per learner by key (a hash join over every person of the city was most of the statement's time).
 */
@Injectable()
export class GradebookQuery {
  constructor(private readonly reads: PreparedReads) {}

  async facts(offeringId: string, filter: { kindergartenId?: string; q?: string }): Promise<GradebookFacts> {
    const params: unknown[] = [offeringId];
    const where: string[] = [];
    if (filter.kindergartenId) where.push(`s.kindergarten_id = $${params.push(filter.kindergartenId)}`);
    if (filter.q) where.push(`s.full_name ILIKE $${params.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    const [row] = await this.prepared<FactsRow>(
      `WITH item AS (
         SELECT *, row_number() OVER (ORDER BY position, created_at, id)::int - 1 AS ordinal
           FROM assessment_item WHERE offering_id = $1 AND archived_at IS NULL),
       seat AS (
         SELECT e.id, e.person_id, e.kindergarten_id, e.status,
                (SELECT p.full_name FROM person p WHERE p.id = e.person_id) AS full_name,
                (SELECT k.name FROM org_unit k WHERE k.id = e.kindergarten_id) AS kindergarten
           FROM enrollment e WHERE e.offering_id = $1 AND e.status IN ('enrolled', 'completed')),
       learner AS (
         SELECT s.*, row_number() OVER (ORDER BY s.kindergarten NULLS LAST, s.full_name, s.id)::int - 1 AS ordinal
           FROM seat s ${where.length ? `WHERE ${where.join(' AND ')}` : ''})
       SELECT
         (SELECT coalesce(json_agg(json_build_object(
             'id', i.id, 'title', i.title, 'kind', i.kind, 'gradingMethod', i.grading_method, 'submissionModes', i.submission_modes,
             'maxPoints', i.max_points::float8, 'passPoints', i.pass_points::float8, 'secondMarking', i.second_marking,
             'dueAt', ${isoText('i.due_at')}) ORDER BY i.ordinal), '[]') FROM item i) AS items,
         (SELECT coalesce(json_agg(json_build_array(l.id, l.person_id, l.full_name, l.kindergarten_id, l.kindergarten, l.status) ORDER BY l.ordinal), '[]')
            FROM learner l) AS learners,
         (SELECT ${flat(`s.ordinal, s.learner, s.late::int, '"' || ${isoText('s.submitted_at')} || '"'`)}
            FROM (SELECT DISTINCT ON (s.item_id, s.enrollment_id) i.ordinal, l.ordinal AS learner, s.late, s.submitted_at
                    FROM submission s JOIN item i ON i.id = s.item_id JOIN learner l ON l.id = s.enrollment_id
                   ORDER BY s.item_id, s.enrollment_id, s.attempt DESC) s) AS submissions,
         (SELECT ${flat(`i.ordinal, l.ordinal, coalesce(g.points::text, 'null'), g.passed::int, (g.released_at IS NOT NULL)::int`)}
            FROM grade g JOIN item i ON i.id = g.item_id JOIN learner l ON l.id = g.enrollment_id) AS grades,
         (SELECT ${flat('i.ordinal, l.ordinal, m.count')}
            FROM (SELECT m.item_id, m.enrollment_id, count(*)::int AS count FROM grade_mark m JOIN item i ON i.id = m.item_id
                   GROUP BY m.item_id, m.enrollment_id) m
            JOIN item i ON i.id = m.item_id JOIN learner l ON l.id = m.enrollment_id) AS marks,
         -- Of every learner on the offering (not only those the filter shows), for the filter itself.
         (SELECT coalesce(json_agg(json_build_object('id', k.id, 'name', k.name) ORDER BY k.name), '[]')
            FROM (SELECT DISTINCT kindergarten_id AS id, kindergarten AS name FROM seat WHERE kindergarten_id IS NOT NULL) k) AS kindergartens`,
      params);
    const cells = emptyCells(row.items, row.learners.length);
    const submissions: Array<number | string> = row.submissions ? JSON.parse(row.submissions) : [];
    for (let f = 0; f < submissions.length; f += 4) setSubmission(cells[submissions[f + 1] as number][submissions[f] as number], submissions[f + 2] === 1, submissions[f + 3] as string);
    const grades: Array<number | null> = row.grades ? JSON.parse(row.grades) : [];
    for (let f = 0; f < grades.length; f += 5) setGrade(cells[grades[f + 1]!][grades[f]!], grades[f + 2], grades[f + 3] === 1, grades[f + 4] === 1);
    const marks: number[] = row.marks ? JSON.parse(row.marks) : [];
    for (let f = 0; f < marks.length; f += 3) setMarks(cells[marks[f + 1]][marks[f]], marks[f + 2]);
    return {
      items: row.items,
      learners: row.learners.map(([enrollmentId, personId, fullName, kindergartenId, kindergarten, enrollmentStatus]) =>
        ({ enrollmentId, personId, fullName, kindergartenId, kindergarten, enrollmentStatus })),
      cells,
      kindergartens: row.kindergartens,
    };
  }

  /**
   * A named prepared statement (one name per SQL text: the filters change it): each pooled connection plans
   * this large statement once instead of on every request, which was a fifth of its time in the database.
   */
  private async prepared<T>(text: string, values: unknown[]): Promise<T[]> {
    // Four texts at most (the kindergarten and name filters), so a name is always given.
    return this.reads.query<T>(this.reads.nameFor('gradebook', text)!, text, values);
  }
}

type LearnerTuple = [string, string, string, string | null, string | null, string];

interface FactsRow {
  items: GradebookItem[];
  learners: LearnerTuple[];
  /** Flat JSON arrays of the facts' fields, as text. */
  submissions: string | null;
  grades: string | null;
  marks: string | null;
  kindergartens: Array<{ id: string; name: string }>;
}
