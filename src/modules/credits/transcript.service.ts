import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate, shanghaiDateTime } from '../../common/dates.js';
import { NotFound, ValidationFailed } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { TemplateRegistry } from '../../common/views/handlebars.js';
import { OfferingDirectory } from '../catalog/offering-directory.service.js';
import { EligibilityService } from '../enrollment/eligibility.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { ComplianceService } from './compliance.service.js';
import type { ComplianceResult } from './compliance.types.js';
import { parsePdfMarkup } from '../../common/pdf/pdf-markup.js';
import { renderPdf } from '../../common/pdf/pdf-renderer.js';
import { TranscriptQuery, type CycleRow, type TranscriptEntry, type TranscriptPerson } from './transcript.query.js';
import {
  STANDING_BADGES, amount, categoryLevelGrid, courseFills, entriesByCategory, missingLines, neededCells, neededLines, ringView, ruleLabel, unitName, unmetRules,
  type CategoryLevelGrid, type RingView,
} from './transcript-views.js';

export interface SchemeView {
  code: string;
  name: string;
  unit: string;
  standing: ComplianceResult['standing'];
  standingBadge: string;
  met: boolean;
  periods: Array<{ from: string; to: string; rings: RingView[]; partial: boolean }>;
  /** The least still to earn and where (one line per unmet period), then each unmet rule's gap. */
  needed: string[];
  missing: string[];
}

export interface Suggestion {
  offeringId: string;
  courseTitle: string;
  label: string;
  category: string;
  level: string;
  hours: string;
  credits: string;
  closesAt: string;
  firstMeetingAt: string;
  fills: string[];
}

export interface Transcript {
  person: TranscriptPerson;
  cycles: Array<{ code: string; name: string; selected: boolean }>;
  cycle: (CycleRow & { name: string }) | null;
  entries: Array<TranscriptEntry & { hoursText: string; creditsText: string }>;
  groups: ReturnType<typeof entriesByCategory>;
  grid: CategoryLevelGrid;
  schemes: SchemeView[];
  missing: string[];
  suggestions: Suggestion[];
  generatedOn: string;
}

const MAX_SUGGESTIONS = 6;

/**
 * A person's 成长档案: their entries in one cycle by category and level, their progress against
 * each scheme that applies, what is missing in words, and the open offerings that would fill it.
 */
@Injectable()
export class TranscriptService {
  constructor(
    private readonly query: TranscriptQuery,
    private readonly compliance: ComplianceService,
    private readonly people: PeopleDirectory,
    private readonly offerings: OfferingDirectory,
    private readonly eligibility: EligibilityService,
    private readonly templates: TemplateRegistry,
  ) {}

  /** The caller's own person record, or someone within their credits.read scope; anyone else does not exist. */
  async personFor(access: AccessContext, personId: string | null): Promise<string> {
    if (personId === null || access.isSelf(personId)) {
      if (!access.personId) throw new NotFound('Person');
      return access.personId;
    }
    const place = await this.people.personOrgPath(personId);
    if (!place || !access.canAt('credits.read', place.path)) throw new NotFound('Person', personId);
    return personId;
  }

  async transcript(personId: string, cycleCode: string | undefined, locale: Locale): Promise<Transcript> {
    const person = await this.query.person(personId);
    if (!person) throw new NotFound('Person', personId);
    const today = shanghaiDate();
    const cycles = await this.query.cycles(person.orgPath);
    const cycle = this.pickCycle(cycles, cycleCode, today);
    const nameOf = (c: { nameZh: string; nameEn: string }) => (locale === 'en' ? c.nameEn : c.nameZh);
    const [entries, results] = cycle
      ? await Promise.all([this.query.entries(personId, cycle), this.compliance.compliance(personId, { cycleCode: cycle.code })])
      : [[], []];
    const applicable = results.filter((r) => r.standing !== 'not_applicable' && r.periods.length > 0);
    return {
      person,
      cycles: cycles.map((c) => ({ code: c.code, name: nameOf(c), selected: c.id === cycle?.id })),
      cycle: cycle ? { ...cycle, name: nameOf(cycle) } : null,
      entries: entries.map((e) => ({ ...e, hoursText: amount(e.hours), creditsText: amount(e.credits) })),
      groups: entriesByCategory(entries),
      grid: categoryLevelGrid(entries),
      schemes: applicable.map((r) => this.schemeView(r, locale)),
      missing: applicable.flatMap((r) => missingLines(r, locale)),
      suggestions: await this.suggestions(personId, person, applicable, locale),
      generatedOn: today,
    };
  }

