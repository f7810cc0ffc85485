import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Forbidden, NotFound, ValidationFailed } from '../../common/errors.js';
import type { PageResult } from '../../common/pagination.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { ORG_UNIT_KINDS, OrgUnit, type OrgUnitKind } from './org-unit.entity.js';
import { OrgTreeQuery, type OrgTreeRow, type OrgUnitFilters, type OrgUnitRow } from './org-tree.query.js';
import { ancestorIds, buildTree, flattenTree, isWithin, KINDERGARTEN_FIELDS, kindAllowedUnder, kindergartenFieldProblems, type TreeNode } from './org-rules.js';
import { kindNotAllowed, moveIntoSelf, orgCodeTaken, parentNotFound, staleVersion, violatedUniqueConstraint } from './org-errors.js';
import type { CreateOrgUnitDto, UpdateOrgUnitDto } from './org.dto.js';

export type OrgUnitListItem = OrgUnitRow & { parentName: string | null };
export interface OrgUnitDetail extends OrgUnitRow {
  ancestors: Array<{ id: string; kind: OrgUnitKind; code: string; name: string; nameEn: string | null; inScope: boolean }>;
  childCount: number;
  children: OrgUnitRow[];
  group: { id: string; code: string; name: string; isLead: boolean } | null;
  canWrite: boolean;
}
export type OrgTreeNode = TreeNode<OrgTreeRow>;

