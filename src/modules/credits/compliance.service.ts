import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound, ValidationFailed } from '../../common/errors.js';
import { shanghaiDate } from '../../common/dates.js';
import { translate } from '../../common/i18n/i18n.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES } from '../catalog/catalog.entities.js';
import { allocate } from './allocation.js';
import { beforePostTracks, cycleFor, cycleTracks, probationTracks, proRated, windowOf, type PlannedPeriod, type Track, type Window } from './compliance-periods.js';
import { standingOf } from './compliance-standing.js';
import type { ComplianceBundle } from './compliance-bundle.sql.js';
import { ComplianceQuery, type CycleRow, type LedgerLine, type PersonFacts, type SchemeRow } from './compliance.query.js';
import type { ComplianceResult, RuleStatus, SchemePeriodStatus } from './compliance.types.js';
import type { SchemeRule } from './credit.entities.js';

export interface ComplianceOptions { schemeCode?: string; cycleCode?: string; asOf?: string }
export interface StandingsOptions { cycleCode?: string; asOf?: string }

const toHundredths = (x: number) => Math.round(x * 100);
const fromHundredths = (x: number) => x / 100;
const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/**
 * Whether people meet the requirement schemes that apply to them: per scheme and period, every
 * rule's required, earned and missing amounts and which entries counted where (an exact
 * allocation, see allocation.ts), and the standing against the time left (compliance-standing.ts).
 */
@Injectable()
export class ComplianceService {
  constructor(private readonly query: ComplianceQuery) {}

  /** For a route: the person themself, or someone with credits.read over the person's kindergarten; anyone else is told "not found". */
  async visibleTo(access: AccessContext, personId: string | null, options: ComplianceOptions = {}): Promise<ComplianceResult[]> {
    if (!personId) throw new NotFound('person');
    // One statement reads the place and the facts; a bad asOf is told only to whoever may see the person.
    const bundle = await this.query.bundle(personId, options.asOf !== undefined && isDate(options.asOf) ? options.asOf : shanghaiDate());
    if (!bundle.person || !bundle.orgPath || !(access.isSelf(personId) || access.canAt('credits.read', bundle.orgPath))) throw new NotFound('person', personId);
    return this.fromBundle(bundle, options);
  }

  /** One result per applicable scheme track (or the track of the scheme asked for: `not_applicable` when it does not apply). */
  async compliance(personId: string, options: ComplianceOptions = {}): Promise<ComplianceResult[]> {
    return this.fromBundle(await this.query.bundle(personId, this.asOf(options.asOf)), options);
  }

  /**
   * The results from facts already read (`ComplianceQuery.bundle`, or a page's own statement built with
   * compliance-bundle.sql.ts). Entries after asOf are left out here when the bundle holds the whole ledger.
   */
  fromBundle(bundle: ComplianceBundle, options: ComplianceOptions = {}): ComplianceResult[] {
    const asOf = this.asOf(options.asOf);
    this.checkCodes(bundle.schemes, bundle.cycles, options);
    if (!bundle.person) throw new NotFound('person', bundle.requestedId);
    const last = bundle.entries.at(-1);
    const entries = last && last.occurredOn > asOf ? bundle.entries.filter((e) => e.occurredOn <= asOf) : bundle.entries;
    return this.evaluate(bundle.person, entries, bundle.schemes, bundle.cycles, asOf, options);
  }

  /** The same for many people at once (reports): every fact is loaded in one query per kind. */
  async standings(personIds: string[], options: StandingsOptions = {}): Promise<Map<string, ComplianceResult[]>> {
    const asOf = this.asOf(options.asOf);
    const ids = [...new Set(personIds)];
    const [schemes, cycles, people, entries] = await Promise.all([
      this.query.schemes(), this.query.cycles(), this.query.people(ids), this.query.entries(ids, asOf),
    ]);
    this.checkCodes(schemes, cycles, options);
    const byPerson = new Map<string, LedgerLine[]>();
    for (const e of entries) {
      const list = byPerson.get(e.personId);
      if (list) list.push(e);
      else byPerson.set(e.personId, [e]);
    }
    const out = new Map<string, ComplianceResult[]>();
    for (const person of people) out.set(person.id, this.evaluate(person, byPerson.get(person.id) ?? [], schemes, cycles, asOf, options));
    return out;
  }

  private asOf(value: string | undefined): string {
    if (value === undefined) return shanghaiDate();
    if (!isDate(value)) throw ValidationFailed.field('asOf', 'isCalendarDate', 'asOf must be a date as YYYY-MM-DD');
    return value;
  }

  private checkCodes(schemes: SchemeRow[], cycles: CycleRow[], options: ComplianceOptions) {
    if (options.schemeCode !== undefined && !schemes.some((s) => s.code === options.schemeCode)) {
      throw ValidationFailed.field('scheme', 'SCHEME_NOT_FOUND', `No requirement scheme "${options.schemeCode}"`);
    }
    if (options.cycleCode !== undefined && !cycles.some((c) => c.code === options.cycleCode)) {
      throw ValidationFailed.field('cycle', 'CYCLE_NOT_FOUND', `No credit cycle "${options.cycleCode}"`);
    }
  }

