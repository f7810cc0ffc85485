import type { CycleRow, PersonFacts, SchemeRow } from './compliance.query.js';

/**
 * Which schemes apply to a person, over which periods.
 *
 * A scheme applies on a day when (1) its region_code is null or the code of the person's current
 * org unit or of a unit above it, (2) its posts are empty or list the person's post that day,
 * (3) its teacher_stages are empty or list their teacher stage that day, (4) its principal_stages
 * are empty or list their principal stage that day, and (5) the day lies in effective_from..effective_to.
 * The post on a day comes from the employment history (none when no employment covers the day;
 * the current post when there is no history at all); a stage from the stage records (the latest
 * on or before the day; the current stage when there are no records of that kind).
 *
 * Windows: `region_cycle` — the credit cycle holding asOf (or the one asked for), the region's own
 * before the national one; `probation_year` — hire date to the day before its first anniversary,
 * shown when that year overlaps the cycle; `before_post` — everything before the first appointment
 * as principal or vice principal (up to asOf if not appointed).
 *
 * A region cycle is cut wherever a post, a stage or a scheme's effective dates change. The cuts
 * where the same schemes apply are joined again, so a period is a run of days under one scheme.
 * Periods form tracks: a scheme continues its own track; a scheme that starts just when another of
 * the same unit (credits or hours) stops continues that one's track (a teacher made vice principal
 * moves from the teachers' hours to the principals' hours). Each period's amounts are the scheme's
 * pro-rated by the period's share of the cycle (rounded up to 0.5) and only its entries count.
 */

export interface Window {
  code: string;
  name: string;
  nameEn: string;
  startsOn: string;
  endsOn: string;
}

export interface PlannedPeriod {
  scheme: SchemeRow;
  from: string;
  to: string;
  /** Share of the cycle (1 for a whole cycle, a probation year or the time before the post). */
  share: number;
  post: string | null;
  teacherStage: string | null;
  principalStage: string | null;
}

export interface Track {
  /** The region cycle or the probation year; null before the post (no fixed window). */
  cycle: Window | null;
  periods: PlannedPeriod[];
  /** When the track's requirement falls due: the last period's end; null while it has none (not yet appointed). */
  dueOn: string | null;
}

interface Attributes {
  post: string | null;
  teacherStage: string | null;
  principalStage: string | null;
}

