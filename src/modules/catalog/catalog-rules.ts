import type { AccessContext } from '../../common/access-context.js';

const segments = (path: string): string[] => path.split('/').filter(Boolean);

/** The district's path for any path at or below a district (`/<city>/<district>/...`), else null. */
export function districtPathOf(path: string): string | null {
  const parts = segments(path);
  return parts.length >= 2 ? `/${parts[0]}/${parts[1]}/` : null;
}

/** Every ancestor-or-self path of the given paths: the owners whose courses reach someone placed there. */
export function ownerPathsReaching(paths: string[]): string[] {
  const out = new Set<string>();
  for (const path of paths) {
    const parts = segments(path);
    for (let i = 1; i <= parts.length; i++) out.add(`/${parts.slice(0, i).join('/')}/`);
  }
  return [...out];
}

/** Whether a course owned at `ownerPath` reaches someone placed at `path` (a learner sees courses of their kindergarten and above). */
export function reaches(ownerPath: string, path: string | null | undefined): boolean {
  return !!path && path.startsWith(ownerPath);
}

/** The caller's catalog.manage scope paths at district level or above: where they may own city and district courses. */
export function districtLevelScope(access: AccessContext): string[] {
  return access.scopePaths('catalog.manage').filter((p) => segments(p).length <= 2);
}

/** The id a path ends with. */
export function lastIdOf(path: string): string {
  const parts = segments(path);
  return parts[parts.length - 1];
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  return left.size === new Set(b).size && b.every((v) => left.has(v));
}
