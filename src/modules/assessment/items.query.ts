import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { RubricMethod, SurveyAnswers } from './assessment.entities.js';

export interface RubricChoice {
  id: string;
  name: string;
  method: RubricMethod;
  maxPoints: number;
  districtId: string;
  archived: boolean;
}

export interface LearnerEnrollment {
  id: string;
  personId: string;
  districtId: string;
  offeringId: string;
}

/** Learners whose work counts: enrolled now or already completed. */
export const LEARNER_STATUSES = ['enrolled', 'completed'];

/** Reads about items, their rubrics and their learners, in plain SQL. */
@Injectable()
export class ItemsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A rubric or marking guide as an item may use it. */
  async rubric(id: string, manager?: EntityManager): Promise<RubricChoice | null> {
    const [row] = await (manager ?? this.db.manager).query(
      `SELECT id, name, method, max_points::float8 AS "maxPoints", district_id AS "districtId", archived_at IS NOT NULL AS archived FROM rubric WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** The district's rubrics and guides an item may use, for the item form. */
  async rubricChoices(districtId: string): Promise<RubricChoice[]> {
    return this.db.query(
      `SELECT id, name, method, max_points::float8 AS "maxPoints", district_id AS "districtId", false AS archived
         FROM rubric WHERE district_id = $1 AND archived_at IS NULL ORDER BY name LIMIT 500`, [districtId]);
  }

  /** Whether marking has begun on the item: an agreed grade or any marker's mark. */
  async hasGrades(itemId: string, manager?: EntityManager): Promise<boolean> {
    const [row] = await (manager ?? this.db.manager).query(
      `SELECT EXISTS (SELECT 1 FROM grade WHERE item_id = $1) OR EXISTS (SELECT 1 FROM grade_mark WHERE item_id = $1) AS graded`, [itemId]);
    return row.graded;
  }

  async hasSubmissions(itemId: string, manager?: EntityManager): Promise<boolean> {
    const [row] = await (manager ?? this.db.manager).query(`SELECT EXISTS (SELECT 1 FROM submission WHERE item_id = $1) AS found`, [itemId]);
    return row.found;
  }

  async nextPosition(offeringId: string, manager: EntityManager): Promise<number> {
    const [row] = await manager.query(`SELECT coalesce(max(position) + 1, 0) AS next FROM assessment_item WHERE offering_id = $1`, [offeringId]);
    return row.next;
  }

  /** The caller's enrolment in the offering that may hand in work, if any. */
  async learnerEnrollment(personId: string | null, offeringId: string): Promise<LearnerEnrollment | null> {
    if (!personId) return null;
    const [row] = await this.db.query(
      `SELECT id, person_id AS "personId", district_id AS "districtId", offering_id AS "offeringId" FROM enrollment
        WHERE person_id = $1 AND offering_id = $2 AND status = ANY($3::text[]) ORDER BY requested_at DESC LIMIT 1`,
      [personId, offeringId, LEARNER_STATUSES]);
    return row ?? null;
  }

  async learnerCount(offeringId: string): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*)::int AS n FROM enrollment WHERE offering_id = $1 AND status = ANY($2::text[])`, [offeringId, LEARNER_STATUSES]);
    return row.n;
  }

  /** Criterion titles of a rubric, to name the criteria of a grade. */
  async criterionTitles(rubricId: string | null): Promise<Record<string, string>> {
    if (!rubricId) return {};
    const [row] = await this.db.query(`SELECT criteria FROM rubric WHERE id = $1`, [rubricId]);
    const criteria: Array<{ id: string; title: string }> = row?.criteria ?? [];
    return Object.fromEntries(criteria.map((c) => [c.id, c.title]));
  }

  /** Every current learner's response to a survey, without who gave it. */
  async surveyAnswers(itemId: string): Promise<SurveyAnswers[]> {
    const rows: Array<{ answers: SurveyAnswers }> = await this.db.query(
      `SELECT DISTINCT ON (s.enrollment_id) s.answers FROM submission s JOIN enrollment e ON e.id = s.enrollment_id
        WHERE s.item_id = $1 AND s.answers IS NOT NULL AND e.status = ANY($2::text[]) ORDER BY s.enrollment_id, s.attempt DESC`, [itemId, LEARNER_STATUSES]);
    return rows.map((r) => r.answers);
  }
}
