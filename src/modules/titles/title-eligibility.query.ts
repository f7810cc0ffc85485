import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { EducationLevel } from '../people/person.entity.js';
import type { CertificateKind, Title } from '../people/person-records.entity.js';
import type { RuleCandidate } from './title-rules.js';

export interface PersonTitleFacts {
  id: string;
  fullName: string;
  districtId: string;
  kindergartenId: string | null;
  educationLevel: EducationLevel;
  hireDate: string | null;
  /** Org path of the kindergarten (or the district when not employed). */
  path: string;
  currentTitle: Title | null;
  currentTitleSince: string | null;
}

/** Everything eligibility needs, a few queries for any number of people. */
@Injectable()
export class TitleEligibilityQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private run(manager: EntityManager | undefined) {
    return manager ?? this.db.manager;
  }

  async people(ids: string[], manager?: EntityManager): Promise<PersonTitleFacts[]> {
    const rows: Array<Record<string, string | null>> = await this.run(manager).query(
      `SELECT p.id, p.full_name, p.district_id, p.current_org_unit_id, p.education_level, p.hire_date::text AS hire_date,
              coalesce(k.path, d.path) AS path, t.title, t.effective_date::text AS since
         FROM person p
         JOIN org_unit d ON d.id = p.district_id
         LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
         LEFT JOIN LATERAL (SELECT title, effective_date FROM title_record r WHERE r.person_id = p.id
                             ORDER BY r.effective_date DESC, r.created_at DESC, r.id DESC LIMIT 1) t ON true
        WHERE p.id = ANY($1::uuid[])`, [ids]);
    return rows.map((r) => ({
      id: r.id!, fullName: r.full_name!, districtId: r.district_id!, kindergartenId: r.current_org_unit_id,
      educationLevel: r.education_level as EducationLevel, hireDate: r.hire_date, path: r.path!,
      currentTitle: r.title as Title | null, currentTitleSince: r.since,
    }));
  }

  /** Codes of the org units on the given paths, by id. */
  async unitCodes(paths: string[], manager?: EntityManager): Promise<Map<string, string>> {
    const ids = [...new Set(paths.flatMap((p) => p.split('/').filter(Boolean)))];
    const rows: Array<{ id: string; code: string }> = await this.run(manager).query('SELECT id, code FROM org_unit WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.code]));
  }

  async rules(manager?: EntityManager): Promise<RuleCandidate[]> {
    const rows: Array<Record<string, unknown>> = await this.run(manager).query(
      'SELECT id, region_code, title, effective_from::text AS effective_from, conditions FROM title_rule');
    return rows.map((r) => ({
      id: r.id as string, regionCode: r.region_code as string | null, title: r.title as Title,
      effectiveFrom: r.effective_from as string, conditions: r.conditions as RuleCandidate['conditions'],
    }));
  }

  async certificates(ids: string[], manager?: EntityManager) {
    const rows: Array<{ person_id: string; kind: CertificateKind; issued_on: string; expires_on: string | null }> = await this.run(manager).query(
      `SELECT person_id, kind, issued_on::text AS issued_on, expires_on::text AS expires_on FROM person_certificate WHERE person_id = ANY($1::uuid[])`, [ids]);
    return rows.map((r) => ({ personId: r.person_id, kind: r.kind, issuedOn: r.issued_on, expiresOn: r.expires_on }));
  }

  /** The last day each person's unrevoked sanctions block promotion, where that is on or after asOf. */
  async ethicsBlocks(ids: string[], asOf: string, manager?: EntityManager): Promise<Map<string, string>> {
    const rows: Array<{ person_id: string; until: string }> = await this.run(manager).query(
      `SELECT person_id, max(blocks_until)::text AS until FROM ethics_sanction
        WHERE person_id = ANY($1::uuid[]) AND revoked_at IS NULL AND blocks_until >= $2::date GROUP BY person_id`, [ids, asOf]);
    return new Map(rows.map((r) => [r.person_id, r.until]));
  }

  /** Employment periods in kindergartens of the given grades. */
  async serviceInGrades(ids: string[], grades: string[], manager?: EntityManager) {
    const rows: Array<{ person_id: string; start_date: string; end_date: string | null; grade: string }> = await this.run(manager).query(
      `SELECT e.person_id, e.start_date::text AS start_date, e.end_date::text AS end_date, k.grade FROM employment e
         JOIN org_unit k ON k.id = e.org_unit_id WHERE e.person_id = ANY($1::uuid[]) AND k.grade = ANY($2::text[])`, [ids, grades]);
    return rows.map((r) => ({ personId: r.person_id, from: r.start_date, to: r.end_date, grade: r.grade }));
  }
}
