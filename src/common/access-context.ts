import type { Role } from '../modules/auth/auth.entities.js';
import { ROLE_PERMISSIONS, type Permission } from './permissions.js';

/** One role held over a set of org subtrees (a group admin's scope is the group's kindergartens). */
export interface Grant {
  role: Role;
  orgUnitId: string | null;
  groupId: string | null;
  orgPaths: string[];
}

/** Who is calling, and over which parts of the org tree each permission reaches. */
export class AccessContext {
  constructor(
    readonly userId: string,
    readonly sessionId: string,
    readonly username: string,
    readonly displayName: string,
    readonly personId: string | null,
    /** The request's language: the one the request chose (?lang or cookie), else the user's own. */
    public locale: 'zh-CN' | 'en',
    readonly grants: Grant[],
    readonly viaCookie: boolean,
  ) {}

  get roles(): Role[] {
    return [...new Set(this.grants.map((g) => g.role))];
  }

  hasRole(role: Role): boolean {
    return this.grants.some((g) => g.role === role);
  }

  can(permission: Permission): boolean {
    return this.grants.some((g) => ROLE_PERMISSIONS[g.role].includes(permission));
  }

  /** The org-path prefixes under which `permission` holds; empty when it holds nowhere. */
  scopePaths(permission: Permission): string[] {
    const paths = this.grants.filter((g) => ROLE_PERMISSIONS[g.role].includes(permission)).flatMap((g) => g.orgPaths);
    // Drop paths already covered by a broader one so queries stay short.
    return [...new Set(paths)].filter((p, _, all) => !all.some((q) => q !== p && p.startsWith(q)));
  }

  canAt(permission: Permission, orgPath: string | null | undefined): boolean {
    return !!orgPath && this.scopePaths(permission).some((prefix) => orgPath.startsWith(prefix));
  }

  isSelf(personId: string): boolean {
    return this.personId === personId;
  }

  /** The district of the first subtree where the permission holds, for records (like audit entries) filed by district. */
  districtIdFor(permission: Permission): string | null {
    return districtIdOfPath(this.scopePaths(permission)[0]);
  }
}

/** Paths are '/<city>/<district>/...': the second id is the district, when the path reaches that deep. */
export function districtIdOfPath(path: string | null | undefined): string | null {
  return path?.split('/').filter(Boolean)[1] ?? null;
}
