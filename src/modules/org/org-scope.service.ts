import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface OrgUnitRef {
  id: string;
  kind: string;
  path: string;
  districtId: string | null;
  name: string;
  status: string | null;
}

export interface KindergartenOption {
  id: string;
  name: string;
}

/** `LIKE` patterns for path prefixes (paths are ids and slashes, so nothing needs escaping). */
export function prefixPatterns(paths: string[]): string[] {
  return paths.map((p) => `${p}%`);
}

/**
 * Where org units sit in the tree, for other modules: the paths role assignments reach (every
 * request's access context) and the units a record refers to (scope checks before a write).
 */
@Injectable()
export class OrgScopeService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Paths of org units by id, and for groups the paths of their member kindergartens. */
  async scopePaths(orgUnitIds: string[], groupIds: string[]): Promise<{ units: Map<string, string>; groups: Map<string, string[]> }> {
    const units = new Map([...(await this.units(orgUnitIds))].map(([id, unit]) => [id, unit.path]));
    const groups = new Map<string, string[]>();
    if (groupIds.length) {
      const rows: { group_id: string; path: string }[] = await this.db.query(
        `SELECT m.group_id, o.path FROM kindergarten_group_member m JOIN org_unit o ON o.id = m.kindergarten_id WHERE m.group_id = ANY($1)`,
        [groupIds],
      );
      for (const row of rows) groups.set(row.group_id, [...(groups.get(row.group_id) ?? []), row.path]);
    }
    return { units, groups };
  }

  /** Units by id; `manager` reads inside the caller's transaction. */
  async units(ids: Array<string | null>, manager?: EntityManager): Promise<Map<string, OrgUnitRef>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    const found = new Map<string, OrgUnitRef>();
    if (!wanted.length) return found;
    const rows: OrgUnitRef[] = await (manager ?? this.db).query(
      `SELECT id, kind, path, district_id AS "districtId", name, status FROM org_unit WHERE id = ANY($1::uuid[])`,
      [wanted],
    );
    for (const row of rows) found.set(row.id, row);
    return found;
  }

  async unit(id: string, manager?: EntityManager): Promise<OrgUnitRef | null> {
    return (await this.units([id], manager)).get(id) ?? null;
  }

  /** Kindergartens (not closed) inside the given path prefixes, by code. */
  async kindergartensUnder(paths: string[]): Promise<KindergartenOption[]> {
    if (!paths.length) return [];
    return this.db.query(
      `SELECT id, name FROM org_unit
        WHERE kind = 'kindergarten' AND status IS DISTINCT FROM 'closed' AND path LIKE ANY($1::text[])
        ORDER BY code`,
      [prefixPatterns(paths)],
    );
  }
}
