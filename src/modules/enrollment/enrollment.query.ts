import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { EnrollmentStatus } from './enrollment.entities.js';

export interface EnrollmentRow {
  id: string;
  offeringId: string;
  courseId: string;
  personId: string;
  personName: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  courseCode: string;
  courseTitle: string;
  offeringCode: string;
  offeringLabel: string;
  level: string;
  category: string;
  hours: number;
  credits: number;
  status: EnrollmentStatus;
  approvalStep: string | null;
  priorityTier: number;
  requestedAt: Date;
  offerExpiresAt: Date | null;
  declineReason: string | null;
  statusChangedAt: Date;
  withdrawDeadline: Date;
  firstMeetingAt: Date | null;
  lastMeetingAt: Date | null;
  waitlistPosition: number | null;
}

/** The waitlist position of one row, counted against its offering's waitlist (for single rows). */
const POSITION_OF_ROW = `CASE WHEN e.status = 'waitlisted' THEN (
           SELECT count(*)::int FROM enrollment w WHERE w.offering_id = e.offering_id AND w.status = 'waitlisted'
              AND (w.priority_tier, w.requested_at, w.id) <= (e.priority_tier, e.requested_at, e.id)) END`;
const ROSTER_ORDER = `array_position(ARRAY['enrolled','offered','waitlisted','pending_approval','completed','no_show','declined','withdrawn','cancelled'], e.status),
           e.priority_tier, e.requested_at, e.id`;
/**
 * The same for every row of one offering at once: waitlisted rows counted in the roster's own order, where the
 * waitlist is one run in waitlist order (one sort serves the window and the list).
 */
const POSITION_IN_ROSTER = `CASE WHEN e.status = 'waitlisted' THEN
           (count(*) FILTER (WHERE e.status = 'waitlisted') OVER (ORDER BY ${ROSTER_ORDER}))::int END`;

/** A subquery per row by default; a list of one offering joins its span once (`span`). */
const MEETING_SPAN = {
  first: `(SELECT min(m.starts_at) FROM meeting m WHERE m.offering_id = o.id)`,
  last: `(SELECT max(m.ends_at) FROM meeting m WHERE m.offering_id = o.id)`,
  join: '',
};

const select = (position: string, at: (timestamp: string) => string = (t) => t, span = MEETING_SPAN) => `
  SELECT e.id, e.offering_id AS "offeringId", e.course_id AS "courseId", e.person_id AS "personId", p.full_name AS "personName",
         e.kindergarten_id AS "kindergartenId", k.name AS "kindergartenName", c.code AS "courseCode", c.title AS "courseTitle",
         o.code AS "offeringCode", o.label AS "offeringLabel", e.level, c.category, c.hours::float AS hours, c.credits::float AS credits,
         e.status, e.approval_step AS "approvalStep", e.priority_tier AS "priorityTier", ${at('e.requested_at')} AS "requestedAt",
         ${at('e.offer_expires_at')} AS "offerExpiresAt", e.decline_reason AS "declineReason", ${at('e.status_changed_at')} AS "statusChangedAt",
         ${at('o.withdraw_deadline')} AS "withdrawDeadline",
         ${at(span.first)} AS "firstMeetingAt",
         ${at(span.last)} AS "lastMeetingAt",
         ${position} AS "waitlistPosition"
    FROM enrollment e
    JOIN person p ON p.id = e.person_id
    JOIN offering o ON o.id = e.offering_id
    JOIN course c ON c.id = e.course_id
    LEFT JOIN org_unit k ON k.id = e.kindergarten_id${span.join}`;
const SELECT = select(POSITION_OF_ROW);

/**
 * A timestamp as the ISO 8601 text JSON shows for a Date (UTC, milliseconds truncated like the driver's
 * parsing): large lists skip the driver's timestamp parsing, and JSON.stringify keeps its fast path
 * (a Date's toJSON on every field made serialising a roster several times slower).
 */
