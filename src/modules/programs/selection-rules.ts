/** An application as selection sees it. */
export interface Candidate {
  id: string;
  kindergartenId: string | null;
  groupId: string | null;
  score: number | null;
  createdAt: Date;
}

export interface Quotas {
  district: number | null;
  kindergarten: number | null;
  group: number | null;
}

export type QuotaKind = 'district' | 'kindergarten' | 'group';

/** The first quota the selected set goes over, with its limit and the unit it is about; null: within every quota. */
export interface QuotaBreach {
  quota: QuotaKind;
  limit: number;
  count: number;
  unitId: string | null;
}

export interface QuotaUse {
  unitId: string;
  used: number;
  limit: number | null;
  over: boolean;
}

/** Best score first; unscored last; ties by who applied first (a stable, explainable order). */
export function rank<T extends Pick<Candidate, 'score' | 'createdAt' | 'id'>>(candidates: T[]): T[] {
  return [...candidates].sort((a, b) => {
    if (a.score !== b.score) {
      if (a.score === null) return 1;
      if (b.score === null) return -1;
      return b.score - a.score;
    }
    return a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
  });
}

function countBy(selected: Candidate[], key: 'kindergartenId' | 'groupId'): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of selected) {
    const unit = c[key];
    if (unit) counts.set(unit, (counts.get(unit) ?? 0) + 1);
  }
  return counts;
}

export function quotaBreach(selected: Candidate[], quotas: Quotas): QuotaBreach | null {
  if (quotas.district !== null && selected.length > quotas.district) {
    return { quota: 'district', limit: quotas.district, count: selected.length, unitId: null };
  }
  for (const [quota, key, limit] of [['kindergarten', 'kindergartenId', quotas.kindergarten], ['group', 'groupId', quotas.group]] as const) {
    if (limit === null) continue;
    for (const [unitId, count] of countBy(selected, key)) if (count > limit) return { quota, limit, count, unitId };
  }
  return null;
}

/** How much of each quota the selected set uses (kindergartens and groups with at least one selected). */
export function quotaUsage(selected: Candidate[], quotas: Quotas) {
  const uses = (key: 'kindergartenId' | 'groupId', limit: number | null): QuotaUse[] =>
    [...countBy(selected, key)].map(([unitId, used]) => ({ unitId, used, limit, over: limit !== null && used > limit }));
  return {
    district: { used: selected.length, limit: quotas.district, over: quotas.district !== null && selected.length > quotas.district },
    kindergartens: uses('kindergartenId', quotas.kindergarten),
    groups: uses('groupId', quotas.group),
  };
}

/**
 * A proposal by rank: take each applicant in order while every quota still has room, then the next
 * best (of any kindergarten) onto the reserve list up to its size. Unscored applicants are never proposed.
 */
export function suggestSelection(candidates: Candidate[], quotas: Quotas, reserveSize: number): { selected: string[]; reserve: string[] } {
  const selected: Candidate[] = [];
  const reserve: string[] = [];
  for (const c of rank(candidates)) {
    if (c.score === null) break;
    if (!quotaBreach([...selected, c], quotas)) selected.push(c);
    else if (reserve.length < reserveSize) reserve.push(c.id);
  }
  return { selected: selected.map((c) => c.id), reserve };
}
