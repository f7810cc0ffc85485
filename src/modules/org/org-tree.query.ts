import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { KindergartenGrade, KindergartenStatus, OrgUnit, OrgUnitKind, Ownership } from './org-unit.entity.js';

/** Anything that runs SQL: the data source, or a transaction's entity manager. */
export type Sql = Pick<DataSource | EntityManager, 'query'>;

/** An org unit as the queries answer it (the entity's columns without its creation time). */
export type OrgUnitRow = Omit<OrgUnit, 'createdAt'>;

export interface OrgUnitFilters {
  parentId?: string;
  kind?: OrgUnitKind;
  ownership?: Ownership;
  grade?: KindergartenGrade;
  status?: KindergartenStatus;
  q?: string;
}

export interface OrgTreeRow {
  id: string;
  parentId: string | null;
  kind: OrgUnitKind;
  code: string;
  name: string;
  nameEn: string | null;
  grade: KindergartenGrade | null;
  ownership: Ownership | null;
  status: KindergartenStatus | null;
  kindergartens: number;
}

export const UNIT_COLUMNS = `o.id, o.kind, o.parent_id AS "parentId", o.path, o.depth, o.district_id AS "districtId", o.code, o.name,
  o.name_en AS "nameEn", o.ownership, o.inclusive, o.grade, o.status, o.founded_year AS "foundedYear", o.opening_year AS "openingYear",
  o.kindergarten_classes AS "kindergartenClasses", o.nursery_classes AS "nurseryClasses", o.children_enrolled AS "childrenEnrolled",
  o.address, o.version, o.updated_at AS "updatedAt"`;

/** LIKE patterns for the subtrees under the given path prefixes (paths hold only ids and '/'). */
export const subtreePatterns = (prefixes: string[]): string[] => prefixes.map((p) => `${p}%`);

const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The org tree's heavy reads, in plain parameterised SQL; every read is limited to scope prefixes. */
@Injectable()
export class OrgTreeQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(scope: string[], filters: OrgUnitFilters, page: number, pageSize: number): Promise<{ items: (OrgUnitRow & { parentName: string | null })[]; total: number }> {
    const params: unknown[] = [subtreePatterns(scope)];
    const where = ['o.path LIKE ANY($1::text[])'];
    const equals = (column: string, value: unknown) => {
      params.push(value);
      where.push(`${column} = $${params.length}`);
    };
    if (filters.parentId) equals('o.parent_id', filters.parentId);
    if (filters.kind) equals('o.kind', filters.kind);
    if (filters.ownership) equals('o.ownership', filters.ownership);
    if (filters.grade) equals('o.grade', filters.grade);
    if (filters.status) equals('o.status', filters.status);
    if (filters.q?.trim()) {
      params.push(`%${likeEscape(filters.q.trim())}%`);
      const p = `$${params.length}`;
      where.push(`(o.name ILIKE ${p} OR o.code ILIKE ${p} OR o.name_en ILIKE ${p})`);
    }
    const clause = where.join(' AND ');
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM org_unit o WHERE ${clause}`, params);
    const items = await this.db.query(
      `SELECT ${UNIT_COLUMNS}, p.name AS "parentName" FROM org_unit o LEFT JOIN org_unit p ON p.id = o.parent_id
       WHERE ${clause} ORDER BY o.depth, o.code LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items, total };
  }

  /** Every unit in scope, flat, with the number of kindergartens directly below each. */
  treeRows(scope: string[]): Promise<OrgTreeRow[]> {
    return this.db.query(
      `SELECT o.id, o.parent_id AS "parentId", o.kind, o.code, o.name, o.name_en AS "nameEn", o.grade, o.ownership, o.status,
              count(k.id) FILTER (WHERE k.kind = 'kindergarten')::int AS kindergartens
       FROM org_unit o LEFT JOIN org_unit k ON k.parent_id = o.id
       WHERE o.path LIKE ANY($1::text[]) GROUP BY o.id ORDER BY o.depth, o.code`,
      [subtreePatterns(scope)],
    );
  }

  async unit(id: string, sql: Sql = this.db, lock = ''): Promise<OrgUnitRow | null> {
    const rows: OrgUnitRow[] = await sql.query(`SELECT ${UNIT_COLUMNS} FROM org_unit o WHERE o.id = $1 ${lock}`, [id]);
    return rows[0] ?? null;
  }

  /** Locks the rows in id order, so two writers locking the same pair cannot deadlock. */
  lockUnits(sql: Sql, ids: string[]): Promise<OrgUnitRow[]> {
    return sql.query(`SELECT ${UNIT_COLUMNS} FROM org_unit o WHERE o.id = ANY($1::uuid[]) ORDER BY o.id FOR UPDATE`, [ids]);
  }

  briefUnits(ids: string[]): Promise<Array<Pick<OrgUnitRow, 'id' | 'kind' | 'code' | 'name' | 'nameEn' | 'path' | 'depth'>>> {
    return this.db.query(
      `SELECT o.id, o.kind, o.code, o.name, o.name_en AS "nameEn", o.path, o.depth FROM org_unit o WHERE o.id = ANY($1::uuid[]) ORDER BY o.depth`,
      [ids],
    );
  }

  children(parentId: string, limit = 500): Promise<(OrgUnitRow & { total: number })[]> {
    return this.db.query(
      `SELECT ${UNIT_COLUMNS}, count(*) OVER ()::int AS total FROM org_unit o WHERE o.parent_id = $1
       ORDER BY CASE o.kind WHEN 'kindergarten' THEN 1 ELSE 0 END, o.code LIMIT $2`,
      [parentId, limit],
    );
  }

  async groupOf(kindergartenId: string): Promise<{ id: string; code: string; name: string; isLead: boolean } | null> {
    const rows = await this.db.query(
      `SELECT g.id, g.code, g.name, m.is_lead AS "isLead" FROM kindergarten_group_member m
       JOIN kindergarten_group g ON g.id = m.group_id WHERE m.kindergarten_id = $1`,
      [kindergartenId],
    );
    return rows[0] ?? null;
  }

  /** Units of the given kinds inside the scope, to offer as parents. */
  unitsOfKinds(scope: string[], kinds: OrgUnitKind[]): Promise<Array<Pick<OrgUnitRow, 'id' | 'kind' | 'code' | 'name' | 'nameEn' | 'path' | 'depth'>>> {
    if (!scope.length || !kinds.length) return Promise.resolve([]);
    return this.db.query(
      `SELECT o.id, o.kind, o.code, o.name, o.name_en AS "nameEn", o.path, o.depth FROM org_unit o
       WHERE o.path LIKE ANY($1::text[]) AND o.kind = ANY($2::text[]) ORDER BY o.depth, o.code`,
      [subtreePatterns(scope), kinds],
    );
  }

  async codeTaken(sql: Sql, code: string, exceptId: string | null = null): Promise<boolean> {
    const rows = await sql.query('SELECT 1 FROM org_unit WHERE code = $1 AND id IS DISTINCT FROM $2::uuid', [code, exceptId]);
    return rows.length > 0;
  }

  /** Group memberships of kindergartens in the subtree at `path`. */
  async groupMembersUnder(sql: Sql, path: string): Promise<number> {
    const [{ n }] = await sql.query(
      `SELECT count(*)::int AS n FROM kindergarten_group_member m JOIN org_unit k ON k.id = m.kindergarten_id WHERE k.path LIKE $1`,
      [`${path}%`],
    );
    return n;
  }
}
