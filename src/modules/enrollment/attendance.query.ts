import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AttendanceStatus, EnrollmentStatus } from './enrollment.entities.js';

export interface LearnerRow {
  enrollmentId: string;
  personId: string;
  status: EnrollmentStatus;
}

export interface MarkRow {
  meetingId: string;
  enrollmentId: string;
  status: AttendanceStatus;
  hours: number;
  source: 'trainer' | 'check_in';
  markedAt: Date;
}

export interface NewMark {
  enrollmentId: string;
  personId: string;
  districtId: string;
  status: AttendanceStatus;
  hours: number;
}

const MARK_COLUMNS = `meeting_id AS "meetingId", enrollment_id AS "enrollmentId", status, hours::float8 AS hours, source, marked_at AS "markedAt"`;

/** Reads and bulk writes of attendance marks, in plain SQL. */
@Injectable()
export class AttendanceQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async learners(offeringId: string, statuses: readonly EnrollmentStatus[]): Promise<LearnerRow[]> {
    return this.db.query(
      `SELECT id AS "enrollmentId", person_id AS "personId", status FROM enrollment WHERE offering_id = $1 AND status = ANY($2::text[])`,
      [offeringId, statuses]);
  }

  async marksOfMeeting(meetingId: string): Promise<MarkRow[]> {
    return this.db.query(`SELECT ${MARK_COLUMNS} FROM attendance WHERE meeting_id = $1`, [meetingId]);
  }

  async marksOfEnrollment(enrollmentId: string): Promise<MarkRow[]> {
    return this.db.query(`SELECT ${MARK_COLUMNS} FROM attendance WHERE enrollment_id = $1`, [enrollmentId]);
  }

  /** Hours credited so far to each learner of the offering (0 for those never marked). */
  async attendedHours(offeringId: string, statuses: readonly EnrollmentStatus[]): Promise<Array<LearnerRow & { hours: number }>> {
    return this.db.query(
      `SELECT e.id AS "enrollmentId", e.person_id AS "personId", e.status, coalesce(sum(a.hours), 0)::float8 AS hours
         FROM enrollment e LEFT JOIN attendance a ON a.enrollment_id = e.id
        WHERE e.offering_id = $1 AND e.status = ANY($2::text[])
        GROUP BY e.id`, [offeringId, statuses]);
  }

  async lockMarks(manager: EntityManager, meetingId: string, enrollmentIds: string[]): Promise<MarkRow[]> {
    return manager.query(
      `SELECT ${MARK_COLUMNS} FROM attendance WHERE meeting_id = $1 AND enrollment_id = ANY($2::uuid[]) FOR UPDATE`, [meetingId, enrollmentIds]);
  }

  /** The trainer's word is final: it replaces a check-in or an earlier mark (rows that would not change are left alone). */
  async upsertTrainerMarks(manager: EntityManager, meetingId: string, markedBy: string, marks: NewMark[]): Promise<void> {
    await manager.query(
      `INSERT INTO attendance (meeting_id, enrollment_id, person_id, district_id, status, hours, source, marked_by, marked_at)
       SELECT $1, r.enrollment_id, r.person_id, r.district_id, r.status, r.hours, 'trainer', $2, now()
         FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::numeric[]) AS r(enrollment_id, person_id, district_id, status, hours)
       ON CONFLICT (meeting_id, enrollment_id) DO UPDATE
          SET status = excluded.status, hours = excluded.hours, source = 'trainer', marked_by = excluded.marked_by, marked_at = excluded.marked_at
        WHERE (attendance.status, attendance.hours, attendance.source) IS DISTINCT FROM (excluded.status, excluded.hours, excluded.source)`,
      [meetingId, markedBy, marks.map((m) => m.enrollmentId), marks.map((m) => m.personId), marks.map((m) => m.districtId),
        marks.map((m) => m.status), marks.map((m) => m.hours)]);
  }

  /** A self check-in never replaces an existing mark; answers the mark that stands. */
  async insertCheckIn(manager: EntityManager, meetingId: string, mark: NewMark): Promise<MarkRow> {
    await manager.query(
      `INSERT INTO attendance (meeting_id, enrollment_id, person_id, district_id, status, hours, source, marked_by, marked_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'check_in', NULL, now())
       ON CONFLICT (meeting_id, enrollment_id) DO NOTHING`,
      [meetingId, mark.enrollmentId, mark.personId, mark.districtId, mark.status, mark.hours]);
    return (await this.markOf(meetingId, mark.enrollmentId, manager))!;
  }

  async markOf(meetingId: string, enrollmentId: string, manager?: EntityManager): Promise<MarkRow | null> {
    const [row] = await (manager ?? this.db.manager).query(
      `SELECT ${MARK_COLUMNS} FROM attendance WHERE meeting_id = $1 AND enrollment_id = $2`, [meetingId, enrollmentId]);
    return row ?? null;
  }

  async countMarks(meetingId: string): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*)::int AS n FROM attendance WHERE meeting_id = $1 AND status <> 'absent'`, [meetingId]);
    return row.n;
  }
}
