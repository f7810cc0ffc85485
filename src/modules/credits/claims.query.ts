import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CourseLevel, CreditCategory } from '../catalog/catalog.entities.js';
import { prefixPatterns } from '../org/org-scope.service.js';
import type { ClaimStatus } from './credit.entities.js';

/** A claim as the API and pages show it. */
export interface ClaimView {
  id: string;
  personId: string;
  personName: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  title: string;
  provider: string;
  certificateNumber: string;
  hours: number;
  credits: number;
  category: CreditCategory;
  level: CourseLevel;
  occurredOn: string;
  status: ClaimStatus;
  evidence: { id: string; name: string; contentType: string; sizeBytes: number };
  kindergartenReviewedBy: string | null;
  kindergartenReviewedAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  rejectReason: string | null;
  entryId: string | null;
  createdAt: Date;
}

export interface ClaimListFilter {
  personId?: string;
  /** Org path prefixes the caller reviews; the claim's kindergarten (else district) must lie under one. */
  scopePaths?: string[];
  status?: ClaimStatus;
  page: number;
  pageSize: number;
}

/** Where a claim sits in the org tree (its kindergarten at submission, else its district), for scope checks. */
export interface ClaimPlace {
  id: string;
  personId: string;
  path: string;
  districtId: string;
}

const VIEW = `
  SELECT c.id, c.person_id AS "personId", p.full_name AS "personName", c.kindergarten_id AS "kindergartenId", k.name AS "kindergartenName",
         c.title, c.provider, c.certificate_number AS "certificateNumber", c.hours::float AS hours, c.credits::float AS credits,
         c.category, c.level, to_char(c.occurred_on, 'YYYY-MM-DD') AS "occurredOn", c.status,
         json_build_object('id', f.id, 'name', f.original_name, 'contentType', f.content_type, 'sizeBytes', f.size_bytes) AS evidence,
         c.kindergarten_reviewed_by AS "kindergartenReviewedBy", c.kindergarten_reviewed_at AS "kindergartenReviewedAt",
         c.decided_by AS "decidedBy", c.decided_at AS "decidedAt", c.reject_reason AS "rejectReason", c.entry_id AS "entryId", c.created_at AS "createdAt"
    FROM credit_claim c
    JOIN person p ON p.id = c.person_id
    JOIN org_unit d ON d.id = c.district_id
    LEFT JOIN org_unit k ON k.id = c.kindergarten_id
    JOIN stored_file f ON f.id = c.evidence_file_id`;

@Injectable()
export class ClaimsQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The claimant's district, kindergarten (when employed at one) and org path. */
  async claimant(personId: string): Promise<{ districtId: string; kindergartenId: string | null; orgPath: string } | null> {
    const rows = await this.db.query(
      `SELECT p.district_id AS "districtId", k.id AS "kindergartenId", coalesce(k.path, d.path) AS "orgPath"
         FROM person p JOIN org_unit d ON d.id = p.district_id
         LEFT JOIN org_unit k ON k.id = p.current_org_unit_id AND k.kind = 'kindergarten'
        WHERE p.id = $1`, [personId]);
    return rows[0] ?? null;
  }

  /** The person's live claim (not rejected) with this certificate number, compared without case. */
  async liveClaimWithCertificate(personId: string, certificateNumber: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM credit_claim WHERE person_id = $1 AND lower(certificate_number) = lower($2) AND status <> 'rejected'`,
      [personId, certificateNumber]);
    return rows[0]?.id ?? null;
  }

  async view(id: string, manager?: EntityManager): Promise<ClaimView | null> {
    const rows: ClaimView[] = await (manager ?? this.db).query(`${VIEW} WHERE c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The claim's place, locked for the rest of `manager`'s transaction when given. */
  async place(id: string, manager?: EntityManager): Promise<ClaimPlace | null> {
    const rows: ClaimPlace[] = await (manager ?? this.db).query(
      `SELECT c.id, c.person_id AS "personId", coalesce(k.path, d.path) AS path, c.district_id AS "districtId"
         FROM credit_claim c JOIN org_unit d ON d.id = c.district_id LEFT JOIN org_unit k ON k.id = c.kindergarten_id
        WHERE c.id = $1 ${manager ? 'FOR UPDATE OF c' : ''}`, [id]);
    return rows[0] ?? null;
  }

  /** The claim a file is the evidence of. */
  async placeByEvidence(fileId: string): Promise<ClaimPlace | null> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM credit_claim WHERE evidence_file_id = $1`, [fileId]);
    return rows[0] ? this.place(rows[0].id) : null;
  }

  async list(filter: ClaimListFilter): Promise<{ items: ClaimView[]; total: number }> {
    const params: unknown[] = [];
    const clauses: string[] = [];
    if (filter.personId) clauses.push(`c.person_id = $${params.push(filter.personId)}`);
    if (filter.scopePaths) clauses.push(`coalesce(k.path, d.path) LIKE ANY($${params.push(prefixPatterns(filter.scopePaths))}::text[])`);
    if (filter.status) clauses.push(`c.status = $${params.push(filter.status)}`);
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const [{ total }] = await this.db.query(
      `SELECT count(*)::int AS total FROM credit_claim c JOIN org_unit d ON d.id = c.district_id LEFT JOIN org_unit k ON k.id = c.kindergarten_id ${where}`, params);
    const items: ClaimView[] = await this.db.query(
      `${VIEW} ${where} ORDER BY c.created_at DESC, c.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize]);
    return { items, total };
  }

  /** The claimant's sign-in accounts, to notify them in their language. */
  async claimantUsers(personId: string): Promise<Array<{ id: string; locale: 'zh-CN' | 'en' }>> {
    return this.db.query(`SELECT id, locale FROM app_user WHERE person_id = $1 AND disabled_at IS NULL`, [personId]);
  }
}
