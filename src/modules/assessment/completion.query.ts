import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CompletionCondition, ItemKind } from './assessment.entities.js';
import type { ItemFacts, LearnerFacts } from './completion-rules.js';

export interface RuleRow {
  id: string;
  offeringId: string;
  districtId: string;
  effectiveFrom: Date;
  minAttendanceShare: number;
  requiredItemIds: string[];
  requireEvaluation: boolean;
  combine: 'all' | 'any';
  partialCreditFloor: number | null;
  createdBy: string | null;
  createdByName: string | null;
  createdAt: Date;
}

export interface ItemRow {
  id: string;
  title: string;
  kind: ItemKind;
  archived: boolean;
  passPoints: number | null;
}

export interface CompletionRow {
  id: string;
  enrollmentId: string;
  offeringId: string;
  personId: string;
  districtId: string;
  sequence: number;
  ruleId: string;
  completedAt: Date;
  attendedHours: number;
  scheduledHours: number;
  hours: number;
  credits: number;
  partial: boolean;
  conditions: CompletionCondition[];
  creditEntryId: string | null;
  reopenedAt: Date | null;
  reopenReason: string | null;
  reversalEntryId: string | null;
  certificateId: string | null;
  certificateCode: string | null;
  certificateStatus: string | null;
}

const RULE_COLUMNS = `r.id, r.offering_id AS "offeringId", r.district_id AS "districtId", r.effective_from AS "effectiveFrom",
  r.min_attendance_share::float8 AS "minAttendanceShare", r.required_item_ids::text[] AS "requiredItemIds", r.require_evaluation AS "requireEvaluation",
  r.combine, r.partial_credit_floor::float8 AS "partialCreditFloor", r.created_by AS "createdBy", u.display_name AS "createdByName", r.created_at AS "createdAt"`;

const COMPLETION_COLUMNS = `c.id, c.enrollment_id AS "enrollmentId", c.offering_id AS "offeringId", c.person_id AS "personId", c.district_id AS "districtId",
  c.sequence, c.rule_id AS "ruleId", c.completed_at AS "completedAt", c.attended_hours::float8 AS "attendedHours", c.scheduled_hours::float8 AS "scheduledHours",
  c.hours::float8 AS hours, c.credits::float8 AS credits, c.partial, c.conditions, c.credit_entry_id AS "creditEntryId", c.reopened_at AS "reopenedAt",
  c.reopen_reason AS "reopenReason", c.reversal_entry_id AS "reversalEntryId",
  cert.id AS "certificateId", cert.code AS "certificateCode", cert.status AS "certificateStatus"`;

