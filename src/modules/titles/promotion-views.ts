import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate, shanghaiDateTime } from '../../common/dates.js';
import { translate } from '../../common/i18n/i18n.js';
import type { Locale } from '../../common/i18n/i18n.js';
import type { ApplicationView } from './title-applications.query.js';
import type { PersonEligibility } from './title-eligibility.service.js';
import type { ConditionResult } from './title-rules.js';

/** A condition as a line: its name, met or not, and "2027-09-01 起满足" or why no date. */
export function conditionRow(c: ConditionResult, locale: Locale) {
  const [kind, arg] = c.code.split(':') as [string, string | undefined];
  const details = c.details as Record<string, unknown>;
  let label: string;
  if (kind === 'certificate') label = translate(locale, 'promotion.condition.certificate', { kind: translate(locale, `people.certificate.${arg}`) });
  else if (kind === 'extra') label = String((locale === 'en' ? details.en : details.zh) ?? arg);
  else label = translate(locale, `promotion.condition.${kind}`, {
    years: String(details.years ?? ''), level: details.educationLevel ? translate(locale, `people.education.${String(details.educationLevel)}`) : '',
    min: details.minEducation ? translate(locale, `people.education.${String(details.minEducation)}`) : '',
  });
  const when = c.met ? translate(locale, 'promotion.met')
    : c.metOn ? translate(locale, 'promotion.metOn', { date: c.metOn })
      : translate(locale, `promotion.reason.${c.reason ?? 'unknown'}`);
  return { code: c.code, label, met: c.met, when, metOn: c.metOn };
}

export function eligibilityView(e: PersonEligibility, locale: Locale) {
  return {
    personId: e.personId, fullName: e.fullName, asOf: e.asOf,
    currentTitle: e.currentTitle, currentSince: e.currentSince, nextTitle: e.nextTitle,
    eligibleNow: e.eligibleNow, eligibleOn: e.eligibleOn,
    summary: !e.nextTitle ? translate(locale, 'promotion.summary.top')
      : e.eligibleNow ? translate(locale, 'promotion.summary.now')
        : e.eligibleOn ? translate(locale, 'promotion.summary.on', { date: e.eligibleOn })
          : translate(locale, 'promotion.summary.unknown'),
    conditions: e.conditions.map((c) => conditionRow(c, locale)),
  };
}

const OPEN = ['draft', 'submitted', 'kindergarten_approved'];

/** The application page: what the caller may do now. */
export function applicationView(app: ApplicationView, access: AccessContext, locale: Locale) {
  const self = access.isSelf(app.personId);
  const reviewer = access.canAt('titles.review', app.kindergartenPath) && !self;
  const dossier = app.dossier as Record<string, unknown> | null;
  const frozen = dossier?.eligibility as PersonEligibility | undefined;
  return {
    ...app,
    openedAt: shanghaiDateTime(app.openedAt), submittedAt: shanghaiDateTime(app.submittedAt),
    kindergartenDecidedAt: shanghaiDateTime(app.kindergartenDecidedAt), districtDecidedAt: shanghaiDateTime(app.districtDecidedAt),
    canEdit: app.status === 'draft' && (self || reviewer),
    canOverride: app.status === 'draft' && reviewer,
    canWithdraw: OPEN.includes(app.status) && self,
    canKindergartenDecide: app.status === 'submitted' && reviewer,
    canDistrictDecide: app.status === 'kindergarten_approved' && access.canAt('titles.decide', app.districtPath) && !self,
    today: shanghaiDate(),
    override: (app.eligibility as Record<string, unknown> | null)?.overrideReason ?? null,
    dossier: dossier && {
      assembledAt: shanghaiDateTime(String(dossier.assembledAt)),
      person: dossier.person, titleHistory: dossier.titleHistory, ledger: dossier.ledger, compliance: dossier.compliance,
      certificates: dossier.certificates, honours: dossier.honours, mentoring: dossier.mentoring, publicLessons: dossier.publicLessons,
      programOutputs: dossier.programOutputs ?? null, contests: dossier.contests ?? null,
      conditions: frozen ? frozen.conditions.map((c) => conditionRow(c, locale)) : [],
    },
  };
}

export function listRow(app: Omit<ApplicationView, 'dossier'>) {
  return { ...app, submittedAt: shanghaiDateTime(app.submittedAt), openedAt: shanghaiDateTime(app.openedAt) };
}