/** The org tree inside the caller's scope: reads, and the district's edits with their audit entries. */
@Injectable()
export class OrgService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queries: OrgTreeQuery,
    private readonly audit: AuditService,
  ) {}

  async list(access: AccessContext, filters: OrgUnitFilters, page: number, pageSize: number): Promise<PageResult<OrgUnitListItem>> {
    const scope = access.scopePaths('org.read');
    if (!scope.length) return { items: [], total: 0, page, pageSize };
    const { items, total } = await this.queries.list(scope, filters, page, pageSize);
    return { items: items.map(({ path: _path, ...item }) => item as OrgUnitListItem), total, page, pageSize };
  }

  /** The nested tree under each scope root; kind-specific fields only on kindergartens. */
  async tree(access: AccessContext): Promise<OrgTreeNode[]> {
    const rows = await this.queries.treeRows(access.scopePaths('org.read'));
    const shaped = rows.map(({ grade, ownership, status, kindergartens, ...row }) =>
      (row.kind === 'kindergarten' ? { ...row, grade, ownership, status } : { ...row, kindergartens }) as OrgTreeRow);
    return buildTree(shaped);
  }

  async detail(access: AccessContext, id: string): Promise<OrgUnitDetail> {
    const unit = await this.readable(access, await this.queries.unit(id));
    const [ancestors, children, group] = await Promise.all([
      this.queries.briefUnits(ancestorIds(unit.path)),
      this.queries.children(unit.id),
      unit.kind === 'kindergarten' ? this.queries.groupOf(unit.id) : Promise.resolve(null),
    ]);
    return {
      ...unit,
      ancestors: ancestors.map(({ path, depth: _depth, ...a }) => ({ ...a, inScope: access.canAt('org.read', path) })),
      childCount: children[0]?.total ?? 0,
      children: children.map(({ total: _total, ...child }) => child),
      group,
      canWrite: access.canAt('org.write', unit.path),
    };
  }

  /** The towns, zones and districts in scope, nested depth-first, for the pages' side navigation. */
  async navigation(access: AccessContext): Promise<Array<{ id: string; kind: OrgUnitKind; name: string; level: number; kindergartens: number }>> {
    const roots = buildTree(await this.queries.treeRows(access.scopePaths('org.read')));
    return flattenTree(roots, (node) => node.kind !== 'kindergarten')
      .map(({ node, level }) => ({ id: node.id, kind: node.kind, name: node.name, level, kindergartens: node.kindergartens }));
  }

  /** Where a unit may move: writable units of an allowed parent kind outside its own subtree. */
  async moveTargets(access: AccessContext, unit: Pick<OrgUnitRow, 'kind' | 'path'>) {
    return (await this.parentOptions(access, unit.kind)).filter((option) => !isWithin(option.path, unit.path));
  }

  /** Units the caller may write under, of the kinds that may hold `kind`. */
  parentOptions(access: AccessContext, kind: OrgUnitKind) {
    const kinds = ORG_UNIT_KINDS.filter((parentKind) => kindAllowedUnder(kind, parentKind));
    return this.queries.unitsOfKinds(access.scopePaths('org.write'), kinds);
  }

  async create(access: AccessContext, dto: CreateOrgUnitDto): Promise<OrgUnitRow> {
    return this.mapCodeClash(dto.code, () => inTransaction(this.db, async (m) => {
      // FOR SHARE keeps the parent from moving until the child is in place.
      const parent = await this.queries.unit(dto.parentId, m, 'FOR SHARE');
      if (!parent || !access.canAt('org.read', parent.path)) throw parentNotFound();
      if (!access.canAt('org.write', parent.path)) throw new Forbidden();
      const problems = kindergartenFieldProblems(dto.kind, dto);
      if (!kindAllowedUnder(dto.kind, parent.kind)) problems.unshift(...kindNotAllowed('parentId', dto.kind, parent.kind).problems);
      if (problems.length) throw new ValidationFailed(problems);
      if (await this.queries.codeTaken(m, dto.code)) throw orgCodeTaken(dto.code);
      const id = randomUUID();
      const path = `${parent.path}${id}/`;
      const values: Partial<OrgUnit> = {
        id, kind: dto.kind, parentId: parent.id, path, depth: parent.depth + 1,
        districtId: dto.kind === 'district' ? id : parent.districtId,
        code: dto.code, name: dto.name, nameEn: dto.nameEn ?? null,
        ...Object.fromEntries(KINDERGARTEN_FIELDS.map((field) => [field, dto[field] ?? null])),
      };
      await m.getRepository(OrgUnit).insert(values);
      await this.audit.record(access.userId, 'create', 'org_unit', id, values.districtId ?? null, null, values, m);
      return (await this.queries.unit(id, m))!;
    }));
  }

  async update(access: AccessContext, id: string, dto: UpdateOrgUnitDto): Promise<OrgUnitRow> {
    const { version, ...changes } = dto;
    return this.mapCodeClash(changes.code ?? '', () => inTransaction(this.db, async (m) => {
      const repository = m.getRepository(OrgUnit);
      const unit = this.writable(access, await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }));
      if (version !== undefined && version !== unit.version) throw staleVersion();
      const before = { ...unit };
      const after = Object.assign(unit, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)));
      const problems = kindergartenFieldProblems(after.kind, after);
      if (problems.length) throw new ValidationFailed(problems);
      if (after.code !== before.code && (await this.queries.codeTaken(m, after.code, id))) throw orgCodeTaken(after.code);
      await repository.save(after);
      await this.audit.record(access.userId, 'update', 'org_unit', id, after.districtId, before, after, m);
      return (await this.queries.unit(id, m))!;
    }));
  }

  /** Moves a unit and its subtree under another parent, rewriting every path in one transaction. */
  async move(access: AccessContext, id: string, parentId: string): Promise<OrgUnitRow> {
    return inTransaction(this.db, async (m) => {
      const locked = await this.queries.lockUnits(m, [id, parentId]);
      const unit = this.writable(access, locked.find((u) => u.id === id) ?? null);
      const parent = locked.find((u) => u.id === parentId);
      if (!parent || !access.canAt('org.read', parent.path)) throw parentNotFound();
      if (!access.canAt('org.write', parent.path)) throw new Forbidden();
      if (isWithin(parent.path, unit.path)) throw moveIntoSelf();
      if (!kindAllowedUnder(unit.kind, parent.kind)) throw kindNotAllowed('parentId', unit.kind, parent.kind);
      if (unit.parentId === parent.id) return unit;
      return this.rewriteSubtree(m, access, unit, parent);
    });
  }

  private async rewriteSubtree(m: EntityManager, access: AccessContext, unit: OrgUnitRow, parent: OrgUnitRow): Promise<OrgUnitRow> {
    const oldPath = unit.path;
    const newPath = `${parent.path}${unit.id}/`;
    const districtId = unit.kind === 'district' ? unit.id : parent.districtId;
    await m.query('SELECT id FROM org_unit WHERE path LIKE $1 FOR UPDATE', [`${oldPath}%`]);
    if (districtId !== unit.districtId && (await this.queries.groupMembersUnder(m, oldPath)) > 0) {
      throw ValidationFailed.field('parentId', 'ORG_MOVE_LEAVES_GROUP_DISTRICT', 'Group members cannot move to another district');
    }
    const [, moved] = await m.query(
      `UPDATE org_unit SET path = $2 || substr(path, length($1) + 1), depth = depth + $3,
         district_id = CASE WHEN kind = 'district' THEN district_id ELSE $4::uuid END,
         parent_id = CASE WHEN id = $5 THEN $6::uuid ELSE parent_id END,
         version = version + CASE WHEN id = $5 THEN 1 ELSE 0 END, updated_at = now()
       WHERE path LIKE $1 || '%'`,
      [oldPath, newPath, parent.depth + 1 - unit.depth, districtId, unit.id, parent.id],
    );
    await this.audit.record(access.userId, 'move', 'org_unit', unit.id, districtId,
      { parentId: unit.parentId, path: oldPath }, { parentId: parent.id, path: newPath, unitsMoved: moved }, m);
    return (await this.queries.unit(unit.id, m))!;
  }

  private readable<T extends { path: string }>(access: AccessContext, unit: T | null): T {
    // Out of scope reads as missing: the caller learns nothing about other kindergartens.
    if (!unit || !access.canAt('org.read', unit.path)) throw new NotFound('org_unit');
    return unit;
  }

  private writable<T extends { path: string }>(access: AccessContext, unit: T | null): T {
    const found = this.readable(access, unit);
    if (!access.canAt('org.write', found.path)) throw new Forbidden();
    return found;
  }

  /** A concurrent insert of the same code loses on the unique index; it answers like the pre-check. */
  private async mapCodeClash<T>(code: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (violatedUniqueConstraint(error) === 'org_unit_code_key') throw orgCodeTaken(code);
      throw error;
    }
  }
}