const isoText = (timestamp: string) => `to_char(${timestamp} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** An EnrollmentRow with its timestamps as ISO 8601 text: the same JSON. */
export type RosterRow = { [K in keyof EnrollmentRow]: AsText<EnrollmentRow[K]> };
type AsText<T> = T extends Date ? string : T;

/** Lists of enrolments for the learner, the approvers and the roster, with waitlist positions. */
@Injectable()
export class EnrollmentQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async waitlistPosition(enrollmentId: string, manager?: EntityManager): Promise<number | null> {
    const rows: Array<{ position: number | null }> = await (manager ?? this.db.manager).query(
      `SELECT CASE WHEN e.status = 'waitlisted' THEN (
                SELECT count(*)::int FROM enrollment w WHERE w.offering_id = e.offering_id AND w.status = 'waitlisted'
                   AND (w.priority_tier, w.requested_at, w.id) <= (e.priority_tier, e.requested_at, e.id)) END AS position
         FROM enrollment e WHERE e.id = $1`, [enrollmentId]);
    return rows[0]?.position ?? null;
  }

  async detail(enrollmentId: string): Promise<(EnrollmentRow & { events: EventRow[] }) | null> {
    const [row]: EnrollmentRow[] = await this.db.query(`${SELECT} WHERE e.id = $1`, [enrollmentId]);
    if (!row) return null;
    return { ...row, events: await this.events(enrollmentId) };
  }

  async events(enrollmentId: string): Promise<EventRow[]> {
    return this.db.query(
      `SELECT ev.from_status AS "fromStatus", ev.to_status AS "toStatus", ev.reason, ev.at, u.display_name AS "actorName"
         FROM enrollment_event ev LEFT JOIN app_user u ON u.id = ev.actor_user_id
        WHERE ev.enrollment_id = $1 ORDER BY ev.id`, [enrollmentId]);
  }

  /** The learner's own enrolments, current first. */
  async forPerson(personId: string, statuses: readonly EnrollmentStatus[] | null, page: number, pageSize: number) {
    const filter = statuses ? `AND e.status = ANY($2::text[])` : `AND $2::text[] IS NULL`;
    const items: EnrollmentRow[] = await this.db.query(
      `${SELECT} WHERE e.person_id = $1 ${filter}
        ORDER BY (e.status IN ('pending_approval','enrolled','waitlisted','offered')) DESC, e.status_changed_at DESC
        LIMIT $3 OFFSET $4`, [personId, statuses, pageSize, (page - 1) * pageSize]);
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM enrollment e WHERE e.person_id = $1 ${filter}`, [personId, statuses]);
    return { items, total, page, pageSize };
  }

  async forPersonInOffering(personId: string, offeringId: string): Promise<EnrollmentRow | null> {
    const [row] = await this.db.query(`${SELECT} WHERE e.person_id = $1 AND e.offering_id = $2`, [personId, offeringId]);
    return row ?? null;
  }

  /**
   * Requests waiting for the caller: the kindergarten step for learners under `kindergartenPaths`,
   * the district step for offerings of districts under `districtPaths`.
   */
  async pendingApprovals(kindergartenPaths: string[], districtPaths: string[], page: number, pageSize: number) {
    const where = `e.status = 'pending_approval' AND (
        (e.approval_step = 'kindergarten' AND k.path LIKE ANY($1::text[]))
     OR (e.approval_step = 'district' AND d.path LIKE ANY($2::text[])))`;
    const like = (paths: string[]) => paths.map((p) => `${p}%`);
    const items: EnrollmentRow[] = await this.db.query(
      `${SELECT} JOIN org_unit d ON d.id = e.district_id WHERE ${where} ORDER BY e.requested_at LIMIT $3 OFFSET $4`,
      [like(kindergartenPaths), like(districtPaths), pageSize, (page - 1) * pageSize]);
    const [{ total }] = await this.db.query(
      `SELECT count(*)::int AS total FROM enrollment e LEFT JOIN org_unit k ON k.id = e.kindergarten_id JOIN org_unit d ON d.id = e.district_id WHERE ${where}`,
      [like(kindergartenPaths), like(districtPaths)]);
    return { items, total, page, pageSize };
  }

  /**
   * Everyone on an offering by status, the waitlist in its order. The status filter applies before the
   * positions are counted: it keeps the whole waitlist or none of it, so positions are the same.
   */
  async roster(offeringId: string, statuses: readonly EnrollmentStatus[] | null): Promise<RosterRow[]> {
    const span = {
      first: 'span.first_at', last: 'span.last_at',
      join: `\n    CROSS JOIN (SELECT min(starts_at) AS first_at, max(ends_at) AS last_at FROM meeting WHERE offering_id = $1) span`,
    };
    return this.db.query(
      `${select(POSITION_IN_ROSTER, isoText, span)} WHERE e.offering_id = $1 AND ($2::text[] IS NULL OR e.status = ANY($2::text[]))
        ORDER BY ${ROSTER_ORDER}`, [offeringId, statuses]);
  }

  /**
   * Offerings the sweep must look at: a lapsed seat offer, or people waiting while seats are free
   * (a raised quota, a crash mid-way). Offerings whose waitlist faces a full house are skipped.
   */
  async offeringsToSweep(now: Date): Promise<string[]> {
    const rows: Array<{ offering_id: string }> = await this.db.query(
      `WITH seats AS (
         SELECT offering_id, count(*) FILTER (WHERE status IN ('enrolled', 'offered', 'completed')) AS held,
                bool_or(status = 'waitlisted') AS waiting, bool_or(status = 'offered' AND offer_expires_at <= $1) AS lapsed
           FROM enrollment WHERE status IN ('enrolled', 'offered', 'completed', 'waitlisted') GROUP BY offering_id)
       SELECT s.offering_id FROM seats s JOIN offering o ON o.id = s.offering_id
        WHERE s.lapsed OR (s.waiting AND o.status = 'published' AND o.capacity > s.held)`, [now]);
    return rows.map((r) => r.offering_id);
  }

  async seatSummary(offeringId: string): Promise<Record<EnrollmentStatus, number>> {
    const rows: Array<{ status: EnrollmentStatus; n: number }> = await this.db.query(
      `SELECT status, count(*)::int AS n FROM enrollment WHERE offering_id = $1 GROUP BY status`, [offeringId]);
    return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<EnrollmentStatus, number>;
  }

  /**
   * Staff the roster page may enrol, found by name: in the caller's scope (`scopePaths`), where the
   * offering reaches (`ownerPath`), and not already in play on the offering.
   */
  async enrollableStaff(q: string, scopePaths: string[], ownerPath: string, offeringId: string): Promise<Array<{ id: string; fullName: string; kindergartenName: string; post: string | null }>> {
    if (!q || !scopePaths.length) return [];
    return this.db.query(
      `SELECT p.id, p.full_name AS "fullName", k.name AS "kindergartenName", p.current_post AS post
         FROM person p JOIN org_unit k ON k.id = p.current_org_unit_id
        WHERE p.full_name ILIKE $1 AND k.path LIKE ANY($2::text[]) AND k.path LIKE $3
          AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.offering_id = $4 AND e.person_id = p.id
                             AND e.status IN ('pending_approval', 'enrolled', 'waitlisted', 'offered'))
        ORDER BY p.full_name, k.name LIMIT 20`,
      [`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, scopePaths.map((p) => `${p}%`), `${ownerPath}%`, offeringId]);
  }
}

export interface EventRow {
  fromStatus: EnrollmentStatus | null;
  toStatus: EnrollmentStatus;
  reason: string | null;
  at: Date;
  actorName: string | null;
}
