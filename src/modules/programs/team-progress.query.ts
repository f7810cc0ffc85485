import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AssessmentResult, MemberStatus, OutputKind, OutputStatus } from './cohort.entities.js';

export interface TeamMemberRow {
  id: string;
  personId: string;
  fullName: string;
  kindergartenName: string | null;
  status: MemberStatus;
  /** Net credits in the ledger between the program's start and end. */
  creditsEarned: number;
  /** The team's required courses this member completed. */
  completedCourseIds: string[];
  midtermResult: AssessmentResult | null;
  midtermComment: string | null;
  finalResult: AssessmentResult | null;
  finalComment: string | null;
}

export interface MilestoneRow {
  id: string;
  title: string;
  dueOn: string;
  doneOn: string | null;
  note: string | null;
}

export interface OutputRow {
  id: string;
  personId: string;
  authorName: string;
  kind: OutputKind;
  title: string;
  description: string | null;
  occurredOn: string;
  status: OutputStatus;
  reviewComment: string | null;
  reviewedAt: Date | null;
  files: { id: string; name: string }[];
}

/**
 * A team space's reads. Progress reads the credit ledger and course completions directly (a report:
 * credits of the program period, required courses completed by enrolment or completion record).
 */
@Injectable()
export class TeamProgressQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async members(teamId: string, period: { startsOn: string; endsOn: string }, requiredCourseIds: string[]): Promise<TeamMemberRow[]> {
    const rows = await this.db.query(
      `SELECT m.id, m.person_id AS "personId", p.full_name AS "fullName", k.name AS "kindergartenName", m.status,
              COALESCE((SELECT sum(c.credits) FROM credit_entry c WHERE c.person_id = m.person_id AND c.occurred_on BETWEEN $2 AND $3), 0)::float AS "creditsEarned",
              ARRAY(SELECT r.id FROM unnest($4::uuid[]) AS r(id)
                     WHERE EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = m.person_id AND e.course_id = r.id AND e.status = 'completed')
                        OR EXISTS (SELECT 1 FROM completion x JOIN offering o ON o.id = x.offering_id
                                    WHERE x.person_id = m.person_id AND o.course_id = r.id AND x.reopened_at IS NULL))::text[] AS "completedCourseIds",
              m.midterm_result AS "midtermResult", m.midterm_comment AS "midtermComment", m.final_result AS "finalResult", m.final_comment AS "finalComment"
         FROM program_member m JOIN person p ON p.id = m.person_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE m.team_id = $1
        ORDER BY CASE m.status WHEN 'active' THEN 0 ELSE 1 END, p.full_name, m.id`,
      [teamId, period.startsOn, period.endsOn, requiredCourseIds]);
    return rows;
  }

  async milestones(teamId: string): Promise<MilestoneRow[]> {
    return this.db.query(
      `SELECT id, title, due_on::text AS "dueOn", done_on::text AS "doneOn", note FROM program_milestone
        WHERE team_id = $1 ORDER BY due_on, created_at`, [teamId]);
  }

  async outputs(teamId: string): Promise<OutputRow[]> {
    return this.db.query(
      `SELECT o.id, o.person_id AS "personId", p.full_name AS "authorName", o.kind, o.title, o.description, o.occurred_on::text AS "occurredOn",
              o.status, o.review_comment AS "reviewComment", o.reviewed_at AS "reviewedAt",
              COALESCE((SELECT json_agg(json_build_object('id', f.id, 'name', f.original_name) ORDER BY f.created_at)
                          FROM stored_file f WHERE f.id = ANY(o.file_ids)), '[]'::json) AS files
         FROM program_output o JOIN person p ON p.id = o.person_id
        WHERE o.team_id = $1
        ORDER BY CASE o.status WHEN 'submitted' THEN 0 WHEN 'returned' THEN 1 ELSE 2 END, o.created_at DESC`, [teamId]);
  }

  async courseTitles(ids: string[]): Promise<{ id: string; code: string; title: string }[]> {
    if (!ids.length) return [];
    return this.db.query(`SELECT id, code, title FROM course WHERE id = ANY($1::uuid[]) ORDER BY code`, [ids]);
  }

  async personName(personId: string): Promise<string> {
    const [row] = await this.db.query(`SELECT full_name FROM person WHERE id = $1`, [personId]);
    return row?.full_name ?? '';
  }

  async orgUnitName(id: string | null): Promise<string | null> {
    if (!id) return null;
    const [row] = await this.db.query(`SELECT name FROM org_unit WHERE id = $1`, [id]);
    return row?.name ?? null;
  }
}
