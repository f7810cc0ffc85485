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
 * Read-only look-ups of the org tree the people module needs (where a kindergarten sits, which
 * kindergartens a scope covers). Plain SQL over org_unit, owned by the org module.
 */
@Injectable()
export class PeopleOrgQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
