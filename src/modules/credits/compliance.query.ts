import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CourseLevel, CreditCategory } from '../catalog/catalog.entities.js';
import type { CycleKind, SchemeRule, SchemeUnit } from './credit.entities.js';
import { ENTRY_STANDS } from './credit-entry.sql.js';
import { ancestorIdsSql, bundleFields, bundleFrom, parseBundle, SCHEME_COLUMNS, SCHEME_ORDER, type BundleRow, type ComplianceBundle } from './compliance-bundle.sql.js';
import { PreparedReads } from '../../database/prepared-reads.js';

/** What compliance needs to know about a person: where they are and their post and stage history. */
export interface PersonFacts {
  id: string;
  hireDate: string | null;
  currentPost: string | null;
  teacherStage: string | null;
  principalStage: string | null;
  /** Codes of the person's current org unit and every unit above it (e.g. SH, SH-QP, SH-QP-K001). */
  regionCodes: string[];
  employments: Array<{ post: string; startDate: string; endDate: string | null }>;
  stages: Array<{ kind: 'teacher' | 'principal'; stage: string; effectiveDate: string }>;
}

export interface LedgerLine {
  id: string;
  personId: string;
  title: string;
  occurredOn: string;
  category: CreditCategory;
  level: CourseLevel;
  hours: number;
  credits: number;
}

export interface SchemeRow {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  regionCode: string | null;
  posts: string[];
  teacherStages: string[];
  principalStages: string[];
  unit: SchemeUnit;
  cycleKind: CycleKind;
  total: number;
  rules: SchemeRule[];
  effectiveFrom: string;
  effectiveTo: string | null;
  editable: boolean;
  version: number;
  updatedAt: Date;
}

export interface CycleRow {
  code: string;
  regionCode: string | null;
  nameZh: string;
  nameEn: string;
  startsOn: string;
  endsOn: string;
}

const BUNDLE_SQL = `SELECT json_build_object(${bundleFields('$2')}) AS bundle FROM ${bundleFrom('$1')}`;

/** Plain SQL reads for compliance: one query per kind of fact, for one person or a whole district at once. */
@Injectable()
export class ComplianceQuery {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly reads: PreparedReads) {}

  /** One person's facts, the schemes and the cycles in one statement (see compliance-bundle.sql.ts). */
  async bundle(personId: string, until: string): Promise<ComplianceBundle> {
    const [row] = await this.reads.query<{ bundle: BundleRow }>('compliance-bundle', BUNDLE_SQL, [personId, until]);
    return parseBundle(row.bundle);
  }

  async people(personIds: string[]): Promise<PersonFacts[]> {
    if (personIds.length === 0) return [];
    const [people, employments, stages] = await Promise.all([
      this.db.query(
        `SELECT p.id, to_char(p.hire_date, 'YYYY-MM-DD') AS "hireDate", p.current_post AS "currentPost", p.teacher_stage AS "teacherStage",
                p.principal_stage AS "principalStage",
                (SELECT array_agg(a.code ORDER BY a.depth) FROM org_unit a WHERE a.id = ANY (${ancestorIdsSql('o.path')})) AS "regionCodes"
           FROM person p JOIN org_unit o ON o.id = coalesce(p.current_org_unit_id, p.district_id)
          WHERE p.id = ANY($1::uuid[])`, [personIds]) as Promise<Array<Omit<PersonFacts, 'employments' | 'stages'>>>,
      this.db.query(
        `SELECT person_id AS "personId", post, to_char(start_date, 'YYYY-MM-DD') AS "startDate", to_char(end_date, 'YYYY-MM-DD') AS "endDate"
           FROM employment WHERE person_id = ANY($1::uuid[]) ORDER BY person_id, start_date, created_at`, [personIds]) as Promise<Array<PersonFacts['employments'][number] & { personId: string }>>,
      this.db.query(
        `SELECT person_id AS "personId", kind, stage, to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate"
           FROM stage_record WHERE person_id = ANY($1::uuid[]) ORDER BY person_id, effective_date, created_at`, [personIds]) as Promise<Array<PersonFacts['stages'][number] & { personId: string }>>,
    ]);
    const byPerson = new Map(people.map((p) => [p.id, { ...p, regionCodes: p.regionCodes ?? [], employments: [], stages: [] } as PersonFacts]));
    for (const { personId, ...e } of employments) byPerson.get(personId)?.employments.push(e);
    for (const { personId, ...s } of stages) byPerson.get(personId)?.stages.push(s);
    return [...byPerson.values()];
  }

  /**
   * The ledger of these people up to a date, net of corrections: a reversal and the entry it reverses
   * cancel out, so neither is returned. Oldest first (the order capped cells count them in).
   */
  async entries(personIds: string[], until: string): Promise<LedgerLine[]> {
    if (personIds.length === 0) return [];
    return this.db.query(
      `SELECT e.id, e.person_id AS "personId", e.title, to_char(e.occurred_on, 'YYYY-MM-DD') AS "occurredOn", e.category, e.level,
              e.hours::float AS hours, e.credits::float AS credits
         FROM credit_entry e
        WHERE e.person_id = ANY($1::uuid[]) AND e.occurred_on <= $2::date AND ${ENTRY_STANDS}
        ORDER BY e.person_id, e.occurred_on, e.recorded_at, e.id`, [personIds, until]);
  }

  async schemes(): Promise<SchemeRow[]> {
    return this.db.query(`SELECT ${SCHEME_COLUMNS} FROM requirement_scheme ORDER BY ${SCHEME_ORDER}`);
  }

  async scheme(code: string, manager?: EntityManager): Promise<SchemeRow | null> {
    const rows: SchemeRow[] = await (manager ?? this.db).query(`SELECT ${SCHEME_COLUMNS} FROM requirement_scheme WHERE code = $1`, [code]);
    return rows[0] ?? null;
  }

  async cycles(): Promise<CycleRow[]> {
    return this.db.query(
      `SELECT code, region_code AS "regionCode", name_zh AS "nameZh", name_en AS "nameEn",
              to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn"
         FROM credit_cycle ORDER BY starts_on`);
  }

  /** Stage names by `kind:code`, to show a scheme's audience in words. */
  async stageNames(): Promise<Array<{ kind: string; code: string; nameZh: string; nameEn: string }>> {
    return this.db.query(`SELECT kind, code, name_zh AS "nameZh", name_en AS "nameEn" FROM stage_definition ORDER BY kind, sort_order`);
  }
}
