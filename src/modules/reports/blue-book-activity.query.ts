import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The year's window: from 1 January to the book's date, as instants in Shanghai time and as dates. */
export interface YearWindow {
  fromDate: string;
  toDate: string;
  fromInstant: string;
  /** Exclusive: the midnight after `toDate`. */
  untilInstant: string;
}

export interface TrainingFigures {
  offerings: number;
  meetings: number;
  hours: number;
  enrolments: number;
  completions: number;
  completedHours: number;
  certificates: number;
  creditEntries: number;
  creditPeople: number;
  credits: number;
}

export interface MentoringFigures {
  activePairings: number;
  mentees: number;
  mentors: number;
  activitiesByKind: Array<{ kind: string; count: number }>;
  acceptedReviews: number;
  rotations: number;
  rotationsByKind: Array<{ kind: string; count: number }>;
}

const num = (value: unknown) => Number(value ?? 0);

/** What happened in the district during the year: training held and completed, credits recorded, mentoring and rotations. */
@Injectable()
export class BlueBookActivityQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Offerings held: published or closed offerings with a meeting in the window (their hours: those
   * meetings'). Enrolments: the seats taken in those offerings. Completions and certificates: those
   * dated in the window and not reopened or revoked before its end.
   */
  async training(districtId: string, w: YearWindow): Promise<TrainingFigures> {
    const [row] = await this.db.query(
      `WITH held AS (
         SELECT m.offering_id, count(*) AS meetings, sum(m.hours) AS hours
           FROM meeting m JOIN offering o ON o.id = m.offering_id
          WHERE o.district_id = $1 AND o.status IN ('published','closed') AND m.starts_at >= $2 AND m.starts_at < $3
          GROUP BY m.offering_id)
       SELECT (SELECT count(*) FROM held) AS offerings,
              (SELECT COALESCE(sum(meetings), 0) FROM held) AS meetings,
              (SELECT COALESCE(sum(hours), 0) FROM held) AS hours,
              (SELECT count(*) FROM enrollment e WHERE e.offering_id IN (SELECT offering_id FROM held)
                  AND e.status IN ('enrolled','completed','no_show')) AS enrolments,
              (SELECT count(*) FROM completion c WHERE c.district_id = $1 AND c.completed_at >= $2 AND c.completed_at < $3
                  AND (c.reopened_at IS NULL OR c.reopened_at >= $3)) AS completions,
              (SELECT COALESCE(sum(c.hours), 0) FROM completion c WHERE c.district_id = $1 AND c.completed_at >= $2 AND c.completed_at < $3
                  AND (c.reopened_at IS NULL OR c.reopened_at >= $3)) AS completed_hours,
              (SELECT count(*) FROM certificate x WHERE x.district_id = $1 AND x.issued_at >= $2 AND x.issued_at < $3
                  AND (x.revoked_at IS NULL OR x.revoked_at >= $3)) AS certificates,
              (SELECT count(*) FROM credit_entry ce WHERE ce.district_id = $1 AND ce.occurred_on BETWEEN $4 AND $5
                  AND ce.reverses_entry_id IS NULL AND ce.recorded_at < $3) AS credit_entries,
              (SELECT count(DISTINCT ce.person_id) FROM credit_entry ce WHERE ce.district_id = $1 AND ce.occurred_on BETWEEN $4 AND $5
                  AND ce.reverses_entry_id IS NULL AND ce.recorded_at < $3) AS credit_people,
              (SELECT COALESCE(sum(ce.credits), 0) FROM credit_entry ce WHERE ce.district_id = $1 AND ce.occurred_on BETWEEN $4 AND $5
                  AND ce.recorded_at < $3) AS credits`,
      [districtId, w.fromInstant, w.untilInstant, w.fromDate, w.toDate]);
    return {
      offerings: num(row.offerings), meetings: num(row.meetings), hours: num(row.hours), enrolments: num(row.enrolments),
      completions: num(row.completions), completedHours: num(row.completed_hours), certificates: num(row.certificates),
      creditEntries: num(row.credit_entries), creditPeople: num(row.credit_people), credits: num(row.credits),
    };
  }

  /**
   * Pairings activated by the window's end and running during it; activities confirmed in the
   * window by kind; term reviews accepted in it; rotations overlapping it.
   */
  async mentoring(districtId: string, w: YearWindow): Promise<MentoringFigures> {
    const [[pairings], activities, [reviews], rotations] = await Promise.all([
      this.db.query(
        `WITH p AS (SELECT id, mentee_person_id FROM mentor_pairing
                     WHERE district_id = $1 AND status IN ('active','ended') AND activated_at < $4 AND starts_on <= $3 AND ends_on >= $2)
         SELECT (SELECT count(*) FROM p) AS pairings, (SELECT count(DISTINCT mentee_person_id) FROM p) AS mentees,
                (SELECT count(DISTINCT l.mentor_person_id) FROM mentor_link l WHERE l.pairing_id IN (SELECT id FROM p)) AS mentors`,
        [districtId, w.fromDate, w.toDate, w.untilInstant]),
      this.db.query(
        `SELECT kind, count(*) AS count FROM mentoring_activity
          WHERE district_id = $1 AND status = 'confirmed' AND occurred_on BETWEEN $2 AND $3 AND confirmed_at < $4
          GROUP BY kind ORDER BY kind`, [districtId, w.fromDate, w.toDate, w.untilInstant]),
      this.db.query(
        `SELECT count(*) AS count FROM mentoring_term_review
          WHERE district_id = $1 AND status = 'accepted' AND decided_at >= $2 AND decided_at < $3`, [districtId, w.fromInstant, w.untilInstant]),
      this.db.query(
        `SELECT kind, count(*) AS count FROM rotation
          WHERE district_id = $1 AND starts_on <= $3 AND COALESCE(ended_early_on, ends_on) >= $2
          GROUP BY kind ORDER BY kind`, [districtId, w.fromDate, w.toDate]),
    ]);
    const byKind = (rows: Array<{ kind: string; count: string }>) => rows.map((r) => ({ kind: r.kind, count: num(r.count) }));
    const rotationsByKind = byKind(rotations);
    return {
      activePairings: num(pairings.pairings), mentees: num(pairings.mentees), mentors: num(pairings.mentors),
      activitiesByKind: byKind(activities), acceptedReviews: num(reviews.count),
      rotations: rotationsByKind.reduce((s, r) => s + r.count, 0), rotationsByKind,
    };
  }
}
