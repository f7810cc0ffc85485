import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate, shanghaiDateTime } from '../../common/dates.js';
import { NotFound, ValidationFailed } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { TemplateRegistry } from '../../common/views/handlebars.js';
import { audienceMisses } from '../catalog/audience.js';
import { enrolmentBlocks } from '../enrollment/eligibility-rules.js';
import type { LearnerProfile } from '../people/people-directory.service.js';
import { ComplianceService } from './compliance.service.js';
import type { ComplianceResult } from './compliance.types.js';
import { parsePdfMarkup } from '../../common/pdf/pdf-markup.js';
import { renderPdf } from '../../common/pdf/pdf-renderer.js';
import { TranscriptQuery, type CycleRow, type EnrolmentBlocks, type OpenOfferingRow, type TranscriptEntry, type TranscriptPerson } from './transcript.query.js';
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
    private readonly templates: TemplateRegistry,
  ) {}

  /**
   * The transcript of the caller (`personId` null or their own), or of someone within their
   * credits.read scope; anyone else does not exist. One statement reads the page, a second the
   * suggestions when a rule is unmet.
   */
  async transcript(access: AccessContext, personId: string | null, cycleCode: string | undefined, locale: Locale): Promise<Transcript> {
    const self = personId === null || access.isSelf(personId);
    if (self && !access.personId) throw new NotFound('Person');
    const id = self ? access.personId! : personId;
    const now = new Date();
    const today = shanghaiDate(now);
    const page = await this.query.page(id, today);
    if (!page || (!self && !access.canAt('credits.read', page.person.orgPath))) throw new NotFound('Person', id);
    const { person, cycles, profile, blocks, bundle } = page;
    const cycle = this.pickCycle(cycles, cycleCode, today);
    const nameOf = (c: { nameZh: string; nameEn: string }) => (locale === 'en' ? c.nameEn : c.nameZh);
    // The cycle's entries: filed under it, or undated ones whose day falls in it (the ledger is oldest first).
    const entries: TranscriptEntry[] = cycle
      ? bundle.entries
        .filter((e) => e.cycleId === cycle.id || (e.cycleId === null && cycle.startsOn <= e.occurredOn && e.occurredOn <= cycle.endsOn))
        .map((e) => ({ id: e.id, title: e.title, occurredOn: e.occurredOn, category: e.category, level: e.level, hours: e.hours, credits: e.credits, source: e.source }))
      : [];
    const results = cycle ? this.compliance.fromBundle(bundle, { cycleCode: cycle.code }) : [];
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
      suggestions: await this.suggestions(profile, blocks, applicable, locale, now),
      generatedOn: today,
    };
  }

  /** The transcript as a PDF, from templates/reports/transcript.hbs with the embedded Chinese font. */
  async pdf(access: AccessContext, personId: string | null, cycleCode: string | undefined, locale: Locale): Promise<{ bytes: Buffer; filename: string }> {
    const transcript = await this.transcript(access, personId, cycleCode, locale);
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
  private async suggestions(profile: LearnerProfile, blocks: EnrolmentBlocks, results: ComplianceResult[], locale: Locale, now: Date): Promise<Suggestion[]> {
    const unmet = unmetRules(results);
    if (!unmet.length) return [];
    const cells = neededCells(results);
    const categories = ['ethics', 'knowledge_skills', 'practice', 'self_study'] as const;
    const levels = ['city', 'district', 'kindergarten'] as const;
    const wantedCategories = categories.filter((c) => unmet.some((r) => !r.category || r.category === c));
    const wantedLevels = levels.filter((l) => unmet.some((r) => !r.level || r.level === l));
    const rows = await this.query.openOfferings(profile.personId, profile.orgPath, [...wantedCategories], [...wantedLevels]);
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
      if (!mayEnrol(row, profile, blocks, now)) continue;
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

/**
 * The enrolment rules (the same EligibilityService.check applies to a request) for a whole list at once, from facts
 * read once: the course audience, the enrolment window, an ethics block and the no-show block of the course's level.
 * Courses the person is in or has completed never reach the list.
 */
export function mayEnrol(row: OpenOfferingRow, profile: LearnerProfile, blocks: EnrolmentBlocks, now: Date): boolean {
  const noShowUntil = blocks.noShowUntil[row.level];
  return enrolmentBlocks({
    audienceMisses: audienceMisses(row.audience, profile), enrolOpensAt: row.enrolOpensAt, enrolClosesAt: row.enrolClosesAt,
    completed: false, ethicsBlocked: blocks.ethicsBlocked, noShowBlocked: typeof noShowUntil === 'number' && noShowUntil > now.getTime(),
  }, now).length === 0;
}
