import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { ImportCounts, ImportKind, ImportStatus, RowOutcome, RowProblem } from './imports.entities.js';

export interface KindergartenByCode {
  id: string;
  code: string;
  status: string | null;
}

export interface ImportListItem {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  originalName: string;
  totalRows: number;
  counts: ImportCounts;
  createdAt: Date;
  createdByName: string | null;
  finishedAt: Date | null;
}

export interface StoredRow {
  rowNumber: number;
  outcome: RowOutcome;
  errors: RowProblem[];
  data: Record<string, unknown>;
  appliedAt: Date | null;
}

/** Reads for imports: the district's kindergartens by code, the import history, and the stored rows of one job. */
@Injectable()
export class ImportsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async kindergartensOf(districtId: string): Promise<KindergartenByCode[]> {
    return this.db.query(`SELECT id, code, status FROM org_unit WHERE district_id = $1 AND kind = 'kindergarten'`, [districtId]);
  }

  async list(districtIds: string[], page: number, pageSize: number): Promise<{ items: ImportListItem[]; total: number }> {
    const [items, [{ total }]] = await Promise.all([
      this.db.query(
        `SELECT j.id, j.kind, j.status, j.original_name AS "originalName", j.total_rows AS "totalRows", j.counts,
                j.created_at AS "createdAt", j.finished_at AS "finishedAt", u.display_name AS "createdByName"
           FROM import_job j LEFT JOIN app_user u ON u.id = j.created_by
          WHERE j.district_id = ANY($1::uuid[]) ORDER BY j.created_at DESC, j.id LIMIT $2 OFFSET $3`,
        [districtIds, pageSize, (page - 1) * pageSize]),
      this.db.query(`SELECT count(*)::int AS total FROM import_job WHERE district_id = ANY($1::uuid[])`, [districtIds]),
    ]);
    return { items, total };
  }

  async rows(jobId: string, outcome: RowOutcome | undefined, page: number, pageSize: number): Promise<{ items: StoredRow[]; total: number }> {
    const [items, [{ total }]] = await Promise.all([
      this.db.query(
        `SELECT row_number AS "rowNumber", outcome, errors, data, applied_at AS "appliedAt" FROM import_row
          WHERE job_id = $1 AND ($2::text IS NULL OR outcome = $2) ORDER BY row_number LIMIT $3 OFFSET $4`,
        [jobId, outcome ?? null, pageSize, (page - 1) * pageSize]),
      this.db.query(`SELECT count(*)::int AS total FROM import_row WHERE job_id = $1 AND ($2::text IS NULL OR outcome = $2)`, [jobId, outcome ?? null]),
    ]);
    return { items, total };
  }

  /** Every row of the job in order, a page at a time (for the result file of a 50,000-row import). */
  async *allRows(jobId: string, pageSize = 5000): AsyncGenerator<StoredRow[]> {
    let after = 0;
    for (;;) {
      const rows: StoredRow[] = await this.db.query(
        `SELECT row_number AS "rowNumber", outcome, errors, data, applied_at AS "appliedAt" FROM import_row
          WHERE job_id = $1 AND row_number > $2 ORDER BY row_number LIMIT $3`, [jobId, after, pageSize]);
      if (!rows.length) return;
      yield rows;
      after = rows[rows.length - 1].rowNumber;
    }
  }

  /** The confirmed rows not yet written, in file order (the partial index import_row_pending_idx serves this). */
  async pendingRows(manager: EntityManager, jobId: string, limit: number): Promise<Array<{ rowNumber: number; outcome: 'create' | 'update'; matchKey: string | null; data: Record<string, unknown> }>> {
    return manager.query(
      `SELECT row_number AS "rowNumber", outcome, match_key AS "matchKey", data FROM import_row
        WHERE job_id = $1 AND applied_at IS NULL AND outcome IN ('create', 'update') ORDER BY row_number LIMIT $2`, [jobId, limit]);
  }
}
