/**
 * Gap planning for senior-title coverage: which kindergartens without a 高级/正高级 teacher can be
 * covered by a date, by promoting one of their own 一级 teachers or by rotating a senior-title teacher
 * in from a kindergarten of the same group that has two or more.
 *
 * Promotions use nobody else's resources, so every kindergarten with a teacher eligible by the date is
 * covered that way first. The rest is a bipartite matching with capacities (each donor may give all but
 * one of its senior-title teachers), solved exactly with augmenting paths. Together this covers the most
 * kindergartens possible: a kindergarten covered by promotion costs no donor, and among the others no
 * assignment can beat a maximum matching. A greedy pass can miss: A could take donor D1 or D2, B only D1;
 * greedy gives D1 to A and leaves B out, an augmenting path moves A to D2.
 */

export interface PromotionCandidate {
  personId: string;
  name: string;
  /** The earliest day the person meets every condition for 高级 if nothing changes; null: not under the rules as they stand. */
  eligibleOn: string | null;
}

export interface GapKindergarten {
  id: string;
  code: string;
  name: string;
  groupIds: string[];
  candidates: PromotionCandidate[];
}

export interface DonorTeacher {
  personId: string;
  name: string;
}

export interface Donor {
  kindergartenId: string;
  code: string;
  name: string;
  groupIds: string[];
  /** Senior-title teachers counted there now. */
  seniorCount: number;
  /** Its own senior-title staff who could move (not already on a rotation). */
  movable: DonorTeacher[];
}

export interface PlannedPromotion {
  kindergartenId: string;
  personId: string;
  name: string;
  eligibleOn: string;
}

export interface PlannedRotation {
  kindergartenId: string;
  personId: string;
  name: string;
  fromKindergartenId: string;
  fromName: string;
}

export type UncoveredReason = 'no_options' | 'not_eligible_by_date' | 'donors_taken';

export interface GapPlan {
  by: string;
  promotions: PlannedPromotion[];
  rotations: PlannedRotation[];
  uncovered: Array<{ kindergartenId: string; reason: UncoveredReason }>;
  covered: number;
}

const shareGroup = (a: string[], b: string[]) => a.some((g) => b.includes(g));

/** How many teachers a donor can give without going below one senior-title teacher. */
export const donorCapacity = (donor: Donor) => Math.max(0, Math.min(donor.seniorCount - 1, donor.movable.length));

export function rotationOptions(gap: GapKindergarten, donors: Donor[]): Donor[] {
  return donors.filter((d) => d.kindergartenId !== gap.id && donorCapacity(d) > 0 && shareGroup(d.groupIds, gap.groupIds));
}

export function planCoverage(gaps: GapKindergarten[], donors: Donor[], by: string): GapPlan {
  const ordered = [...gaps].sort((a, b) => a.code.localeCompare(b.code));
  const promotions: PlannedPromotion[] = [];
  const rest: GapKindergarten[] = [];
  for (const gap of ordered) {
    const ready = gap.candidates
      .filter((c): c is PromotionCandidate & { eligibleOn: string } => c.eligibleOn !== null && c.eligibleOn <= by)
      .sort((a, b) => a.eligibleOn.localeCompare(b.eligibleOn) || a.name.localeCompare(b.name));
    if (ready.length) promotions.push({ kindergartenId: gap.id, personId: ready[0].personId, name: ready[0].name, eligibleOn: ready[0].eligibleOn });
    else rest.push(gap);
  }

  const sortedDonors = [...donors].sort((a, b) => a.code.localeCompare(b.code));
  const options = new Map(rest.map((gap) => [gap.id, rotationOptions(gap, sortedDonors).map((d) => d.kindergartenId)]));
  const capacity = new Map(sortedDonors.map((d) => [d.kindergartenId, donorCapacity(d)]));
  const assigned = new Map<string, string[]>(sortedDonors.map((d) => [d.kindergartenId, []]));
  const donorOf = new Map<string, string>();

  const augment = (gapId: string, seen: Set<string>): boolean => {
    for (const donorId of options.get(gapId) ?? []) {
      if (seen.has(donorId)) continue;
      seen.add(donorId);
      const taken = assigned.get(donorId)!;
      if (taken.length < capacity.get(donorId)!) {
        taken.push(gapId);
        donorOf.set(gapId, donorId);
        return true;
      }
      for (const other of [...taken]) {
        if (augment(other, seen)) {
          taken.splice(taken.indexOf(other), 1, gapId);
          donorOf.set(gapId, donorId);
          return true;
        }
      }
    }
    return false;
  };
  // Fewest options first: the same maximum, but the plan reads more naturally.
  for (const gap of [...rest].sort((a, b) => options.get(a.id)!.length - options.get(b.id)!.length || a.code.localeCompare(b.code))) {
    augment(gap.id, new Set());
  }

  const rotations: PlannedRotation[] = [];
  for (const donor of sortedDonors) {
    const hosts = assigned.get(donor.kindergartenId)!.sort((a, b) => rest.find((g) => g.id === a)!.code.localeCompare(rest.find((g) => g.id === b)!.code));
    hosts.forEach((hostId, i) => rotations.push({
      kindergartenId: hostId, personId: donor.movable[i].personId, name: donor.movable[i].name, fromKindergartenId: donor.kindergartenId, fromName: donor.name,
    }));
  }
  rotations.sort((a, b) => ordered.findIndex((g) => g.id === a.kindergartenId) - ordered.findIndex((g) => g.id === b.kindergartenId));

  const uncovered = rest.filter((gap) => !donorOf.has(gap.id)).map((gap) => ({
    kindergartenId: gap.id,
    reason: (options.get(gap.id)!.length ? 'donors_taken' : gap.candidates.length ? 'not_eligible_by_date' : 'no_options') as UncoveredReason,
  }));
  return { by, promotions, rotations, uncovered, covered: promotions.length + rotations.length };
}