const DAY = 86_400_000;
const times = new Map<string, number>();
/** Days are compared and counted often (a district at once): parsed once each. */
function toTime(date: string): number {
  let time = times.get(date);
  if (time === undefined) {
    time = Date.parse(`${date}T00:00:00Z`);
    if (times.size > 50_000) times.clear();
    times.set(date, time);
  }
  return time;
}
export const addDays = (date: string, days: number) => new Date(toTime(date) + days * DAY).toISOString().slice(0, 10);
/** Days from `from` to `to`, both included. */
export const daysIn = (from: string, to: string) => Math.round((toTime(to) - toTime(from)) / DAY) + 1;
export function addYears(date: string, years: number): string {
  const d = new Date(toTime(date));
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

export function attributesOn(person: PersonFacts, date: string): Attributes {
  const covering = person.employments.filter((e) => e.startDate <= date && (e.endDate === null || e.endDate >= date));
  const post = person.employments.length === 0 ? person.currentPost : covering.at(-1)?.post ?? null;
  const stage = (kind: 'teacher' | 'principal', current: string | null) => {
    const records = person.stages.filter((s) => s.kind === kind);
    if (records.length === 0) return current;
    return records.filter((s) => s.effectiveDate <= date).at(-1)?.stage ?? null;
  };
  return { post, teacherStage: stage('teacher', person.teacherStage), principalStage: stage('principal', person.principalStage) };
}

export function schemeApplies(scheme: SchemeRow, person: PersonFacts, attrs: Attributes): boolean {
  const listed = (list: string[], value: string | null) => list.length === 0 || (value !== null && list.includes(value));
  return (scheme.regionCode === null || person.regionCodes.includes(scheme.regionCode))
    && listed(scheme.posts, attrs.post) && listed(scheme.teacherStages, attrs.teacherStage) && listed(scheme.principalStages, attrs.principalStage);
}

const inForce = (scheme: SchemeRow, from: string, to: string) => scheme.effectiveFrom <= to && (scheme.effectiveTo === null || scheme.effectiveTo >= from);

/** The cycle asked for by code, or the one holding asOf: the deepest region's own first, then the national one. */
export function cycleFor(person: PersonFacts, cycles: CycleRow[], asOf: string, cycleCode?: string): CycleRow | null {
  const depth = (c: CycleRow) => (c.regionCode === null ? -1 : person.regionCodes.indexOf(c.regionCode));
  const candidates = cycles
    .filter((c) => c.regionCode === null || person.regionCodes.includes(c.regionCode))
    .filter((c) => (cycleCode ? c.code === cycleCode : c.startsOn <= asOf && asOf <= c.endsOn))
    .sort((a, b) => depth(b) - depth(a));
  return candidates[0] ?? null;
}

export function windowOf(cycle: CycleRow): Window {
  return { code: cycle.code, name: cycle.nameZh, nameEn: cycle.nameEn, startsOn: cycle.startsOn, endsOn: cycle.endsOn };
}

/** Tracks of the region-cycle schemes over one cycle. */
export function cycleTracks(person: PersonFacts, schemes: SchemeRow[], cycle: Window): Track[] {
  const { startsOn: S, endsOn: E } = cycle;
  const mine = schemes.filter((s) => s.cycleKind === 'region_cycle');
  const cuts = new Set<string>([S]);
  const cut = (date: string | null) => { if (date && date > S && date <= E) cuts.add(date); };
  for (const e of person.employments) { cut(e.startDate); cut(e.endDate && addDays(e.endDate, 1)); }
  for (const s of person.stages) cut(s.effectiveDate);
  for (const s of mine) { cut(s.effectiveFrom); cut(s.effectiveTo && addDays(s.effectiveTo, 1)); }
  const starts = [...cuts].sort();
  const cycleDays = daysIn(S, E);

  interface Open { track: Track; current: SchemeRow | null }
  const open: Open[] = [];
  starts.forEach((from, i) => {
    const to = i + 1 < starts.length ? addDays(starts[i + 1]!, -1) : E;
    const attrs = attributesOn(person, from);
    const applicable = mine.filter((s) => inForce(s, from, to) && schemeApplies(s, person, attrs));
    const continuing = new Set<Open>();
    const period = (scheme: SchemeRow): PlannedPeriod => ({ scheme, from, to, share: 1, ...attrs });
    const extend = (o: Open, scheme: SchemeRow) => {
      const last = o.track.periods.at(-1);
      if (o.current?.id === scheme.id && last && last.to === addDays(from, -1)) last.to = to;
      else o.track.periods.push(period(scheme));
      o.current = scheme;
      continuing.add(o);
    };
    const fresh: SchemeRow[] = [];
    for (const scheme of applicable) {
      const o = open.find((x) => x.current?.id === scheme.id && !continuing.has(x));
      if (o) extend(o, scheme);
      else fresh.push(scheme);
    }
    for (const scheme of fresh) {
      const successor = open.find((x) => x.current && !continuing.has(x) && x.current.unit === scheme.unit && !applicable.includes(x.current));
      const earlier = open.find((x) => !x.current && !continuing.has(x) && x.track.periods.some((p) => p.scheme.id === scheme.id));
      const o = successor ?? earlier;
      if (o) extend(o, scheme);
      else {
        const created: Open = { track: { cycle, periods: [], dueOn: null }, current: null };
        open.push(created);
        extend(created, scheme);
      }
    }
    for (const o of open) if (!continuing.has(o)) o.current = null;
  });
  return open.map(({ track }) => {
    const whole = track.periods.length === 1 && track.periods[0]!.from === S && track.periods[0]!.to === E;
    for (const p of track.periods) p.share = whole ? 1 : daysIn(p.from, p.to) / cycleDays;
    return { ...track, dueOn: track.periods.at(-1)!.to };
  });
}

/** The probation-year schemes: shown when the first year after hiring overlaps the cycle (or holds asOf without one). */
export function probationTracks(person: PersonFacts, schemes: SchemeRow[], cycle: Window | null, asOf: string): Track[] {
  if (!person.hireDate) return [];
  const from = person.hireDate;
  const to = addDays(addYears(from, 1), -1);
  const relevant = cycle ? from <= cycle.endsOn && to >= cycle.startsOn : from <= asOf && asOf <= to;
  if (!relevant) return [];
  const attrs = attributesOn(person, from);
  const window: Window = { code: 'probation', name: '试用期', nameEn: 'Probation year', startsOn: from, endsOn: to };
  return schemes
    .filter((s) => s.cycleKind === 'probation_year' && inForce(s, from, to) && schemeApplies(s, person, attrs))
    .map((scheme) => ({ cycle: window, periods: [{ scheme, from, to, share: 1, ...attrs }], dueOn: to }));
}

/** The before-the-post schemes: from the first entry (or hire) up to the day before the first appointment, or up to asOf. */
export function beforePostTracks(person: PersonFacts, schemes: SchemeRow[], asOf: string, firstEntryOn: string | null): Track[] {
  const appointed = person.employments.find((e) => e.post === 'principal' || e.post === 'vice_principal')?.startDate ?? null;
  const to = appointed ? addDays(appointed, -1) : asOf;
  const from = [firstEntryOn, person.hireDate, to].filter((d): d is string => !!d && d <= to).sort()[0]!;
  const attrs = attributesOn(person, to);
  return schemes
    .filter((s) => s.cycleKind === 'before_post' && inForce(s, from, to) && schemeApplies(s, person, attrs))
    .map((scheme) => ({ cycle: null, periods: [{ scheme, from, to, share: 1, ...attrs }], dueOn: appointed ? to : null }));
}

/** A scheme amount (hundredths) for a period: pro-rated by its share of the cycle, rounded up to 0.5. */
export function proRated(amount: number, period: Pick<PlannedPeriod, 'share' | 'from' | 'to'>, cycle: Window | null): number {
  if (period.share >= 1 || !cycle) return amount;
  const num = amount * daysIn(period.from, period.to);
  const den = daysIn(cycle.startsOn, cycle.endsOn) * 50;
  return Math.floor((num + den - 1) / den) * 50;
}
