import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { KindergartenGrade, KindergartenStatus, Ownership } from './org-unit.entity.js';
import { subtreePatterns, type Sql } from './org-tree.query.js';

export interface GroupRow {
  id: string;
  code: string;
  name: string;
  districtId: string;
  districtName: string;
  districtPath: string;
}

export interface GroupListRow extends Omit<GroupRow, 'districtPath'> {
  memberCount: number;
  leads: Array<{ id: string; name: string }>;
}

export interface GroupMemberRow {
  kindergartenId: string;
  code: string;
  name: string;
  grade: KindergartenGrade | null;
  ownership: Ownership | null;
  status: KindergartenStatus | null;
  path: string;
  isLead: boolean;
  joinedOn: string | null;
}

export interface KindergartenRef {
  id: string;
  kind: string;
  code: string;
  name: string;
  path: string;
  districtId: string | null;
  status: KindergartenStatus | null;
  groupId: string | null;
  groupName: string | null;
}

const GROUP_COLUMNS = `g.id, g.code, g.name, g.district_id AS "districtId", d.name AS "districtName", d.path AS "districtPath"`;

/** Reads of kindergarten groups, limited to groups whose district or any member lies in scope. */
@Injectable()
export class GroupQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(scope: string[], q: string | undefined, page: number, pageSize: number): Promise<{ items: GroupListRow[]; total: number }> {
    const params: unknown[] = [subtreePatterns(scope)];
    let where = `(d.path LIKE ANY($1::text[]) OR EXISTS (
        SELECT 1 FROM kindergarten_group_member sm JOIN org_unit sk ON sk.id = sm.kindergarten_id
        WHERE sm.group_id = g.id AND sk.path LIKE ANY($1::text[])))`;
    if (q?.trim()) {
      params.push(`%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where += ` AND (g.name ILIKE $2 OR g.code ILIKE $2)`;
    }
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM kindergarten_group g JOIN org_unit d ON d.id = g.district_id WHERE ${where}`, params);
    const items = await this.db.query(
      `SELECT g.id, g.code, g.name, g.district_id AS "districtId", d.name AS "districtName",
              count(m.kindergarten_id)::int AS "memberCount",
              coalesce(json_agg(json_build_object('id', k.id, 'name', k.name) ORDER BY k.code) FILTER (WHERE m.is_lead), '[]') AS leads
       FROM kindergarten_group g JOIN org_unit d ON d.id = g.district_id
       LEFT JOIN kindergarten_group_member m ON m.group_id = g.id LEFT JOIN org_unit k ON k.id = m.kindergarten_id
       WHERE ${where} GROUP BY g.id, d.name ORDER BY g.code LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items, total };
  }

  async group(id: string, sql: Sql = this.db, lock = ''): Promise<GroupRow | null> {
    const rows: GroupRow[] = await sql.query(
      `SELECT ${GROUP_COLUMNS} FROM kindergarten_group g JOIN org_unit d ON d.id = g.district_id WHERE g.id = $1 ${lock ? 'FOR UPDATE OF g' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  members(groupId: string, sql: Sql = this.db): Promise<GroupMemberRow[]> {
    return sql.query(
      `SELECT k.id AS "kindergartenId", k.code, k.name, k.grade, k.ownership, k.status, k.path, m.is_lead AS "isLead", m.joined_on::text AS "joinedOn"
       FROM kindergarten_group_member m JOIN org_unit k ON k.id = m.kindergarten_id WHERE m.group_id = $1 ORDER BY m.is_lead DESC, k.code`,
      [groupId],
    );
  }

  /** The named units with the group each belongs to now. */
  kindergartens(sql: Sql, ids: string[]): Promise<KindergartenRef[]> {
    return sql.query(
      `SELECT o.id, o.kind, o.code, o.name, o.path, o.district_id AS "districtId", o.status, g.id AS "groupId", g.name AS "groupName"
       FROM org_unit o LEFT JOIN kindergarten_group_member m ON m.kindergarten_id = o.id LEFT JOIN kindergarten_group g ON g.id = m.group_id
       WHERE o.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Kindergartens of a district that could join the group: its members and those in no group. */
  candidates(districtId: string, groupId: string): Promise<Array<Omit<GroupMemberRow, 'isLead' | 'joinedOn'>>> {
    return this.db.query(
      `SELECT k.id AS "kindergartenId", k.code, k.name, k.grade, k.ownership, k.status, k.path
       FROM org_unit k LEFT JOIN kindergarten_group_member m ON m.kindergarten_id = k.id
       WHERE k.district_id = $1 AND k.kind = 'kindergarten' AND k.status <> 'closed' AND (m.group_id IS NULL OR m.group_id = $2)
       ORDER BY k.code`,
      [districtId, groupId],
    );
  }
}
