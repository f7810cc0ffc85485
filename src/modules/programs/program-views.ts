import { shanghaiDateTime } from '../../common/dates.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import type { ApplicationRow } from './applications.query.js';
import type { ProgramListRow } from './program-list.query.js';
import { COHORT_TIERS, windowState } from './program-rules.js';
import { ProgramIneligible } from './program-eligibility.service.js';
import type { Program } from './programs.entities.js';

type TierOf = Pick<Program, 'tier' | 'tierNameZh' | 'tierNameEn'>;
const sep = (locale: Locale) => (locale === 'en' ? ', ' : '、');

/** 种子计划 / 拔尖计划 / 领航计划, 业务竞赛, or the district's own tier name. */
export function tierLabel(p: TierOf, locale: Locale): string {
  if ((COHORT_TIERS as readonly string[]).includes(p.tier) || p.tier === 'contest') return translate(locale, `programs.tier.${p.tier}`);
  return (locale === 'en' ? p.tierNameEn : p.tierNameZh) ?? p.tier;
}

export const programName = (p: Pick<Program, 'nameZh' | 'nameEn'>, locale: Locale) => (locale === 'en' ? p.nameEn : p.nameZh);

export const STATUS_COLOURS: Record<string, string> = {
  draft: 'secondary', published: 'success', selection_closed: 'info', running: 'primary', closed: 'dark',
  submitted: 'secondary', withdrawn: 'light', selected: 'success', reserve: 'warning', not_selected: 'secondary',
};

export function listRow(row: ProgramListRow, locale: Locale, now = new Date()) {
  const window = windowState(row, now);
  return {
    ...row, name: programName(row, locale), tierLabel: tierLabel(row, locale), statusColour: STATUS_COLOURS[row.status],
    window: `${shanghaiDateTime(row.applicationsOpenAt)} – ${shanghaiDateTime(row.applicationsCloseAt)}`,
    open: row.status === 'published' && window === 'open',
  };
}

/** Who may apply, in words: one line per condition the program sets. */
export function eligibilityWords(p: Program, stageNames: Map<string, { zh: string; en: string }>, locale: Locale): string[] {
  const e = p.eligibility;
  const words: string[] = [];
  const t = (key: string, params: Record<string, unknown> = {}) => translate(locale, `programs.rule.${key}`, params);
  if (e.minAge !== undefined && e.maxAge !== undefined) words.push(t('ageBetween', { min: e.minAge, max: e.maxAge }));
  else if (e.maxAge !== undefined) words.push(t('maxAge', { max: e.maxAge }));
  else if (e.minAge !== undefined) words.push(t('minAge', { min: e.minAge }));
  if (e.posts?.length) words.push(t('posts', { posts: e.posts.map((x) => translate(locale, `people.post.${x}`)).join(sep(locale)) }));
  if (e.minTitle) words.push(t('minTitle', { title: translate(locale, `people.title.${e.minTitle}`) }));
  if (e.stages?.length) words.push(t('stages', { stages: e.stages.map((x) => (locale === 'en' ? stageNames.get(x)?.en : stageNames.get(x)?.zh) ?? x).join(sep(locale)) }));
  if (e.honours?.length) words.push(t('honours', { honours: e.honours.map((x) => translate(locale, `people.honour.${x}`)).join(sep(locale)) }));
  if (e.minYearsOfService !== undefined) words.push(t('service', { years: e.minYearsOfService }));
  if (e.noEthicsBlock) words.push(t('noEthicsBlock'));
  return words;
}

/** The program page's facts for everyone: tier, round, cycle, window, quotas, what completion earns. */
export function programFacts(p: Program, stageNames: Map<string, { zh: string; en: string }>, locale: Locale, now = new Date()) {
  const quota = (n: number | null) => (n === null ? translate(locale, 'programs.noLimit') : String(n));
  return {
    id: p.id, code: p.code, kind: p.kind, status: p.status, statusColour: STATUS_COLOURS[p.status], name: programName(p, locale),
    tierLabel: tierLabel(p, locale), round: p.round, cycleYears: p.cycleYears, startsOn: p.startsOn, endsOn: p.endsOn, description: p.description,
    window: `${shanghaiDateTime(p.applicationsOpenAt)} – ${shanghaiDateTime(p.applicationsCloseAt)}`, windowState: windowState(p, now),
    eligibility: eligibilityWords(p, stageNames, locale),
    quotas: { district: quota(p.districtQuota), kindergarten: quota(p.kindergartenQuota), group: quota(p.groupQuota), reserve: p.reserveSize },
    credits: p.credits, hours: p.hours, creditCategory: p.creditCategory, creditLevel: p.creditLevel, honourName: p.honourName,
    criteria: p.criteria.map((c) => ({ ...c, name: locale === 'en' ? c.nameEn : c.nameZh })),
    contestPosts: p.contestPosts.map((x) => translate(locale, `people.post.${x}`)).join(sep(locale)),
  };
}

export function applicationRow(a: ApplicationRow, locale: Locale) {
  return {
    ...a, programName: locale === 'en' ? a.programNameEn : a.programNameZh, statusColour: STATUS_COLOURS[a.status],
    createdAt: shanghaiDateTime(a.createdAt), decided: a.status !== 'submitted' && a.status !== 'withdrawn',
  };
}

/** A refusal in the reader's words: every reason of an ineligible person, field messages, or the error's own message. */
export function refusal(error: DomainError, locale: Locale): string {
  if (error instanceof ProgramIneligible) return error.reasons.map((r) => r.message).join(locale === 'en' ? '; ' : '；');
  if (error instanceof ValidationFailed) {
    return error.problems.map((p) => {
      const key = `programs.problem.${p.code}`;
      return `${translate(locale, `programs.field.${p.field.replace(/\[\d+\]$/, '').replace(/^scores\..*/, 'scores')}`)}: ${translate(locale, hasTranslation(locale, key) ? key : 'programs.problem.invalid')}`;
    }).join(locale === 'en' ? '; ' : '；');
  }
  const key = `errors.${error.code}`;
  const text = translate(locale, key, error.params);
  return text === key ? error.message : text;
}

/** A refusal the page shows in place (4xx other than "not found"); anything else goes to the error page. */
export function shownInPlace(error: unknown): error is DomainError {
  return error instanceof DomainError && error.status >= 400 && error.status < 500 && error.status !== 404 && error.status !== 401 && error.status !== 403;
}
