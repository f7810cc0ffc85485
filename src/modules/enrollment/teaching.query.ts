import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface TaughtOffering {
  id: string;
  code: string;
  label: string;
  status: string;
  courseTitle: string;
  courseCode: string;
  enrolled: number;
  trains: boolean;
}

export interface TaughtMeeting {
  id: string;
  offeringId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  hours: number;
  place: string | null;
}

/** The trainer's home page: offerings they are listed on or manage, soonest first, with their meetings. */
@Injectable()
export class TeachingQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async offerings(userId: string, managePaths: string[], limit = 100): Promise<TaughtOffering[]> {
    return this.db.query(
      `SELECT o.id, o.code, o.label, o.status, c.title AS "courseTitle", c.code AS "courseCode",
              (SELECT count(*) FROM enrollment e WHERE e.offering_id = o.id AND e.status = 'enrolled')::int AS enrolled,
              EXISTS (SELECT 1 FROM offering_trainer t WHERE t.offering_id = o.id AND t.user_id = $1) AS trains
         FROM offering o
         JOIN course c ON c.id = o.course_id
         JOIN org_unit owner ON owner.id = c.owner_org_unit_id
        WHERE o.status <> 'cancelled'
          AND (EXISTS (SELECT 1 FROM offering_trainer t WHERE t.offering_id = o.id AND t.user_id = $1)
               OR EXISTS (SELECT 1 FROM unnest($2::text[]) AS scope(path) WHERE starts_with(owner.path, scope.path)))
        ORDER BY (SELECT min(m.starts_at) FROM meeting m WHERE m.offering_id = o.id AND m.ends_at >= now()) NULLS LAST, o.created_at DESC
        LIMIT $3`, [userId, managePaths, limit]);
  }

  async meetings(offeringIds: string[]): Promise<TaughtMeeting[]> {
    if (!offeringIds.length) return [];
    return this.db.query(
      `SELECT id, offering_id AS "offeringId", title, starts_at AS "startsAt", ends_at AS "endsAt", hours::float8 AS hours, place
         FROM meeting WHERE offering_id = ANY($1::uuid[]) ORDER BY starts_at`, [offeringIds]);
  }
}
