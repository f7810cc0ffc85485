import { translate, type Locale } from '../../common/i18n/i18n.js';
import { barChart, pieChart, type ChartDatum } from './blue-book-charts.js';
import type { BlueBookFigures } from './blue-book.service.js';
import type { Share } from './blue-book-views.js';

/** Every chart of the book as SVG; null where there is nothing to draw (the template says so instead). */
export interface BlueBookCharts {
  titles: string | null;
  education: string | null;
  teacherStages: string | null;
  principalStages: string | null;
  posts: string | null;
  targets: string | null;
  compliance: string | null;
  activities: string | null;
  programMembers: string | null;
  ownership: string | null;
  grades: string | null;
  groups: string | null;
}

const data = (shares: Share[], dropEmpty = false): ChartDatum[] =>
  shares.filter((s) => !dropEmpty || s.count > 0).map((s) => ({ label: s.label, value: s.count }));
const drawable = (points: ChartDatum[]) => points.some((p) => p.value > 0);

export function blueBookCharts(f: BlueBookFigures, locale: Locale): BlueBookCharts {
  const t = (key: string) => translate(locale, key);
  const bar = (key: string, points: ChartDatum[], percent = false) => (drawable(points) ? barChart({ title: t(key), data: points, percent }) : null);
  const pie = (key: string, points: ChartDatum[]) => (drawable(points) ? pieChart({ title: t(key), data: points }) : null);
  const percentTargets = f.targets.filter((x) => x.unit === 'percent');
  return {
    titles: bar('blueBook.chart.titles', data(f.workforce.byTitle)),
    education: pie('blueBook.chart.education', data(f.workforce.byEducation, true)),
    teacherStages: pie('blueBook.chart.teacherStages', data(f.workforce.byTeacherStage, true)),
    principalStages: pie('blueBook.chart.principalStages', data(f.workforce.byPrincipalStage, true)),
    posts: f.workforce.total ? barChart({ title: t('blueBook.chart.posts'), data: data(f.workforce.byPost, true), horizontal: true }) : null,
    targets: percentTargets.length ? barChart({ title: t('blueBook.chart.targets'), data: percentTargets.map((x) => ({ label: x.name, value: x.value })), percent: true, horizontal: true, labelWidth: 200 }) : null,
    compliance: f.compliance.total.people
      ? barChart({
        title: t('blueBook.chart.compliance'), percent: true,
        data: [...f.compliance.byOwnership.filter((o) => o.people > 0).map((o) => ({ label: o.label, value: o.share })), { label: t('blueBook.all'), value: f.compliance.total.share }],
      })
      : null,
    activities: bar('blueBook.chart.activities', f.mentoring.activitiesByKind.map((a) => ({ label: t(`blueBook.activity.${a.kind}`), value: a.count }))),
    programMembers: bar('blueBook.chart.programMembers', f.programs.cohorts.tiers.map((x) => ({ label: x.label, value: x.activeMembers }))),
    ownership: pie('blueBook.chart.ownership', data(f.kindergartens.byOwnership, true)),
    grades: bar('blueBook.chart.grades', data(f.kindergartens.byGrade)),
    groups: bar('blueBook.chart.groups', f.kindergartens.groups.map((g) => ({ label: g.name, value: g.members }))),
  };
}
