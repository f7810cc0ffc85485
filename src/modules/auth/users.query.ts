import type { DataSource } from 'typeorm';

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  personId: string | null;
  disabledAt: Date | null;
  roles: { id: string; role: string; orgUnitId: string | null; groupId: string | null; scopeName: string | null }[];
}

/**
 * Users an administrator may see: those holding a role inside the administrator's subtrees, or whose
 * person works there. Plain SQL because it reads across the org, people and auth tables.
 */
export class UsersQuery {
  constructor(private readonly db: DataSource) {}

  private scopeSql(param: string): string {
    return `(
      EXISTS (SELECT 1 FROM role_assignment ra JOIN org_unit o ON o.id = ra.org_unit_id WHERE ra.user_id = u.id AND o.path LIKE ANY(${param}))
      OR EXISTS (SELECT 1 FROM role_assignment ra JOIN kindergarten_group g ON g.id = ra.group_id JOIN org_unit d ON d.id = g.district_id
                  WHERE ra.user_id = u.id AND d.path LIKE ANY(${param}))
      OR EXISTS (SELECT 1 FROM person p JOIN org_unit d ON d.id = p.district_id LEFT JOIN org_unit k ON k.id = p.current_org_unit_id
                  WHERE p.id = u.person_id AND coalesce(k.path, d.path) LIKE ANY(${param})))`;
  }

  async list(scopePaths: string[], filter: { q?: string; userId?: string }, page: number, pageSize: number): Promise<{ items: UserRow[]; total: number }> {
    const prefixes = scopePaths.map((p) => `${p}%`);
    const search = filter.q ? `%${filter.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
    const where = `${this.scopeSql('$1')} AND ($2::text IS NULL OR u.username ILIKE $2 OR u.display_name ILIKE $2) AND ($5::uuid IS NULL OR u.id = $5)`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM app_user u WHERE ${where.replaceAll('$5', '$3')}`, [prefixes, search, filter.userId ?? null]);
    const rows = await this.db.query(
      `SELECT u.id, u.username, u.display_name AS "displayName", u.person_id AS "personId", u.disabled_at AS "disabledAt",
              coalesce((SELECT json_agg(json_build_object('id', ra.id, 'role', ra.role, 'orgUnitId', ra.org_unit_id, 'groupId', ra.group_id,
                         'scopeName', coalesce(o.name, g.name)) ORDER BY ra.created_at)
                          FROM role_assignment ra LEFT JOIN org_unit o ON o.id = ra.org_unit_id LEFT JOIN kindergarten_group g ON g.id = ra.group_id
                         WHERE ra.user_id = u.id), '[]') AS roles
         FROM app_user u WHERE ${where} ORDER BY u.username LIMIT $3 OFFSET $4`,
      [prefixes, search, pageSize, (page - 1) * pageSize, filter.userId ?? null],
    );
    return { items: rows, total };
  }

  async visible(scopePaths: string[], userId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM app_user u WHERE u.id = $2 AND ${this.scopeSql('$1')}`, [scopePaths.map((p) => `${p}%`), userId]);
    return rows.length > 0;
  }

  /** The path that decides whether a group is inside a scope: its district's. */
  async groupDistrictPath(groupId: string): Promise<string | null> {
    const rows: { path: string }[] = await this.db.query(
      'SELECT d.path FROM kindergarten_group g JOIN org_unit d ON d.id = g.district_id WHERE g.id = $1', [groupId]);
    return rows[0]?.path ?? null;
  }
}
