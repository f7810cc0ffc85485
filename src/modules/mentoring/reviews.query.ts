import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { prefixPatterns } from '../org/org-scope.service.js';
import type { TermTargets } from './mentoring.entities.js';

export interface ReviewView {
  id: string;
  pairingId: string;
  term: string;
  status: 'submitted' | 'accepted' | 'returned';
  targets: TermTargets;
  progress: Record<string, unknown>;
  mentorComment: string;
  submittedByName: string | null;
  submittedAt: Date;
  adminComment: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
}

/** An active pairing in scope with its reviews, for the overdue list. */
export interface PairingReviewState {
  pairingId: string;
  menteeName: string;
  kindergartenName: string;
  leadMentorName: string | null;
  startsOn: string;
  endsOn: string;
  reviews: Array<{ id: string; term: string; status: string }>;
}

const VIEW = `
  SELECT r.id, r.pairing_id AS "pairingId", r.term, r.status, r.targets, r.progress, r.mentor_comment AS "mentorComment",
         su.display_name AS "submittedByName", r.submitted_at AS "submittedAt", r.admin_comment AS "adminComment",
         du.display_name AS "decidedByName", r.decided_at AS "decidedAt"
    FROM mentoring_term_review r
    LEFT JOIN app_user su ON su.id = r.submitted_by
    LEFT JOIN app_user du ON du.id = r.decided_by`;

@Injectable()
export class ReviewsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async view(id: string, manager?: EntityManager): Promise<ReviewView | null> {
    const rows: ReviewView[] = await (manager ?? this.db).query(`${VIEW} WHERE r.id = $1`, [id]);
    return rows[0] ?? null;
  }

  list(pairingId: string): Promise<ReviewView[]> {
    return this.db.query(`${VIEW} WHERE r.pairing_id = $1 ORDER BY r.term DESC`, [pairingId]);
  }

  async pairingOf(reviewId: string): Promise<string | null> {
    const rows: Array<{ pairing_id: string }> = await this.db.query('SELECT pairing_id FROM mentoring_term_review WHERE id = $1', [reviewId]);
    return rows[0]?.pairing_id ?? null;
  }

  async idFor(pairingId: string, term: string, manager?: EntityManager): Promise<string | null> {
    const rows: Array<{ id: string }> = await (manager ?? this.db).query(
      'SELECT id FROM mentoring_term_review WHERE pairing_id = $1 AND term = $2', [pairingId, term]);
    return rows[0]?.id ?? null;
  }

  /** Active pairings whose mentee's kindergarten lies under one of the paths, with every review they have. */
  activeInScope(paths: string[]): Promise<PairingReviewState[]> {
    if (!paths.length) return Promise.resolve([]);
    return this.db.query(
      `SELECT p.id AS "pairingId", mp.full_name AS "menteeName", k.name AS "kindergartenName",
              (SELECT lp.full_name FROM mentor_link l JOIN person lp ON lp.id = l.mentor_person_id WHERE l.pairing_id = p.id AND l.role = 'lead') AS "leadMentorName",
              to_char(p.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(p.ends_on, 'YYYY-MM-DD') AS "endsOn",
              coalesce((SELECT json_agg(json_build_object('id', r.id, 'term', r.term, 'status', r.status)) FROM mentoring_term_review r WHERE r.pairing_id = p.id), '[]') AS reviews
         FROM mentor_pairing p
         JOIN org_unit k ON k.id = p.mentee_kindergarten_id
         JOIN person mp ON mp.id = p.mentee_person_id
        WHERE p.status = 'active' AND k.path LIKE ANY($1::text[])
        ORDER BY k.code, mp.full_name`, [prefixPatterns(paths)]);
  }
}
