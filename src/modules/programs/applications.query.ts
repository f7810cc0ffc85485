import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ProgramStatus, ProgramApplicationSource, ProgramApplicationStatus } from './programs.entities.js';

export interface ApplicationRow {
  id: string;
  programId: string;
  programCode: string;
  programNameZh: string;
  programNameEn: string;
  programStatus: ProgramStatus;
  programTier: string;
  personId: string;
  personName: string;
  districtId: string;
  districtPath: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  /** The kindergarten's path (the district's when there is none): where nominators reach. */
  kindergartenPath: string;
  groupId: string | null;
  groupName: string | null;
  source: ProgramApplicationSource;
  nominatedBy: string | null;
  nominatedByName: string | null;
  statement: string;
  attachments: Array<{ id: string; name: string }>;
  status: ProgramApplicationStatus;
  score: number | null;
  reviewerCount: number | null;
  reserveRank: number | null;
  decidedAt: Date | null;
  createdAt: Date;
  version: number;
}

export interface ApplicationDetail extends ApplicationRow {
  dossier: Record<string, unknown>;
}

const COLUMNS = `a.id, a.program_id AS "programId", p.code AS "programCode", p.name_zh AS "programNameZh", p.name_en AS "programNameEn",
  p.status AS "programStatus", p.tier AS "programTier", a.person_id AS "personId", pe.full_name AS "personName",
  a.district_id AS "districtId", d.path AS "districtPath", a.kindergarten_id AS "kindergartenId", k.name AS "kindergartenName",
  coalesce(k.path, d.path) AS "kindergartenPath", a.group_id AS "groupId", g.name AS "groupName", a.source, a.nominated_by AS "nominatedBy",
  nu.display_name AS "nominatedByName", a.statement,
  coalesce((SELECT json_agg(json_build_object('id', f.id, 'name', f.original_name) ORDER BY x.n)
              FROM unnest(a.attachment_file_ids) WITH ORDINALITY x(id, n) JOIN stored_file f ON f.id = x.id), '[]') AS attachments,
  a.status, a.score::float AS score, a.reviewer_count AS "reviewerCount", a.reserve_rank AS "reserveRank", a.decided_at AS "decidedAt",
  a.created_at AS "createdAt", a.version`;
const FROM = `FROM program_application a JOIN program p ON p.id = a.program_id JOIN person pe ON pe.id = a.person_id
  JOIN org_unit d ON d.id = a.district_id LEFT JOIN org_unit k ON k.id = a.kindergarten_id
  LEFT JOIN kindergarten_group g ON g.id = a.group_id LEFT JOIN app_user nu ON nu.id = a.nominated_by`;

/** Application reads in plain SQL: one with its dossier, lists without. */
@Injectable()
export class ApplicationsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async detail(id: string, manager?: EntityManager): Promise<ApplicationDetail | null> {
    const rows: ApplicationDetail[] = await (manager ?? this.db.manager).query(`SELECT ${COLUMNS}, a.dossier ${FROM} WHERE a.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The application a person holds in a program (not withdrawn). */
  async current(programId: string, personId: string, manager?: EntityManager): Promise<ApplicationRow | null> {
    const rows: ApplicationRow[] = await (manager ?? this.db.manager).query(
      `SELECT ${COLUMNS} ${FROM} WHERE a.program_id = $1 AND a.person_id = $2 AND a.status <> 'withdrawn'`, [programId, personId]);
    return rows[0] ?? null;
  }

  async ofPerson(personId: string): Promise<ApplicationRow[]> {
    return this.db.query(`SELECT ${COLUMNS} ${FROM} WHERE a.person_id = $1 ORDER BY a.created_at DESC`, [personId]);
  }

  /** A program's applications; `underPaths` limits them to kindergartens under those paths (a nominator's), null: all. */
  async ofProgram(programId: string, underPaths: string[] | null): Promise<ApplicationRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} ${FROM} WHERE a.program_id = $1
          AND ($2::text[] IS NULL OR coalesce(k.path, d.path) LIKE ANY (SELECT x || '%' FROM unnest($2::text[]) x))
        ORDER BY a.created_at`, [programId, underPaths]);
  }

  async isReviewer(applicationId: string, userId: string): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM program_review_assignment WHERE application_id = $1 AND reviewer_user_id = $2', [applicationId, userId]);
    return rows.length > 0;
  }

  async applicationOfFile(fileId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.db.query('SELECT id FROM program_application WHERE $1 = ANY(attachment_file_ids) LIMIT 1', [fileId]);
    return rows[0]?.id ?? null;
  }
}
