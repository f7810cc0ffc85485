import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Answers the org paths that role assignments reach; used to build every request's access context. */
@Injectable()
export class OrgScopeService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Paths of org units by id, and for groups the paths of their member kindergartens. */
  async scopePaths(orgUnitIds: string[], groupIds: string[]): Promise<{ units: Map<string, string>; groups: Map<string, string[]> }> {
    const units = new Map<string, string>();
    const groups = new Map<string, string[]>();
    if (orgUnitIds.length) {
      const rows: { id: string; path: string }[] = await this.db.query('SELECT id, path FROM org_unit WHERE id = ANY($1)', [orgUnitIds]);
      for (const row of rows) units.set(row.id, row.path);
    }
    if (groupIds.length) {
      const rows: { group_id: string; path: string }[] = await this.db.query(
        `SELECT m.group_id, o.path FROM kindergarten_group_member m JOIN org_unit o ON o.id = m.kindergarten_id WHERE m.group_id = ANY($1)`,
        [groupIds],
      );
      for (const row of rows) groups.set(row.group_id, [...(groups.get(row.group_id) ?? []), row.path]);
    }
    return { units, groups };
  }
}