  /** The transcript as a PDF, from templates/reports/transcript.hbs with the embedded Chinese font. */
  async pdf(personId: string, cycleCode: string | undefined, locale: Locale): Promise<{ bytes: Buffer; filename: string }> {
    const transcript = await this.transcript(personId, cycleCode, locale);
    const markup = this.templates.render('reports/transcript', { locale, ...transcript });
    const title = translate(locale, 'transcript.pdf.title');
    const bytes = await renderPdf(parsePdfMarkup(markup), { title: `${title} · ${transcript.person.fullName}`, author: translate(locale, 'app.name') });
    return { bytes, filename: `${title}-${transcript.person.fullName}-${transcript.cycle?.code ?? ''}.pdf` };
  }

  /** The asked-for cycle; by default the one today falls in, else the latest that has begun. */
  private pickCycle(cycles: CycleRow[], code: string | undefined, today: string): CycleRow | null {
    if (code !== undefined) {
      const chosen = cycles.find((c) => c.code === code);
      if (!chosen) throw ValidationFailed.field('cycle', 'CYCLE_NOT_FOUND', 'No such credit cycle here');
      return chosen;
    }
    return cycles.find((c) => c.startsOn <= today && today <= c.endsOn) ?? cycles.find((c) => c.startsOn <= today) ?? cycles[0] ?? null;
  }

  private schemeView(result: ComplianceResult, locale: Locale): SchemeView {
    const last = result.periods[result.periods.length - 1];
    const name = [...new Set(result.periods.map((p) => (locale === 'en' ? p.schemeNameEn ?? p.schemeName : p.schemeName)))].join(' → ');
    return {
      code: last.schemeCode,
      name,
      unit: unitName(last.unit, locale),
      standing: result.standing,
      standingBadge: STANDING_BADGES[result.standing],
      met: result.periods.every((p) => p.met),
      periods: result.periods.map((p) => ({ from: p.from, to: p.to, rings: p.rules.map((rule) => ringView(rule, locale)), partial: result.periods.length > 1 })),
      needed: neededLines(result, locale),
      missing: missingLines(result, locale),
    };
  }

  /**
   * Open offerings whose course would count toward an unmet rule and that the person may enrol in
   * now (audience, window, completions, sanctions, no-show blocks), the most helpful first.
   */
  private async suggestions(personId: string, person: TranscriptPerson, results: ComplianceResult[], locale: Locale): Promise<Suggestion[]> {
    const unmet = unmetRules(results);
    if (!unmet.length) return [];
    const cells = neededCells(results);
    const categories = ['ethics', 'knowledge_skills', 'practice', 'self_study'] as const;
    const levels = ['city', 'district', 'kindergarten'] as const;
    const wantedCategories = categories.filter((c) => unmet.some((r) => !r.category || r.category === c));
    const wantedLevels = levels.filter((l) => unmet.some((r) => !r.level || r.level === l));
    const rows = await this.query.openOfferings(personId, person.orgPath, [...wantedCategories], [...wantedLevels]);
    const profile = await this.people.learnerProfile(personId);
    if (!profile) return [];
    const ranked = rows
      .map((row) => {
        const fills = unmet.filter((rule) => courseFills(rule, row.category, row.level));
        // A specific rule (category within level) is the hardest to fill by chance: it weighs most.
        // Where the least missing amount would go counts most of all.
        const weight = fills.reduce((sum, rule) => sum + (rule.kind === 'level_category' ? 4 : rule.kind === 'total' ? 1 : 2), 0)
          + (cells.some((c) => c.level === row.level && c.category === row.category) ? 8 : 0);
        return { row, fills, weight };
      })
      .filter((c) => c.fills.length > 0)
      .sort((a, b) => b.weight - a.weight || a.row.enrolClosesAt.getTime() - b.row.enrolClosesAt.getTime());
    const out: Suggestion[] = [];
    for (const { row, fills } of ranked) {
      if (out.length >= MAX_SUGGESTIONS) break;
      const context = await this.offerings.context(row.offeringId);
      if (!(await this.eligibility.check(context, profile, locale)).eligible) continue;
      out.push({
        offeringId: row.offeringId, courseTitle: row.courseTitle, label: row.label,
        category: translate(locale, `catalog.category.${row.category}`), level: translate(locale, `catalog.level.${row.level}`),
        hours: amount(row.hours), credits: amount(row.credits),
        closesAt: shanghaiDateTime(row.enrolClosesAt), firstMeetingAt: shanghaiDateTime(row.firstMeetingAt),
        // Every course counts toward a total: name it only when nothing more specific is filled.
        fills: [...new Set((fills.some((r) => r.kind !== 'total') ? fills.filter((r) => r.kind !== 'total') : fills).map((rule) => ruleLabel(rule, locale)))],
      });
    }
    return out;
  }
}
