import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ROLE_PERMISSIONS } from '../../common/permissions.js';
import type { ProgramStatus } from './programs.entities.js';

export interface InboxRow {
  applicationId: string;
  programId: string;
  programNameZh: string;
  programNameEn: string;
  programStatus: ProgramStatus;
  personName: string;
  kindergartenName: string | null;
  assignedAt: Date;
  scored: boolean;
  total: number | null;
}

export interface ScoreRow {
  reviewerUserId: string;
  reviewerName: string;
  scores: Record<string, number>;
  total: number;
  comment: string | null;
  updatedAt: Date;
}

export interface ReviewerChoice {
  userId: string;
  displayName: string;
  username: string;
}

/** Roles that carry `programs.review` (experts, district staff). */
const REVIEW_ROLES = Object.entries(ROLE_PERMISSIONS).filter(([, permissions]) => permissions.includes('programs.review')).map(([role]) => role);

/** Review reads: a reviewer's inbox, the reviewers a district may assign, an application's assignments and scores. */
@Injectable()
export class ReviewsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** What is assigned to the reviewer (withdrawn applications dropped), unscored first. */
  async inbox(userId: string): Promise<InboxRow[]> {
    return this.db.query(
      `SELECT ra.application_id AS "applicationId", p.id AS "programId", p.name_zh AS "programNameZh", p.name_en AS "programNameEn", p.status AS "programStatus",
              pe.full_name AS "personName", k.name AS "kindergartenName", ra.assigned_at AS "assignedAt",
              (s.application_id IS NOT NULL) AS scored, s.total::float AS total
         FROM program_review_assignment ra JOIN program_application a ON a.id = ra.application_id JOIN program p ON p.id = ra.program_id
         JOIN person pe ON pe.id = a.person_id LEFT JOIN org_unit k ON k.id = a.kindergarten_id
         LEFT JOIN program_review_score s ON s.application_id = ra.application_id AND s.reviewer_user_id = ra.reviewer_user_id
        WHERE ra.reviewer_user_id = $1 AND a.status <> 'withdrawn'
        ORDER BY (s.application_id IS NOT NULL), p.applications_close_at DESC, pe.full_name LIMIT 1000`, [userId]);
  }

  async isAssigned(applicationId: string, userId: string, manager?: EntityManager): Promise<boolean> {
    const rows = await (manager ?? this.db.manager).query(
      'SELECT 1 FROM program_review_assignment WHERE application_id = $1 AND reviewer_user_id = $2', [applicationId, userId]);
    return rows.length > 0;
  }

  /** Users who may review the district's programs: a reviewing role with no org scope (experts) or one reaching the district. */
  async reviewerChoices(districtPath: string): Promise<ReviewerChoice[]> {
    return this.db.query(
      `SELECT DISTINCT u.id AS "userId", u.display_name AS "displayName", u.username
         FROM app_user u JOIN role_assignment r ON r.user_id = u.id LEFT JOIN org_unit o ON o.id = r.org_unit_id
        WHERE u.disabled_at IS NULL AND r.role = ANY($2::text[])
          AND ((r.org_unit_id IS NULL AND r.group_id IS NULL) OR $1 LIKE o.path || '%')
        ORDER BY u.display_name, u.username`, [districtPath, REVIEW_ROLES]);
  }

  async scores(applicationId: string, manager?: EntityManager): Promise<ScoreRow[]> {
    return (manager ?? this.db.manager).query(
      `SELECT s.reviewer_user_id AS "reviewerUserId", u.display_name AS "reviewerName", s.scores, s.total::float AS total, s.comment, s.updated_at AS "updatedAt"
         FROM program_review_score s JOIN app_user u ON u.id = s.reviewer_user_id WHERE s.application_id = $1 ORDER BY s.submitted_at`, [applicationId]);
  }

  /** Every assignment of a program's applications, with whether the reviewer has scored. */
  async assignments(programId: string): Promise<Array<{ applicationId: string; reviewerUserId: string; reviewerName: string; scored: boolean }>> {
    return this.db.query(
      `SELECT ra.application_id AS "applicationId", ra.reviewer_user_id AS "reviewerUserId", u.display_name AS "reviewerName",
              EXISTS (SELECT 1 FROM program_review_score s WHERE s.application_id = ra.application_id AND s.reviewer_user_id = ra.reviewer_user_id) AS scored
         FROM program_review_assignment ra JOIN app_user u ON u.id = ra.reviewer_user_id WHERE ra.program_id = $1 ORDER BY u.display_name`, [programId]);
  }
}