  private evaluate(person: PersonFacts, entries: LedgerLine[], schemes: SchemeRow[], cycles: CycleRow[], asOf: string, options: ComplianceOptions): ComplianceResult[] {
    const cycleRow = cycleFor(person, cycles, asOf, options.cycleCode);
    const window = cycleRow ? windowOf(cycleRow) : null;
    let tracks: Track[] = [
      ...(window ? cycleTracks(person, schemes, window) : []),
      ...probationTracks(person, schemes, window, asOf),
      ...beforePostTracks(person, schemes, asOf, entries[0]?.occurredOn ?? null),
    ];
    if (options.schemeCode) {
      tracks = tracks.filter((t) => t.periods.some((p) => p.scheme.code === options.schemeCode));
      if (tracks.length === 0) {
        const scheme = schemes.find((s) => s.code === options.schemeCode)!;
        return [{
          personId: person.id, cycle: scheme.cycleKind === 'region_cycle' ? this.cycleOut(window) : null, asOf, periods: [],
          standing: 'not_applicable', schemeCode: scheme.code, unit: scheme.unit,
        }];
      }
    }
    return tracks.map((track) => this.result(person.id, track, entries, asOf, options.schemeCode));
  }

  private result(personId: string, track: Track, entries: LedgerLine[], asOf: string, schemeCode?: string): ComplianceResult {
    const periods = track.periods.map((p) => this.period(p, track.cycle, entries));
    const sum = (pick: (p: SchemePeriodStatus) => number) => periods.reduce((s, p) => s + toHundredths(pick(p)), 0);
    const required = sum((p) => p.rules[0]!.required);
    const needed = sum((p) => p.needed ?? 0);
    const met = periods.every((p) => p.met);
    const endedShort = periods.some((p) => !p.met && p.to < asOf);
    const standing = standingOf({ asOf, windowFrom: track.periods[0]!.from, dueOn: track.dueOn, met, endedShort, required, needed });
    return {
      personId, cycle: this.cycleOut(track.cycle), asOf, periods, ...standing,
      schemeCode: schemeCode ?? track.periods[0]!.scheme.code, unit: track.periods[0]!.scheme.unit,
      required: fromHundredths(required), needed: fromHundredths(needed),
    };
  }

  private cycleOut(window: Window | null): ComplianceResult['cycle'] {
    return window ? { code: window.code, name: window.name, nameEn: window.nameEn, startsOn: window.startsOn, endsOn: window.endsOn } : null;
  }

  /** One period: the scheme's amounts pro-rated to it, the period's entries allocated to its rules. */
  private period(planned: PlannedPeriod, cycle: Window | null, ledger: LedgerLine[]): SchemePeriodStatus {
    const { scheme } = planned;
    const amountOf = (e: LedgerLine) => toHundredths(scheme.unit === 'credits' ? e.credits : e.hours);
    const entries = ledger.filter((e) => e.occurredOn >= planned.from && e.occurredOn <= planned.to && amountOf(e) > 0);
    const rules = scheme.rules.filter((r) => r.category || r.level);
    const scale = (value: number) => proRated(toHundredths(value), planned, cycle);
    const allocation = allocate({
      total: scale(scheme.total),
      rules: rules.map((r) => ({ level: r.level ?? null, category: r.category ?? null, min: scale(r.min ?? 0), max: r.max === undefined || r.max === null ? null : scale(r.max) })),
      entries: entries.map((e) => ({ id: e.id, level: e.level, category: e.category, amount: amountOf(e) })),
      levels: COURSE_LEVELS, categories: CREDIT_CATEGORIES,
    });
    const byId = new Map(entries.map((e) => [e.id, e]));
    const status = (rule: SchemeRule | null, a: (typeof allocation)['total']): RuleStatus => ({
      kind: !rule ? 'total' : rule.level && rule.category ? 'level_category' : rule.level ? 'level' : 'category',
      category: rule?.category ?? null,
      level: rule?.level ?? null,
      label: ruleLabel(rule, 'zh-CN'),
      labelEn: ruleLabel(rule, 'en'),
      required: fromHundredths(a.required),
      maximum: a.maximum === null ? null : fromHundredths(a.maximum),
      earned: fromHundredths(a.earned),
      missing: fromHundredths(a.missing),
      met: a.met,
      counted: a.counted.map((part) => {
        const e = byId.get(part.entryId)!;
        return { entryId: e.id, title: e.title, occurredOn: e.occurredOn, category: e.category, level: e.level, amount: fromHundredths(part.amount) };
      }),
    });
    return {
      schemeId: scheme.id, schemeCode: scheme.code, schemeName: scheme.nameZh, schemeNameEn: scheme.nameEn, unit: scheme.unit, cycleKind: scheme.cycleKind,
      from: planned.from, to: planned.to, share: Math.round(planned.share * 10_000) / 10_000,
      post: planned.post, teacherStage: planned.teacherStage, principalStage: planned.principalStage,
      met: allocation.met,
      rules: [status(null, allocation.total), ...rules.map((r, i) => status(r, allocation.rules[i]!))],
      needed: fromHundredths(allocation.needed),
      neededByCell: allocation.neededByCell.map((c) => ({ level: c.level as never, category: c.category as never, amount: fromHundredths(c.amount) })),
      neededAnywhere: fromHundredths(allocation.neededAnywhere),
    };
  }
}

const labels = new Map<string, string>();

/** "合计", "师德素养", "市级", "市级·知识技能" (and the English); remembered, as a district's report asks for thousands. */
export function ruleLabel(rule: SchemeRule | null, locale: 'zh-CN' | 'en'): string {
  const key = `${locale}|${rule?.level ?? ''}|${rule?.category ?? ''}|${rule ? 1 : 0}`;
  let label = labels.get(key);
  if (label === undefined) {
    const parts = rule
      ? [rule.level && translate(locale, `catalog.level.${rule.level}`), rule.category && translate(locale, `catalog.category.${rule.category}`)]
      : [translate(locale, 'compliance.rule.total')];
    label = parts.filter(Boolean).join(locale === 'en' ? ' · ' : '·');
    labels.set(key, label);
  }
  return label;
}
