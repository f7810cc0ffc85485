import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { Conflict, type FieldProblem } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { KINDERGARTEN_FIELDS, kindergartenFieldProblems, type KindergartenField } from './org-rules.js';
import { OrgUnit, type OrgUnitKind } from './org-unit.entity.js';

/** A town or zone of the district: where an imported kindergarten may sit. */
export interface DistrictPlace {
  id: string;
  kind: OrgUnitKind;
  code: string;
  name: string;
}

/** An org unit found by code, with its group membership when it is a kindergarten. */
export interface UnitByCode extends Record<KindergartenField, unknown> {
  id: string;
  kind: OrgUnitKind;
  code: string;
  name: string;
  districtId: string | null;
  parentId: string | null;
  groupId: string | null;
  groupCode: string | null;
  isLead: boolean | null;
}

export interface GroupByCode {
  id: string;
  code: string;
  name: string;
  districtId: string;
  /** Current members: kindergarten code → lead. */
  members: Array<{ code: string; isLead: boolean }>;
}

/** One kindergarten to create or bring to the given values; absent fields keep their current value. */
export interface KindergartenWrite {
  code: string;
  name: string;
  parentId?: string;
  fields: Partial<Record<KindergartenField, unknown>>;
  group?: { code: string; name?: string; isLead?: boolean };
}

type Actor = { districtId: string; userId: string };
type LockedGroup = { id: string; code: string; name: string; districtId: string };
interface LockedTarget {
  unit: OrgUnit | null;
  parent: { id: string; path: string; depth: number } | null;
  group: LockedGroup | null;
  membership: { groupId: string; isLead: boolean } | null;
}

const UNIT_COLUMNS = `o.id, o.kind, o.code, o.name, o.district_id AS "districtId", o.parent_id AS "parentId", o.ownership, o.inclusive, o.grade,
  o.status, o.founded_year AS "foundedYear", o.opening_year AS "openingYear", o.kindergarten_classes AS "kindergartenClasses",
  o.nursery_classes AS "nurseryClasses", o.children_enrolled AS "childrenEnrolled", o.address`;

/** Codes as written and in upper case, so a file's `sh-qp-k001` finds SH-QP-K001 through the unique index. */
const codeCandidates = (codes: string[]) => [...new Set(codes.flatMap((c) => [c, c.toUpperCase()]))];

/**
 * Many kindergartens and group memberships at once, for the org-unit import: the reads its dry run
 * needs and the writes its apply step makes in the import's transaction, with the org service's rules
 * (kindergarten fields, one group per kindergarten, codes unique) and an audit entry per change.
 */
