import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound, ValidationFailed } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { parsePdfMarkup } from '../../common/pdf/pdf-markup.js';
import { renderPdf } from '../../common/pdf/pdf-renderer.js';
import { TemplateRegistry } from '../../common/views/handlebars.js';
import { ComplianceService } from '../credits/compliance.service.js';
import { worstStanding } from '../credits/transcript-views.js';
import { TargetsService } from '../titles/targets.service.js';
import { BlueBookActivityQuery, type MentoringFigures, type TrainingFigures, type YearWindow } from './blue-book-activity.query.js';
import { blueBookCharts, type BlueBookCharts } from './blue-book-chart-set.js';
import { cohortTable, programFigures, type ProgramFigures } from './blue-book-program-views.js';
import { BlueBookProgramsQuery } from './blue-book-programs.query.js';
import { BlueBookQuery } from './blue-book.query.js';
import {
  complianceFigures, kindergartenFigures, percent, workforceFigures,
  type ComplianceFigures, type KindergartenFigures, type WorkforceFigures,
} from './blue-book-views.js';

export interface TargetFigure {
  code: string;
  name: string;
  unit: 'percent' | 'count';
  threshold: number;
  deadline: string;
  value: number;
  numerator: number;
  denominator: number | null;
  met: boolean;
  status: string;
  statusLabel: string;
}

/** Everything the book states, as of one date; the HTML, the PDF and the API answer all come from this. */
export interface BlueBookFigures {
  year: number;
  asOf: string;
  /** The current year's book is as of today and still changes. */
  current: boolean;
  district: { id: string; name: string };
  workforce: WorkforceFigures;
  targets: TargetFigure[];
  compliance: ComplianceFigures;
  training: TrainingFigures;
  /** Talent programs (种子/拔尖/领航 and the district's own tiers), contests and the principal lecture series. */
  programs: ProgramFigures;
  mentoring: MentoringFigures & { activitiesTotal: number };
  kindergartens: KindergartenFigures;
}

const PDF_CACHE_SIZE = 16;

/**
 * The yearly blue book (学前教育蓝皮书) of a district. Figures come from the dated record, so a past
 * year's book is reproducible. A book computes in well under a second; the PDF takes longer, so
 * PDFs are kept in memory per (district, year, locale, figures): any change in the data that
 * changes a figure makes a new key, and a book whose figures did not change is served again.
 */
@Injectable()
export class BlueBookService {
  private readonly pdfs = new Map<string, Buffer>();

  constructor(
    private readonly query: BlueBookQuery,
    private readonly activity: BlueBookActivityQuery,
    private readonly programs: BlueBookProgramsQuery,
    private readonly compliance: ComplianceService,
    private readonly targets: TargetsService,
    private readonly templates: TemplateRegistry,
  ) {}

  /** District staff only: someone holding targets.read over the whole district (kindergarten and group admins do not). */
  async districtFor(access: AccessContext, districtId: string | undefined): Promise<{ id: string; name: string }> {
    const wanted = districtId?.toLowerCase()
      ?? access.scopePaths('targets.read').map((p) => p.split('/').filter(Boolean)).find((parts) => parts.length === 2)?.[1];
    const district = wanted ? await this.query.district(wanted) : null;
    if (!district || !access.canAt('targets.read', district.path)) throw new NotFound('district', districtId);
    return { id: district.id, name: district.name };
  }

  async figures(access: AccessContext, yearAsked: number | undefined, districtId: string | undefined, locale: Locale): Promise<BlueBookFigures> {
    const district = await this.districtFor(access, districtId);
    const today = shanghaiDate();
    const thisYear = Number(today.slice(0, 4));
    const year = yearAsked ?? thisYear;
    if (year > thisYear) throw ValidationFailed.field('year', 'YEAR_IN_FUTURE', `year must not be after ${thisYear}`);
    const asOf = year === thisYear ? today : `${year}-12-31`;
    return this.compute(district, year, asOf, year === thisYear, locale);
  }

