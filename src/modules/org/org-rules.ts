import type { FieldProblem } from '../../common/errors.js';
import { ALLOWED_PARENT_KINDS, type OrgUnitKind } from './org-unit.entity.js';

/** Fields only a kindergarten has; other kinds leave them empty. */
export const KINDERGARTEN_FIELDS = [
  'ownership', 'inclusive', 'grade', 'status', 'foundedYear', 'openingYear',
  'kindergartenClasses', 'nurseryClasses', 'childrenEnrolled', 'address',
] as const;
export type KindergartenField = (typeof KINDERGARTEN_FIELDS)[number];
const REQUIRED_FOR_KINDERGARTEN: KindergartenField[] = ['ownership', 'inclusive', 'grade', 'status'];

export function kindAllowedUnder(kind: OrgUnitKind, parentKind: OrgUnitKind): boolean {
  return ALLOWED_PARENT_KINDS[kind].includes(parentKind);
}

/** The kinds that may be created directly under a unit of `parentKind`. */
export function childKindsOf(parentKind: OrgUnitKind): OrgUnitKind[] {
  return (Object.keys(ALLOWED_PARENT_KINDS) as OrgUnitKind[]).filter((kind) => kindAllowedUnder(kind, parentKind));
}

/**
 * What a unit's kindergarten fields must look like once a create or update is applied:
 * a kindergarten has ownership, inclusive, grade and status, and a planned one its opening
 * year; any other kind has none of them.
 */
export function kindergartenFieldProblems(kind: OrgUnitKind, unit: Partial<Record<KindergartenField, unknown>>): FieldProblem[] {
  const present = (field: KindergartenField) => unit[field] !== null && unit[field] !== undefined;
  if (kind !== 'kindergarten') {
    return KINDERGARTEN_FIELDS.filter(present).map((field) => ({
      field, code: 'ORG_FIELD_ONLY_FOR_KINDERGARTEN', message: `${field} is only for kindergartens`,
    }));
  }
  const problems: FieldProblem[] = REQUIRED_FOR_KINDERGARTEN.filter((field) => !present(field)).map((field) => ({
    field, code: 'isNotEmpty', message: `${field} is required for a kindergarten`,
  }));
  if (unit.status === 'planned' && !present('openingYear')) {
    problems.push({ field: 'openingYear', code: 'ORG_OPENING_YEAR_REQUIRED', message: 'openingYear is required for a planned kindergarten' });
  }
  return problems;
}

/** Whether `path` is `ancestorPath` itself or lies below it (materialised paths end in '/'). */
export function isWithin(path: string, ancestorPath: string): boolean {
  return path.startsWith(ancestorPath);
}

/** The path a unit of the moved subtree gets: its old prefix swapped for the new one. */
export function rewrittenPath(path: string, oldPrefix: string, newPrefix: string): string {
  if (!isWithin(path, oldPrefix)) throw new Error(`${path} is not under ${oldPrefix}`);
  return newPrefix + path.slice(oldPrefix.length);
}

/** Ids of the units above the one at `path`, from the root down. */
export function ancestorIds(path: string): string[] {
  return path.split('/').filter(Boolean).slice(0, -1);
}

export function depthOf(path: string): number {
  return path.split('/').filter(Boolean).length - 1;
}

export interface TreeRow {
  id: string;
  parentId: string | null;
  code: string;
}
export type TreeNode<T extends TreeRow> = Omit<T, 'parentId'> & { children: TreeNode<T>[] };

/** Nests flat rows; a row whose parent is not among them is a root. Siblings are ordered by code. */
export function buildTree<T extends TreeRow>(rows: T[]): TreeNode<T>[] {
  const nodes = new Map<string, TreeNode<T>>();
  for (const { parentId: _parentId, ...rest } of rows) nodes.set(rest.id, { ...rest, children: [] } as unknown as TreeNode<T>);
  const roots: TreeNode<T>[] = [];
  for (const row of rows) {
    const parent = row.parentId ? nodes.get(row.parentId) : undefined;
    (parent ? parent.children : roots).push(nodes.get(row.id)!);
  }
  const sort = (list: TreeNode<T>[]) => {
    list.sort((a, b) => a.code.localeCompare(b.code));
    list.forEach((node) => sort(node.children));
  };
  sort(roots);
  return roots;
}

/** Depth-first, with each node's level in the nesting; `keep` prunes a node and its subtree. */
export function flattenTree<T extends TreeRow>(roots: TreeNode<T>[], keep: (node: TreeNode<T>) => boolean): Array<{ node: TreeNode<T>; level: number }> {
  const out: Array<{ node: TreeNode<T>; level: number }> = [];
  const walk = (list: TreeNode<T>[], level: number) => {
    for (const node of list) {
      if (!keep(node)) continue;
      out.push({ node, level });
      walk(node.children, level + 1);
    }
  };
  walk(roots, 0);
  return out;
}

export interface MemberInput {
  kindergartenId: string;
  isLead: boolean;
}

/** A group lists each kindergarten once and has one or two lead kindergartens. */
export function groupMemberProblems(members: MemberInput[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  members.forEach((member, i) => {
    if (seen.has(member.kindergartenId)) {
      problems.push({ field: `members.${i}.kindergartenId`, code: 'GROUP_MEMBER_DUPLICATE', message: 'The kindergarten is listed twice' });
    }
    seen.add(member.kindergartenId);
  });
  const leads = members.filter((m) => m.isLead).length;
  if (leads < 1 || leads > 2) {
    problems.push({ field: 'members', code: 'GROUP_LEAD_COUNT', message: `A group has one or two lead kindergartens, not ${leads}` });
  }
  return problems;
}