@Injectable()
export class OrgBulkWriter {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly audit: AuditService) {}

  /** The district's towns and zones; null when the id is not a district. */
  async districtPlaces(districtId: string): Promise<DistrictPlace[] | null> {
    const district = await this.db.query(`SELECT 1 FROM org_unit WHERE id = $1 AND kind = 'district'`, [districtId]);
    if (!district.length) return null;
    return this.db.query(`SELECT id, kind, code, name FROM org_unit WHERE district_id = $1 AND kind IN ('town', 'zone') ORDER BY code`, [districtId]);
  }

  async unitsByCodes(codes: string[]): Promise<UnitByCode[]> {
    if (!codes.length) return [];
    return this.db.query(
      `SELECT ${UNIT_COLUMNS}, gm.group_id AS "groupId", g.code AS "groupCode", gm.is_lead AS "isLead"
         FROM org_unit o LEFT JOIN kindergarten_group_member gm ON gm.kindergarten_id = o.id LEFT JOIN kindergarten_group g ON g.id = gm.group_id
        WHERE o.code = ANY($1::text[])`, [codeCandidates(codes)]);
  }

  async groupsByCodes(codes: string[]): Promise<GroupByCode[]> {
    if (!codes.length) return [];
    return this.db.query(
      `SELECT g.id, g.code, g.name, g.district_id AS "districtId",
              coalesce(json_agg(json_build_object('code', o.code, 'isLead', gm.is_lead) ORDER BY o.code) FILTER (WHERE o.id IS NOT NULL), '[]') AS members
         FROM kindergarten_group g LEFT JOIN kindergarten_group_member gm ON gm.group_id = g.id LEFT JOIN org_unit o ON o.id = gm.kindergarten_id
        WHERE g.code = ANY($1::text[]) GROUP BY g.id`, [codeCandidates(codes)]);
  }

  /**
   * Creates or updates each kindergarten of the district and its group membership; a second run with
   * the same rows changes nothing. A row the data no longer allows (its code or group taken meanwhile)
   * is left unwritten and answered with its problems, by its index in `rows`.
   */
  async writeKindergartens(manager: EntityManager, actor: Actor, rows: KindergartenWrite[]): Promise<Array<{ index: number; problems: FieldProblem[] }>> {
    const refused: Array<{ index: number; problems: FieldProblem[] }> = [];
    const touchedGroups = new Set<string>();
    for (const [index, row] of rows.entries()) {
      const target = await this.lockTarget(manager, actor, row);
      if ('problems' in target) {
        refused.push({ index, problems: target.problems });
        continue;
      }
      const unitId = target.unit ? await this.updateKindergarten(manager, actor, target.unit, target.parent, row) : await this.createKindergarten(manager, actor, target.parent!, row);
      if (row.group) touchedGroups.add(await this.writeMembership(manager, actor, unitId, target.membership, row.group, target.group));
    }
    // The dry run kept each group to one or two leads; a concurrent edit since then must not slip a third in.
    const crowded: Array<{ code: string }> = await manager.query(
      `SELECT g.code FROM kindergarten_group g JOIN kindergarten_group_member gm ON gm.group_id = g.id
        WHERE g.id = ANY($1::uuid[]) AND gm.is_lead GROUP BY g.code HAVING count(*) > 2`, [[...touchedGroups]]);
    if (crowded.length) throw new Conflict('GROUP_LEAD_COUNT', `Group ${crowded[0].code} would have more than two lead kindergartens`);
    return refused;
  }

  /** Locks what the row writes and checks it is still the district's to write. */
  private async lockTarget(m: EntityManager, actor: Actor, row: KindergartenWrite): Promise<LockedTarget | { problems: FieldProblem[] }> {
    const refuse = (field: string, code: string, message: string) => ({ problems: [{ field, code, message }] });
    const [found] = await m.query('SELECT id FROM org_unit WHERE code = ANY($1::text[]) ORDER BY code = $2 DESC LIMIT 1 FOR UPDATE', [codeCandidates([row.code]), row.code]);
    const unit = found ? (await m.getRepository(OrgUnit).findOneBy({ id: found.id }))! : null;
    if (unit && (unit.kind !== 'kindergarten' || unit.districtId !== actor.districtId)) {
      return refuse('code', 'ORG_CODE_TAKEN', `The code ${row.code} belongs to an org unit outside the district's kindergartens`);
    }
    const [parent] = row.parentId
      ? await m.query(`SELECT id, path, depth FROM org_unit WHERE id = $1 AND district_id = $2 AND kind IN ('town', 'zone') FOR SHARE`, [row.parentId, actor.districtId])
      : [];
    if (row.parentId && !parent) return refuse('town', 'ORG_TOWN_UNKNOWN', 'The town or zone is no longer in the district');
    if (!unit && !parent) return refuse('town', 'REQUIRED_FOR_NEW', 'A new kindergarten needs its town or zone');
    const problems = kindergartenFieldProblems('kindergarten', { ...(unit ?? {}), ...row.fields });
    if (problems.length) return { problems };
    const group = row.group ? await this.lockGroup(m, row.group) : null;
    if (group && group.districtId !== actor.districtId) return refuse('groupCode', 'GROUP_CODE_OTHER_DISTRICT', `The group code ${row.group!.code} belongs to another district`);
    if (row.group && !group && !row.group.name) return refuse('groupName', 'GROUP_NAME_REQUIRED', 'A new group needs its name');
    const [membership]: Array<{ groupId: string; isLead: boolean }> = unit
      ? await m.query('SELECT group_id AS "groupId", is_lead AS "isLead" FROM kindergarten_group_member WHERE kindergarten_id = $1 FOR UPDATE', [unit.id])
      : [];
    if (row.group && membership && membership.groupId !== group?.id) {
      return refuse('groupCode', 'KINDERGARTEN_IN_OTHER_GROUP', 'The kindergarten already belongs to another group');
    }
    return { unit, parent: parent ?? null, group, membership: membership ?? null };
  }

  private async createKindergarten(m: EntityManager, actor: Actor, parent: { id: string; path: string; depth: number }, row: KindergartenWrite): Promise<string> {
    const id = randomUUID();
    const values: Partial<OrgUnit> = {
      id, kind: 'kindergarten', parentId: parent.id, path: `${parent.path}${id}/`, depth: parent.depth + 1,
      districtId: actor.districtId, code: row.code, name: row.name, nameEn: null,
      ...Object.fromEntries(KINDERGARTEN_FIELDS.map((field) => [field, row.fields[field] ?? null])),
    };
    await m.getRepository(OrgUnit).insert(values);
    await this.audit.record(actor.userId, 'create', 'org_unit', id, actor.districtId, null, values, m);
    return id;
  }

  private async updateKindergarten(m: EntityManager, actor: Actor, unit: OrgUnit, parent: { id: string; path: string; depth: number } | null, row: KindergartenWrite): Promise<string> {
    const before = { ...unit };
    const changes: Partial<OrgUnit> = Object.fromEntries(
      [['name', row.name], ...Object.entries(row.fields)].filter(([key, value]) => value !== undefined && unit[key as keyof OrgUnit] !== value));
    // A kindergarten has no units below it, so moving it to another town rewrites only its own path.
    if (parent && unit.parentId !== parent.id) Object.assign(changes, { parentId: parent.id, path: `${parent.path}${unit.id}/`, depth: parent.depth + 1 });
    if (!Object.keys(changes).length) return unit.id;
    const after = await m.getRepository(OrgUnit).save(Object.assign(unit, changes));
    await this.audit.record(actor.userId, 'update', 'org_unit', unit.id, actor.districtId, before, { ...after }, m);
    return unit.id;
  }

  /** Puts the kindergarten in the group (created with the row's name when new); answers the group's id. */
  private async writeMembership(
    m: EntityManager, actor: Actor, kindergartenId: string, membership: { groupId: string; isLead: boolean } | null,
    wanted: NonNullable<KindergartenWrite['group']>, locked: LockedGroup | null,
  ): Promise<string> {
    const group = locked ? await this.renameGroup(m, actor, locked, wanted.name) : await this.createGroup(m, actor, wanted);
    const isLead = wanted.isLead ?? membership?.isLead ?? false;
    if (membership && membership.isLead === isLead) return group.id;
    await m.query(
      `INSERT INTO kindergarten_group_member (group_id, kindergarten_id, is_lead, joined_on) VALUES ($1, $2, $3, current_date)
       ON CONFLICT (group_id, kindergarten_id) DO UPDATE SET is_lead = EXCLUDED.is_lead`, [group.id, kindergartenId, isLead]);
    await m.query('UPDATE kindergarten_group SET updated_at = now() WHERE id = $1', [group.id]);
    await this.audit.record(actor.userId, membership ? 'update_member' : 'add_member', 'kindergarten_group', group.id, actor.districtId,
      membership ? { kindergartenId, isLead: membership.isLead } : null, { kindergartenId, isLead }, m);
    return group.id;
  }

  private async lockGroup(m: EntityManager, wanted: { code: string }): Promise<LockedGroup | null> {
    const [group] = await m.query(
      `SELECT id, code, name, district_id AS "districtId" FROM kindergarten_group WHERE code = ANY($1::text[]) ORDER BY code = $2 DESC LIMIT 1 FOR UPDATE`,
      [codeCandidates([wanted.code]), wanted.code]);
    return group ?? null;
  }

  private async createGroup(m: EntityManager, actor: Actor, wanted: NonNullable<KindergartenWrite['group']>): Promise<LockedGroup> {
    const id = randomUUID();
    // A concurrent import creating the same group wins the unique code; this one then joins it.
    const inserted = await m.query(
      'INSERT INTO kindergarten_group (id, district_id, code, name) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING RETURNING id',
      [id, actor.districtId, wanted.code, wanted.name]);
    if (!inserted.length) {
      const other = (await this.lockGroup(m, wanted))!;
      if (other.districtId !== actor.districtId) throw new Conflict('GROUP_CODE_TAKEN', `The group code ${wanted.code} belongs to another district`);
      return other;
    }
    await this.audit.record(actor.userId, 'create', 'kindergarten_group', id, actor.districtId, null, { code: wanted.code, name: wanted.name, districtId: actor.districtId }, m);
    return { id, code: wanted.code, name: wanted.name!, districtId: actor.districtId };
  }

  private async renameGroup(m: EntityManager, actor: Actor, group: LockedGroup, name: string | undefined): Promise<LockedGroup> {
    if (!name || name === group.name) return group;
    await m.query('UPDATE kindergarten_group SET name = $2, updated_at = now() WHERE id = $1', [group.id, name]);
    await this.audit.record(actor.userId, 'update', 'kindergarten_group', group.id, actor.districtId, { name: group.name }, { name }, m);
    return { ...group, name };
  }
}
