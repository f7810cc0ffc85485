import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { prefixPatterns } from '../org/org-scope.service.js';
import type { LearnerProfile } from '../people/people-directory.service.js';
import type { ApprovalMode, Audience, CourseLevel, CourseMode, CourseStatus, CreditCategory, OfferingStatus, WaitlistMode } from './catalog.entities.js';
import { PreparedReads } from '../../database/prepared-reads.js';

/** An offering with what a catalog card shows: its course, meeting span, seats and enrolment window. */
export interface OfferingRow {
  id: string;
  code: string;
  label: string;
  status: OfferingStatus;
  capacity: number;
  kindergartenQuota: number | null;
  enrolOpensAt: Date;
  enrolClosesAt: Date;
  withdrawDeadline: Date;
  approvalMode: ApprovalMode;
  waitlistMode: WaitlistMode;
  offerExpiryHours: number | null;
  courseId: string;
  courseCode: string;
  courseTitle: string;
  description: string;
  provider: string;
  category: CreditCategory;
  tags: string[];
  level: CourseLevel;
  mode: CourseMode;
  hours: number;
  credits: number;
  audience: Audience;
  courseStatus: CourseStatus;
  ownerOrgUnitId: string;
  ownerName: string;
  ownerPath: string;
  firstMeetingAt: Date | null;
  lastMeetingAt: Date | null;
  meetingCount: number;
  /** Enrolments holding a seat: enrolled or offered. */
  seatsTaken: number;
}

export interface CatalogFilter {
  /** Owner org paths the caller may see: every prefix of their own org paths. */
  visibleOwnerPaths: string[];
  /** Subtrees where the caller manages courses: their published offerings are visible too. */
  managedPaths: string[];
  q?: string;
  category?: CreditCategory;
  level?: CourseLevel;
  mode?: CourseMode;
  tag?: string;
  from?: string;
  to?: string;
  /** Only offerings this learner is in the audience of and whose enrolment window is open now. */
  eligibleFor?: LearnerProfile | null;
  cohortIds?: string[];
  page: number;
  pageSize: number;
}

const SELECT = `
  SELECT o.id, o.code, o.label, o.status, o.capacity, o.kindergarten_quota AS "kindergartenQuota",
         o.enrol_opens_at AS "enrolOpensAt", o.enrol_closes_at AS "enrolClosesAt", o.withdraw_deadline AS "withdrawDeadline",
         o.approval_mode AS "approvalMode", o.waitlist_mode AS "waitlistMode", o.offer_expiry_hours AS "offerExpiryHours",
         c.id AS "courseId", c.code AS "courseCode", c.title AS "courseTitle", c.description, c.provider, c.category, c.tags, c.level, c.mode,
         c.hours::float AS hours, c.credits::float AS credits, c.audience, c.status AS "courseStatus",
         ow.id AS "ownerOrgUnitId", ow.name AS "ownerName", ow.path AS "ownerPath",
         m.first_at AS "firstMeetingAt", m.last_at AS "lastMeetingAt", coalesce(m.n, 0)::int AS "meetingCount",
         coalesce(s.taken, 0)::int AS "seatsTaken"`;

/** The joins after `offering o`: its course, the course's owner, the meeting span and the seats held. */
const JOINED = `
    JOIN course c ON c.id = o.course_id
    JOIN org_unit ow ON ow.id = c.owner_org_unit_id
    LEFT JOIN LATERAL (SELECT min(starts_at) AS first_at, max(ends_at) AS last_at, count(*) AS n FROM meeting WHERE offering_id = o.id) m ON true
    LEFT JOIN LATERAL (
      SELECT count(*) AS taken FROM enrollment e WHERE e.offering_id = o.id AND e.status IN ('enrolled', 'offered', 'completed')) s ON true`;

const FROM = `
    FROM offering o ${JOINED}`;

/** One audience dimension in SQL, the same rule as audienceMisses: an absent or empty list lets everyone in. */
const dimension = (key: string, test: string) =>
  `(coalesce(jsonb_array_length(c.audience -> '${key}'), 0) = 0 OR ${test})`;

