import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ProgramApplicationStatus } from './programs.entities.js';

export interface BoardRow {
  id: string;
  personId: string;
  personName: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  groupId: string | null;
  groupName: string | null;
  source: 'self' | 'nomination';
  status: ProgramApplicationStatus;
  score: number | null;
  reviewerCount: number | null;
  reserveRank: number | null;
  assigned: number;
  scored: number;
  createdAt: Date;
}

/** The selection board's rows: a program's applications (withdrawn ones left out) with review progress. */
@Injectable()
export class SelectionQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async rows(programId: string, manager?: EntityManager): Promise<BoardRow[]> {
    return (manager ?? this.db.manager).query(
      `SELECT a.id, a.person_id AS "personId", pe.full_name AS "personName", a.kindergarten_id AS "kindergartenId", k.name AS "kindergartenName",
              a.group_id AS "groupId", g.name AS "groupName", a.source, a.status, a.score::float AS score, a.reviewer_count AS "reviewerCount",
              a.reserve_rank AS "reserveRank", a.created_at AS "createdAt",
              (SELECT count(*)::int FROM program_review_assignment ra WHERE ra.application_id = a.id) AS assigned,
              (SELECT count(*)::int FROM program_review_score s WHERE s.application_id = a.id) AS scored
         FROM program_application a JOIN person pe ON pe.id = a.person_id
         LEFT JOIN org_unit k ON k.id = a.kindergarten_id LEFT JOIN kindergarten_group g ON g.id = a.group_id
        WHERE a.program_id = $1 AND a.status <> 'withdrawn'`, [programId]);
  }
}