  async compute(district: { id: string; name: string }, year: number, asOf: string, current: boolean, locale: Locale): Promise<BlueBookFigures> {
    const window = yearWindow(year, asOf);
    const [staff, stageNames, kindergartens, groups, training, mentoring, targets, tiers, contests, lectures] = await Promise.all([
      this.query.staff(district.id, asOf), this.query.stageNames(), this.query.kindergartens(district.id, year, asOf), this.query.groups(district.id),
      this.activity.training(district.id, window), this.activity.mentoring(district.id, window), this.targets.progress(district.id, asOf),
      this.programs.tiers(district.id, window), this.programs.contests(district.id, window), this.programs.lectures(district.id, window),
    ]);
    const standings = await this.compliance.standings(staff.map((s) => s.personId), { asOf });
    const cycle = [...standings.values()].flat().find((r) => r.cycle)?.cycle ?? null;
    return {
      year, asOf, current, district,
      workforce: workforceFigures(staff, stageNames, locale),
      targets: targets.map((t) => ({
        code: t.code, name: locale === 'en' ? t.nameEn : t.nameZh, unit: t.unit, threshold: t.threshold, deadline: t.deadline,
        value: t.unit === 'percent' && t.denominator ? percent(t.numerator, t.denominator) : t.value,
        numerator: t.numerator, denominator: t.denominator, met: t.met, status: t.status,
        statusLabel: translate(locale, `blueBook.targetStatus.${t.status}`),
      })),
      compliance: complianceFigures(staff, (id) => worstStanding(standings.get(id) ?? []),
        cycle && { code: cycle.code, name: locale === 'en' ? cycle.nameEn ?? cycle.name : cycle.name, startsOn: cycle.startsOn, endsOn: cycle.endsOn }, locale),
      training,
      programs: programFigures(tiers, contests, lectures, locale),
      mentoring: { ...mentoring, activitiesTotal: mentoring.activitiesByKind.reduce((s, a) => s + a.count, 0) },
      kindergartens: kindergartenFigures(kindergartens, groups, locale),
    };
  }

  charts(figures: BlueBookFigures, locale: Locale): BlueBookCharts {
    return blueBookCharts(figures, locale);
  }

  /** The book's body as HTML (templates/reports/blue-book.hbs), charts inline. */
  html(figures: BlueBookFigures, locale: Locale): string {
    return this.templates.render('reports/blue-book', this.context(figures, locale));
  }

  /** What both templates render: the figures, the charts and the programs table laid out. */
  private context(figures: BlueBookFigures, locale: Locale) {
    return { locale, ...figures, charts: this.charts(figures, locale), cohortTable: cohortTable(figures.programs.cohorts, locale) };
  }

  /** The book as a PDF with the embedded Chinese font and the charts drawn in; cached per figures (see the class comment). */
  async pdf(figures: BlueBookFigures, locale: Locale): Promise<{ bytes: Buffer; filename: string }> {
    const title = translate(locale, 'blueBook.title');
    const filename = `${figures.district.name}-${title}-${figures.year}.pdf`;
    const key = createHash('sha256').update(JSON.stringify({ locale, figures })).digest('hex');
    const cached = this.pdfs.get(key);
    if (cached) return { bytes: cached, filename };
    const markup = this.templates.render('reports/blue-book.pdf', this.context(figures, locale));
    const bytes = await renderPdf(parsePdfMarkup(markup), { title: `${figures.district.name} ${title} ${figures.year}`, author: translate(locale, 'app.name') });
    this.pdfs.set(key, bytes);
    if (this.pdfs.size > PDF_CACHE_SIZE) this.pdfs.delete(this.pdfs.keys().next().value!);
    return { bytes, filename };
  }
}

/** 1 January to the book's date, in Shanghai time. */
export function yearWindow(year: number, asOf: string): YearWindow {
  const next = new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { fromDate: `${year}-01-01`, toDate: asOf, fromInstant: `${year}-01-01T00:00:00+08:00`, untilInstant: `${next}T00:00:00+08:00` };
}