/** The catalog's reads: plain parameterised SQL over offerings, their courses, meetings and seat-holding enrolments. */
@Injectable()
export class CatalogQuery {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly reads: PreparedReads) {}

  /**
   * One page of matching offerings and the number of them, in one statement: the cheap filter, the order and the
   * page come first (the first meeting found by index), and only the page's offerings get their meeting span and
   * seats counted; the total is a window count over the filtered set, before the page is taken.
   */
  async browse(filter: CatalogFilter): Promise<{ items: OfferingRow[]; total: number }> {
    const params: unknown[] = [filter.visibleOwnerPaths];
    const add = (value: unknown) => `$${params.push(value)}`;
    const managed = prefixPatterns(filter.managedPaths);
    const where = [
      `o.status = 'published'`, `c.status = 'published'`,
      // Without a managed subtree the paths alone match, by the path index.
      managed.length ? `(ow.path = ANY($1::text[]) OR ow.path LIKE ANY(${add(managed)}::text[]))` : `ow.path = ANY($1::text[])`,
    ];
    if (filter.q?.trim()) {
      const pattern = add(`%${filter.q.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      where.push(`(c.title ILIKE ${pattern} OR c.code ILIKE ${pattern} OR c.provider ILIKE ${pattern} OR o.label ILIKE ${pattern}
                   OR array_to_string(c.tags, ' ') ILIKE ${pattern})`);
    }
    if (filter.category) where.push(`c.category = ${add(filter.category)}`);
    if (filter.level) where.push(`c.level = ${add(filter.level)}`);
    if (filter.mode) where.push(`c.mode = ${add(filter.mode)}`);
    if (filter.tag?.trim()) where.push(`c.tags @> ARRAY[${add(filter.tag.trim())}::text]`);
    // Dates are Shanghai days: an offering matches when its meetings reach into [from, to].
    if (filter.from) where.push(`m.last_at >= (${add(filter.from)}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`);
    if (filter.to) where.push(`m.first_at < (${add(filter.to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`);
    if (filter.eligibleFor !== undefined) {
      const person = filter.eligibleFor;
      if (!person) return { items: [], total: 0 };
      where.push(`now() >= o.enrol_opens_at AND now() < o.enrol_closes_at`, ...this.audienceConditions(person, filter.cohortIds ?? [], add));
    }
    // The order needs only the first meeting (one index probe); the date filters need the whole span.
    const span = filter.from || filter.to
      ? `LEFT JOIN LATERAL (SELECT min(starts_at) AS first_at, max(ends_at) AS last_at FROM meeting WHERE offering_id = o.id) m ON true`
      : `LEFT JOIN LATERAL (SELECT starts_at AS first_at FROM meeting WHERE offering_id = o.id ORDER BY starts_at LIMIT 1) m ON true`;
    const matching = `
      SELECT o.id, c.code AS course_code, o.code, m.first_at
        FROM offering o JOIN course c ON c.id = o.course_id JOIN org_unit ow ON ow.id = c.owner_org_unit_id ${span}
       WHERE ${where.join(' AND ')}`;
    const rows = await this.prepared<OfferingRow & { total: number }>(
      `WITH hit AS (${matching}),
       page AS (
         SELECT id, first_at, course_code, code, count(*) OVER () AS total FROM hit
          ORDER BY first_at NULLS LAST, course_code, code
          LIMIT ${add(filter.pageSize)} OFFSET ${add((filter.page - 1) * filter.pageSize)})
       ${SELECT}, page.total::int AS total
         FROM page JOIN offering o ON o.id = page.id ${JOINED}
        ORDER BY page.first_at NULLS LAST, page.course_code, page.code`, params);
    if (!rows.length && filter.page > 1) {
      // A page past the end has no row to carry the total: count on its own.
      const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM (${matching}) hit`, params.slice(0, -2));
      return { items: [], total };
    }
    return { items: rows.map(({ total: _total, ...row }) => row), total: rows[0]?.total ?? 0 };
  }

  /** SQL texts run as prepared statements so far, by name; a few combinations of filters cover nearly every request. */
  /**
   * A named prepared statement, one name per SQL text (the filters given change it, their values do not), with a
   * generic plan (PreparedReads): the page is not planned again on every request. A rare combination of filters past
   * the first 32 is planned each time.
   */
  private async prepared<T>(text: string, values: unknown[]): Promise<T[]> {
    const name = this.reads.nameFor('catalog', text);
    return name ? this.reads.query<T>(name, text, values) : this.db.query(text, values);
  }

  async offering(offeringId: string): Promise<OfferingRow | null> {
    const rows: OfferingRow[] = await this.db.query(`${SELECT} ${FROM} WHERE o.id = $1`, [offeringId]);
    return rows[0] ?? null;
  }

  /** A course's offerings, newest first. */
  async offeringsOfCourse(courseId: string): Promise<OfferingRow[]> {
    return this.db.query(`${SELECT} ${FROM} WHERE o.course_id = $1 ORDER BY m.first_at DESC NULLS FIRST, o.code`, [courseId]);
  }

  /** The learner's profile against each audience dimension; kept in step with audienceMisses (audience.ts). */
  private audienceConditions(person: LearnerProfile, cohortIds: string[], add: (value: unknown) => string): string[] {
    return [
      dimension('posts', `c.audience -> 'posts' ? ${add(person.post)}::text`),
      dimension('teacherStages', `c.audience -> 'teacherStages' ? ${add(person.teacherStage)}::text`),
      dimension('principalStages', `c.audience -> 'principalStages' ? ${add(person.principalStage)}::text`),
      dimension('titles', `c.audience -> 'titles' ? ${add(person.title ?? 'none')}::text`),
      dimension('kindergartenGrades', `c.audience -> 'kindergartenGrades' ? ${add(person.kindergartenGrade)}::text`),
      dimension('ownerships', `c.audience -> 'ownerships' ? ${add(person.ownership)}::text`),
      dimension('kindergartenIds', `c.audience -> 'kindergartenIds' ? ${add(person.kindergartenId)}::text`),
      dimension('groupIds', `c.audience -> 'groupIds' ? ${add(person.groupId)}::text`),
      dimension('cohortIds', `c.audience -> 'cohortIds' ?| ${add(cohortIds)}::text[]`),
    ];
  }
}
