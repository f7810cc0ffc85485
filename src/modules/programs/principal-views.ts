import { translate, type Locale } from '../../common/i18n/i18n.js';
import type { CertificateStanding } from './principal-rules.js';
import type { LadderReport, LadderRow } from './principal-ladder.service.js';
import type { TwoCertificatesReport, TwoCertificatesRow } from './two-certificates.service.js';

const STANDING_COLOURS: Record<string, string> = { met: 'success', on_track: 'primary', behind: 'warning', at_risk: 'danger', not_applicable: 'secondary' };

/** The stage names by code in the reader's language. */
function stageNamer(report: LadderReport, locale: Locale) {
  const names = new Map(report.stages.filter((s) => s.code).map((s) => [s.code!, (locale === 'en' ? s.nameEn : s.nameZh) ?? s.code!]));
  return (code: string | null) => (code ? names.get(code) ?? code : translate(locale, 'principals.stage.none'));
}

function ladderRow(row: LadderRow, stageName: (code: string | null) => string, locale: Locale) {
  const s = row.standing;
  const unit = translate(locale, `principals.unit.${s?.unit ?? row.scheme?.unit ?? 'credits'}`);
  return {
    personId: row.personId, fullName: row.fullName, kindergartenName: row.kindergarten.name,
    post: row.post ? translate(locale, `people.post.${row.post}`) : '',
    stage: row.stage ?? 'none', stageName: stageName(row.stage), since: row.since ?? '',
    history: row.history.map((h) => `${stageName(h.stage)} ${h.effectiveDate}`).join(' → '),
    scheme: row.scheme ? (locale === 'en' ? row.scheme.nameEn : row.scheme.nameZh) : '',
    credits: s ? translate(locale, 'principals.ladder.credits', { earned: s.earned, required: s.required, unit }) : '',
    standing: s?.standing ?? null, colour: STANDING_COLOURS[s?.standing ?? 'not_applicable'],
  };
}

export function ladderPage(report: LadderReport, stage: string | null, locale: Locale) {
  const stageName = stageNamer(report, locale);
  const unit = report.orgUnit ? `orgUnit=${report.orgUnit.id}` : '';
  return {
    title: translate(locale, 'principals.ladder.title'),
    asOf: report.asOf, orgUnit: report.orgUnit, total: report.total, stage,
    allHref: `/principals${unit ? `?${unit}` : ''}`,
    certificatesHref: `/principals/two-certificates${report.orgUnit ? `?orgUnit=${report.orgUnit.id}` : ''}`,
    stages: report.stages.map((s) => ({
      code: s.code ?? 'none', name: stageName(s.code), count: s.count,
      href: `/principals?${[unit, `stage=${s.code ?? 'none'}`].filter(Boolean).join('&')}`, active: stage === (s.code ?? 'none'),
    })),
    rows: report.people.map((r) => ladderRow(r, stageName, locale)),
  };
}

function certificateCell(c: CertificateStanding, locale: Locale) {
  const key = `principals.certificate.${c.status}`;
  return { status: c.status, text: c.issuedOn ? translate(locale, key, { date: c.issuedOn }) : translate(locale, key, { date: '' }) };
}

function gapRow(row: TwoCertificatesRow, locale: Locale) {
  return {
    personId: row.personId, fullName: row.fullName, kindergartenName: row.kindergarten.name,
    post: translate(locale, `people.post.${row.post}`), appointedOn: row.appointedOn,
    teacherQualification: certificateCell(row.teacherQualification, locale), principalTraining: certificateCell(row.principalTraining, locale),
    bothNow: row.bothNow,
  };
}

const shareText = (value: number | null) => (value === null ? '—' : `${value}%`);

export function twoCertificatesPage(report: TwoCertificatesReport, locale: Locale) {
  return {
    title: translate(locale, 'principals.certificates.title'),
    asOf: report.asOf, orgUnit: report.orgUnit, total: report.total, threshold: report.target.threshold,
    ladderHref: `/principals${report.orgUnit ? `?orgUnit=${report.orgUnit.id}` : ''}`,
    figures: [
      { key: 'atAppointment', label: translate(locale, 'principals.certificates.atAppointment'), ...report.heldAtAppointment, text: shareText(report.heldAtAppointment.share) },
      { key: 'now', label: translate(locale, 'principals.certificates.now'), ...report.heldNow, text: shareText(report.heldNow.share) },
    ],
    gaps: report.gaps.map((g) => gapRow(g, locale)),
  };
}