/** Reads for completion: rules, the facts a learner is judged on (attendance, grades, submissions), completions. Plain SQL. */
@Injectable()
export class CompletionQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The offering's first rule, from its creation with the attendance minimum it was created with, when it has none yet. */
  async ensureDefaultRule(manager: EntityManager | null, offeringId: string): Promise<void> {
    await (manager ?? this.db.manager).query(
      `INSERT INTO completion_rule (offering_id, district_id, effective_from, min_attendance_share)
       SELECT o.id, o.district_id, o.created_at, o.min_attendance_share FROM offering o
        WHERE o.id = $1 AND NOT EXISTS (SELECT 1 FROM completion_rule r WHERE r.offering_id = o.id)
       ON CONFLICT (offering_id, effective_from) DO NOTHING`, [offeringId]);
  }

  async ruleInForce(manager: EntityManager | null, offeringId: string, at = new Date()): Promise<RuleRow | null> {
    const rows: RuleRow[] = await (manager ?? this.db.manager).query(
      `SELECT ${RULE_COLUMNS} FROM completion_rule r LEFT JOIN app_user u ON u.id = r.created_by
        WHERE r.offering_id = $1 AND r.effective_from <= $2 ORDER BY r.effective_from DESC LIMIT 1`, [offeringId, at]);
    return rows[0] ?? null;
  }

  async rule(ruleId: string): Promise<RuleRow | null> {
    const rows: RuleRow[] = await this.db.query(`SELECT ${RULE_COLUMNS} FROM completion_rule r LEFT JOIN app_user u ON u.id = r.created_by WHERE r.id = $1`, [ruleId]);
    return rows[0] ?? null;
  }

  /** Every rule of the offering, newest first. */
  async rules(manager: EntityManager | null, offeringId: string): Promise<RuleRow[]> {
    return (manager ?? this.db.manager).query(
      `SELECT ${RULE_COLUMNS} FROM completion_rule r LEFT JOIN app_user u ON u.id = r.created_by
        WHERE r.offering_id = $1 ORDER BY r.effective_from DESC`, [offeringId]);
  }

  async items(manager: EntityManager | null, offeringId: string): Promise<ItemRow[]> {
    return (manager ?? this.db.manager).query(
      `SELECT id, title, kind, archived_at IS NOT NULL AS archived, pass_points::float8 AS "passPoints"
         FROM assessment_item WHERE offering_id = $1 ORDER BY position, created_at`, [offeringId]);
  }

  /** Hours of every meeting, and whether the last one has ended. */
  async schedule(manager: EntityManager | null, offeringId: string, at = new Date()): Promise<{ scheduledHours: number; ended: boolean; lastEndsAt: Date | null }> {
    const [row] = await (manager ?? this.db.manager).query(
      `SELECT coalesce(sum(hours), 0)::float8 AS hours, max(ends_at) AS "lastEndsAt" FROM meeting WHERE offering_id = $1`, [offeringId]);
    const lastEndsAt: Date | null = row.lastEndsAt ?? null;
    return { scheduledHours: row.hours, ended: lastEndsAt !== null && lastEndsAt.getTime() <= at.getTime(), lastEndsAt };
  }

  /** The facts each enrolment (of one offering) is judged on, for the given required items. */
  async facts(manager: EntityManager | null, offeringId: string, enrollmentIds: string[], items: ItemRow[], at = new Date()): Promise<Map<string, LearnerFacts>> {
    const runner = manager ?? this.db.manager;
    const schedule = await this.schedule(runner, offeringId, at);
    const [attended, grades, submissions, evaluations] = [
      await runner.query(`SELECT enrollment_id AS id, coalesce(sum(hours), 0)::float8 AS hours FROM attendance WHERE enrollment_id = ANY($1::uuid[]) GROUP BY enrollment_id`, [enrollmentIds]),
      await runner.query(
        `SELECT g.enrollment_id AS id, g.item_id AS "itemId", g.points::float8 AS points, g.passed, g.released_at IS NOT NULL AS released
           FROM grade g JOIN assessment_item i ON i.id = g.item_id WHERE g.enrollment_id = ANY($1::uuid[]) AND i.offering_id = $2`, [enrollmentIds, offeringId]),
      await runner.query(
        `SELECT DISTINCT s.enrollment_id AS id, s.item_id AS "itemId" FROM submission s JOIN assessment_item i ON i.id = s.item_id
          WHERE s.enrollment_id = ANY($1::uuid[]) AND i.offering_id = $2`, [enrollmentIds, offeringId]),
      await runner.query(
        `SELECT s.enrollment_id AS id, min(s.submitted_at) AS at FROM submission s JOIN assessment_item i ON i.id = s.item_id
          WHERE s.enrollment_id = ANY($1::uuid[]) AND i.offering_id = $2 AND i.kind = 'survey' AND s.answers IS NOT NULL
          GROUP BY s.enrollment_id`, [enrollmentIds, offeringId]),
    ] as [Array<{ id: string; hours: number }>, Array<{ id: string; itemId: string; points: number | null; passed: boolean; released: boolean }>,
      Array<{ id: string; itemId: string }>, Array<{ id: string; at: Date }>];
    const hours = new Map(attended.map((r) => [r.id, r.hours]));
    const gradeOf = new Map(grades.map((g) => [`${g.id}:${g.itemId}`, g]));
    const submitted = new Set(submissions.map((s) => `${s.id}:${s.itemId}`));
    const evaluated = new Map(evaluations.map((e) => [e.id, e.at]));
    const out = new Map<string, LearnerFacts>();
    for (const id of enrollmentIds) {
      const facts = new Map<string, ItemFacts>();
      for (const item of items) {
        const grade = gradeOf.get(`${id}:${item.id}`);
        facts.set(item.id, {
          itemId: item.id, title: item.title, kind: item.kind, archived: item.archived, passPoints: item.passPoints,
          submitted: submitted.has(`${id}:${item.id}`), grade: grade ? { points: grade.points, passed: grade.passed, released: grade.released } : null,
        });
      }
      out.set(id, {
        attendedHours: hours.get(id) ?? 0, scheduledHours: schedule.scheduledHours, items: facts,
        evaluationSubmittedAt: evaluated.get(id) ?? null, offeringEnded: schedule.ended,
      });
    }
    return out;
  }

  async openCompletion(manager: EntityManager | null, enrollmentId: string): Promise<CompletionRow | null> {
    return (await this.completions(manager, enrollmentId)).find((c) => c.reopenedAt === null) ?? null;
  }

  /** The enrolment's completions, latest first, each with its current (or last) certificate. */
  async completions(manager: EntityManager | null, enrollmentId: string): Promise<CompletionRow[]> {
    return (manager ?? this.db.manager).query(
      `SELECT ${COMPLETION_COLUMNS} FROM completion c
         LEFT JOIN LATERAL (SELECT id, code, status FROM certificate WHERE completion_id = c.id
                             ORDER BY (status IN ('pending','issued')) DESC, created_at DESC LIMIT 1) cert ON true
        WHERE c.enrollment_id = $1 ORDER BY c.sequence DESC`, [enrollmentId]);
  }

  /** The open completion of each learner of the offering. */
  async openCompletionsOfOffering(offeringId: string): Promise<CompletionRow[]> {
    return this.db.query(
      `SELECT ${COMPLETION_COLUMNS} FROM completion c
         LEFT JOIN LATERAL (SELECT id, code, status FROM certificate WHERE completion_id = c.id AND status IN ('pending','issued') LIMIT 1) cert ON true
        WHERE c.offering_id = $1 AND c.reopened_at IS NULL`, [offeringId]);
  }

  async nextSequence(manager: EntityManager, enrollmentId: string): Promise<number> {
    const [row] = await manager.query(`SELECT coalesce(max(sequence), 0) + 1 AS next FROM completion WHERE enrollment_id = $1`, [enrollmentId]);
    return Number(row.next);
  }

  /** The learners of an offering (enrolled or completed), with names, for the trainer's table. */
  async learners(offeringId: string): Promise<Array<{ enrollmentId: string; personId: string; status: string; fullName: string; kindergarten: string | null }>> {
    return this.db.query(
      `SELECT e.id AS "enrollmentId", e.person_id AS "personId", e.status, p.full_name AS "fullName", k.name AS kindergarten
         FROM enrollment e JOIN person p ON p.id = e.person_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE e.offering_id = $1 AND e.status IN ('enrolled','completed')
        ORDER BY k.name NULLS LAST, p.full_name`, [offeringId]);
  }

  async enrolledIds(offeringId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM enrollment WHERE offering_id = $1 AND status = 'enrolled'`, [offeringId]);
    return rows.map((r) => r.id);
  }

  /** What a certificate states, as of now: the learner's name, course, offering and issuing body (the course owner's name). */
  async certificateFacts(manager: EntityManager, enrollmentId: string): Promise<{ fullName: string; courseTitle: string; offeringLabel: string; issuer: string }> {
    const [row] = await manager.query(
      `SELECT p.full_name AS "fullName", c.title AS "courseTitle", o.label AS "offeringLabel", coalesce(owner.name, d.name) AS issuer
         FROM enrollment e JOIN person p ON p.id = e.person_id JOIN offering o ON o.id = e.offering_id JOIN course c ON c.id = o.course_id
         LEFT JOIN org_unit owner ON owner.id = c.owner_org_unit_id JOIN org_unit d ON d.id = e.district_id
        WHERE e.id = $1`, [enrollmentId]);
    return row;
  }

  /**
   * Enrolled learners the sweep looks at again: of offerings with attendance, submissions or grades in
   * the last `recentMinutes`, or whose last meeting ended in the last `endedDays` (partial credit waits for the end).
   */
  async sweepCandidates(recentMinutes: number, endedDays: number, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `WITH active AS (
         SELECT m.offering_id FROM attendance a JOIN meeting m ON m.id = a.meeting_id WHERE a.marked_at > now() - make_interval(mins => $1)
         UNION SELECT i.offering_id FROM submission s JOIN assessment_item i ON i.id = s.item_id WHERE s.submitted_at > now() - make_interval(mins => $1)
         UNION SELECT i.offering_id FROM grade g JOIN assessment_item i ON i.id = g.item_id
                WHERE greatest(g.graded_at, g.released_at) > now() - make_interval(mins => $1)
         UNION SELECT offering_id FROM meeting GROUP BY offering_id
                HAVING max(ends_at) <= now() AND max(ends_at) > now() - make_interval(days => $2)
       )
       SELECT e.id FROM enrollment e JOIN active a ON a.offering_id = e.offering_id
        WHERE e.status = 'enrolled' AND NOT EXISTS (SELECT 1 FROM completion c WHERE c.enrollment_id = e.id AND c.reopened_at IS NULL)
        ORDER BY e.id LIMIT $3`, [recentMinutes, endedDays, limit]);
    return rows.map((r) => r.id);
  }
}
