import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ApplicationStatus } from './titles.entities.js';

/** An application as read by people and pages, with the org paths its scope checks use. */
export interface ApplicationView {
  id: string;
  personId: string;
  personName: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  districtName: string;
  fromTitle: string | null;
  toTitle: string;
  status: ApplicationStatus;
  statement: string | null;
  attachments: Array<{ id: string; name: string }>;
  dossier: Record<string, unknown> | null;
  eligibility: Record<string, unknown> | null;
  openedAt: string;
  submittedAt: string | null;
  kindergartenDecidedAt: string | null;
  kindergartenComment: string | null;
  districtDecidedAt: string | null;
  districtComment: string | null;
  rejectionReasons: string | null;
  effectiveDate: string | null;
  titleRecordId: string | null;
  /** Org path of the kindergarten when opened (of the district when the person had none). */
  kindergartenPath: string;
  districtPath: string;
}

const SELECT = `
  SELECT a.id, a.person_id AS "personId", p.full_name AS "personName", a.kindergarten_id AS "kindergartenId", k.name AS "kindergartenName",
         d.name AS "districtName", a.from_title AS "fromTitle", a.to_title AS "toTitle", a.status, a.statement,
         coalesce((SELECT json_agg(json_build_object('id', f.id, 'name', f.original_name) ORDER BY f.created_at)
                     FROM stored_file f WHERE f.id = ANY(a.attachment_file_ids)), '[]') AS attachments,
         a.dossier, a.eligibility, a.opened_at AS "openedAt", a.submitted_at AS "submittedAt",
         a.kindergarten_decided_at AS "kindergartenDecidedAt", a.kindergarten_comment AS "kindergartenComment",
         a.district_decided_at AS "districtDecidedAt", a.district_comment AS "districtComment", a.rejection_reasons AS "rejectionReasons",
         a.effective_date::text AS "effectiveDate", a.title_record_id AS "titleRecordId",
         coalesce(k.path, d.path) AS "kindergartenPath", d.path AS "districtPath"
    FROM title_application a JOIN person p ON p.id = a.person_id JOIN org_unit d ON d.id = a.district_id
    LEFT JOIN org_unit k ON k.id = a.kindergarten_id`;

export interface ApplicationFilter {
  /** Path prefixes where the caller reviews (kindergarten) or decides (district). */
  reviewPaths: string[];
  decidePaths: string[];
  status?: ApplicationStatus;
  kindergartenId?: string;
}

@Injectable()
export class TitleApplicationsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async view(id: string): Promise<ApplicationView | null> {
    const rows: ApplicationView[] = await this.db.query(`${SELECT} WHERE a.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async ofPerson(personId: string): Promise<ApplicationView[]> {
    return this.db.query(`${SELECT} WHERE a.person_id = $1 ORDER BY a.opened_at DESC`, [personId]);
  }

  /** Applications in the caller's review scope, newest first, without the heavy dossier. */
  async list(filter: ApplicationFilter): Promise<Array<Omit<ApplicationView, 'dossier'>>> {
    const rows: ApplicationView[] = await this.db.query(
      `${SELECT}
        WHERE (coalesce(k.path, d.path) LIKE ANY($1::text[]) OR (d.path LIKE ANY($2::text[]) AND a.status <> 'draft'))
          AND ($3::text IS NULL OR a.status = $3) AND ($4::uuid IS NULL OR a.kindergarten_id = $4)
        ORDER BY a.submitted_at DESC NULLS LAST, a.opened_at DESC LIMIT 500`,
      [filter.reviewPaths.map((p) => `${p}%`), filter.decidePaths.map((p) => `${p}%`), filter.status ?? null, filter.kindergartenId ?? null]);
    return rows.map(({ dossier: _dossier, ...rest }) => rest);
  }
}
