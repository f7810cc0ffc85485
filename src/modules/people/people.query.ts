import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Gender, Post } from './person.entity.js';
import type { CertificateKind, Honour, StageKind, Title } from './person-records.entity.js';
import { prefixPatterns } from '../org/org-scope.service.js';

/** Dates leave the database as `YYYY-MM-DD` text, never as time-zone-shifted Date objects. */
const day = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;
/** Staff lists read as a kindergarten's roster: leaders first, then teachers, then support posts. */
const ROSTER_ORDER: Post[] = ['principal', 'vice_principal', 'teacher', 'caregiver', 'health', 'nutrition', 'other'];

export interface PeopleListFilter {
  /** Kindergarten path prefixes the caller may read, and those at district level (reaching people between posts). */
  scopePaths: string[];
  districtPaths: string[];
  name?: string;
  nationalIdHash?: string | null;
  phoneHash?: string | null;
  orgUnitId?: string;
  post?: Post;
  title?: Title;
  stage?: string;
  page: number;
  pageSize: number;
}

export interface PersonListItem {
  id: string;
  fullName: string;
  gender: Gender;
  birthDate: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  post: Post | null;
  title: Title | null;
  teacherStage: string | null;
  principalStage: string | null;
  nationalIdMasked: string;
  phoneMasked: string | null;
}

export interface EmploymentRow { id: string; orgUnitId: string; orgUnitName: string; post: Post; startDate: string; endDate: string | null; note: string | null }
export interface TitleRow { id: string; title: Title; effectiveDate: string; approvingBody: string; isCorrection: boolean; correctionReason: string | null; createdAt: Date }
export interface CertificateRow { id: string; kind: CertificateKind; number: string; issuer: string | null; issuedOn: string; expiresOn: string | null }
export interface HonourRow { id: string; honour: Honour; name: string | null; awardedOn: string; awardedBy: string | null; expiresOn: string | null }
export interface StageRow { id: string; kind: StageKind; stage: string; nameZh: string; nameEn: string; effectiveDate: string }

export interface PersonHistories {
  employments: EmploymentRow[];
  titles: TitleRow[];
  certificates: CertificateRow[];
  honours: HonourRow[];
  stages: StageRow[];
}

/** The staff list and a person's histories: plain parameterised SQL. */
@Injectable()
export class PeopleQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(filter: PeopleListFilter): Promise<{ items: PersonListItem[]; total: number }> {
    const params: unknown[] = [prefixPatterns(filter.scopePaths), prefixPatterns(filter.districtPaths)];
    const add = (value: unknown) => `$${params.push(value)}`;
    const where = ['(k.path LIKE ANY($1::text[]) OR (p.current_org_unit_id IS NULL AND d.path LIKE ANY($2::text[])))'];
    if (filter.name) {
      const pattern = `%${filter.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(`(p.full_name ILIKE ${add(pattern)} OR p.national_id_hash = ${add(filter.nationalIdHash ?? null)} OR p.phone_hash = ${add(filter.phoneHash ?? null)})`);
    }
    if (filter.orgUnitId) where.push(`k.path LIKE (SELECT path || '%' FROM org_unit WHERE id = ${add(filter.orgUnitId)}::uuid)`);
    if (filter.post) where.push(`p.current_post = ${add(filter.post)}`);
    if (filter.title) where.push(`ct.title = ${add(filter.title)}`);
    if (filter.stage) where.push(`(p.teacher_stage = ${add(filter.stage)} OR p.principal_stage = $${params.length})`);
    const from = `
      FROM person p
      JOIN org_unit d ON d.id = p.district_id
      LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
      LEFT JOIN LATERAL (
        SELECT t.title FROM title_record t WHERE t.person_id = p.id
        ORDER BY t.effective_date DESC, t.created_at DESC, t.id DESC LIMIT 1) ct ON true
      WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total ${from}`, params);
    const items: PersonListItem[] = await this.db.query(
      `SELECT p.id, p.full_name AS "fullName", p.gender, ${day('p.birth_date')} AS "birthDate",
              k.id AS "kindergartenId", k.name AS "kindergartenName", p.current_post AS post, ct.title,
              p.teacher_stage AS "teacherStage", p.principal_stage AS "principalStage",
              p.national_id_masked AS "nationalIdMasked", p.phone_masked AS "phoneMasked"
       ${from}
       ORDER BY k.code NULLS LAST, array_position(${add(ROSTER_ORDER)}::text[], p.current_post), p.full_name, p.id
       LIMIT ${add(filter.pageSize)} OFFSET ${add((filter.page - 1) * filter.pageSize)}`,
      params,
    );
    return { items, total };
  }

  async histories(personId: string): Promise<PersonHistories> {
    const [employments, titles, certificates, honours, stages] = await Promise.all([
      this.db.query(
        `SELECT e.id, e.org_unit_id AS "orgUnitId", o.name AS "orgUnitName", e.post,
                ${day('e.start_date')} AS "startDate", ${day('e.end_date')} AS "endDate", e.note
           FROM employment e JOIN org_unit o ON o.id = e.org_unit_id
          WHERE e.person_id = $1 ORDER BY e.start_date DESC, e.created_at DESC`, [personId]),
      this.db.query(
        `SELECT id, title, ${day('effective_date')} AS "effectiveDate", approving_body AS "approvingBody",
                is_correction AS "isCorrection", correction_reason AS "correctionReason", created_at AS "createdAt"
           FROM title_record WHERE person_id = $1 ORDER BY effective_date DESC, created_at DESC, id DESC`, [personId]),
      this.db.query(
        `SELECT id, kind, number, issuer, ${day('issued_on')} AS "issuedOn", ${day('expires_on')} AS "expiresOn"
           FROM person_certificate WHERE person_id = $1 ORDER BY issued_on DESC, created_at DESC`, [personId]),
      this.db.query(
        `SELECT id, honour, name, ${day('awarded_on')} AS "awardedOn", awarded_by AS "awardedBy", ${day('expires_on')} AS "expiresOn"
           FROM person_honour WHERE person_id = $1 ORDER BY awarded_on DESC, created_at DESC`, [personId]),
      this.db.query(
        `SELECT r.id, r.kind, r.stage, s.name_zh AS "nameZh", s.name_en AS "nameEn", ${day('r.effective_date')} AS "effectiveDate"
           FROM stage_record r JOIN stage_definition s ON s.kind = r.kind AND s.code = r.stage
          WHERE r.person_id = $1 ORDER BY r.kind DESC, r.effective_date DESC, r.created_at DESC`, [personId]),
    ]);
    return { employments, titles, certificates, honours, stages };
  }
}
