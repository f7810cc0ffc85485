import { addDays, fromShanghaiInput, shanghaiDate, shanghaiInputValue } from '../../common/dates.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { COURSE_LEVELS, CREDIT_CATEGORIES } from '../catalog/catalog.entities.js';
import { HONOURS, TITLES } from '../people/person-records.entity.js';
import { POSTS } from '../people/person.entity.js';
import { COHORT_TIERS, SEED_DEFAULT_MAX_AGE } from './program-rules.js';
import type { Program } from './programs.entities.js';

type Form = Record<string, unknown>;
export const CRITERIA_ROWS = 6;
export const TIER_CHOICES = [...COHORT_TIERS, 'custom', 'contest'] as const;

/** Suggested on a new form: the usual four parts of a 名优教师 selection, 100 points in all. */
const DEFAULT_CRITERIA = [
  { code: 'ethics', nameZh: '师德表现', nameEn: 'Professional ethics', maxScore: '20', weight: '1' },
  { code: 'expertise', nameZh: '专业素养', nameEn: 'Professional expertise', maxScore: '30', weight: '1' },
  { code: 'teaching', nameZh: '教育教学实绩', nameEn: 'Teaching record', maxScore: '30', weight: '1' },
  { code: 'potential', nameZh: '发展潜力', nameEn: 'Potential', maxScore: '20', weight: '1' },
];

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(text).filter(Boolean);
/** A number when the text is one; otherwise the text itself, for the checks to name. */
const num = (value: string) => (value === '' ? undefined : Number.isNaN(Number(value)) ? value : Number(value));

export type ProgramFormValues = ReturnType<typeof formValues>;

/** The form's values as typed (strings and ticked lists), to show the form again exactly as it was sent. */
export function formValues(body: Form) {
  const criteria = Array.from({ length: CRITERIA_ROWS }, (_, i) => ({
    index: i, code: text(body[`criteria.${i}.code`]), nameZh: text(body[`criteria.${i}.nameZh`]), nameEn: text(body[`criteria.${i}.nameEn`]),
    maxScore: text(body[`criteria.${i}.maxScore`]), weight: text(body[`criteria.${i}.weight`]),
  }));
  const fields = ['tier', 'customTier', 'tierNameZh', 'tierNameEn', 'code', 'nameZh', 'nameEn', 'description', 'round', 'cycleYears', 'startsOn', 'endsOn',
    'applicationsOpenAt', 'applicationsCloseAt', 'maxAge', 'minAge', 'minTitle', 'minYearsOfService', 'trimFromReviewers', 'districtQuota',
    'kindergartenQuota', 'groupQuota', 'reserveSize', 'credits', 'hours', 'creditCategory', 'creditLevel', 'honourName'] as const;
  const values = Object.fromEntries(fields.map((f) => [f, text(body[f])])) as Record<(typeof fields)[number], string>;
  return {
    ...values, criteria, posts: list(body.posts), stages: list(body.stages), honours: list(body.honours), contestPosts: list(body.contestPosts),
    noEthicsBlock: body.noEthicsBlock === 'on' || body.noEthicsBlock === 'true',
  };
}

/** A new program's form: a seed program with the suggested age limit, criteria and a month-long window from today. */
export function blankValues(): ProgramFormValues {
  const now = new Date();
  const values = formValues({});
  return {
    ...values, tier: 'seed', maxAge: String(SEED_DEFAULT_MAX_AGE), cycleYears: '3', trimFromReviewers: '5', reserveSize: '0', credits: '0', hours: '0',
    creditCategory: 'practice', creditLevel: 'district', noEthicsBlock: true,
    applicationsOpenAt: `${shanghaiDate(now)}T09:00`, applicationsCloseAt: `${shanghaiDate(addDays(now, 30))}T17:00`,
    criteria: values.criteria.map((c, i) => ({ ...c, ...(DEFAULT_CRITERIA[i] ?? {}) })),
  };
}

/** A stored program as the form shows it. */
export function programValues(p: Program): ProgramFormValues {
  const e = p.eligibility;
  const custom = p.kind === 'cohort' && !(COHORT_TIERS as readonly string[]).includes(p.tier);
  const s = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return {
    ...formValues({}),
    tier: custom ? 'custom' : p.tier, customTier: custom ? p.tier : '', tierNameZh: s(p.tierNameZh), tierNameEn: s(p.tierNameEn), code: p.code,
    nameZh: p.nameZh, nameEn: p.nameEn, description: s(p.description), round: s(p.round), cycleYears: s(p.cycleYears), startsOn: p.startsOn, endsOn: p.endsOn,
    applicationsOpenAt: shanghaiInputValue(p.applicationsOpenAt), applicationsCloseAt: shanghaiInputValue(p.applicationsCloseAt),
    maxAge: s(e.maxAge), minAge: s(e.minAge), minTitle: s(e.minTitle), minYearsOfService: s(e.minYearsOfService), noEthicsBlock: e.noEthicsBlock !== false,
    posts: e.posts ?? [], stages: e.stages ?? [], honours: e.honours ?? [],
    criteria: Array.from({ length: Math.max(CRITERIA_ROWS, p.criteria.length) }, (_, i) => {
      const c = p.criteria[i];
      return { index: i, code: c?.code ?? '', nameZh: c?.nameZh ?? '', nameEn: c?.nameEn ?? '', maxScore: s(c?.maxScore), weight: s(c?.weight) };
    }),
    trimFromReviewers: s(p.trimFromReviewers), districtQuota: s(p.districtQuota), kindergartenQuota: s(p.kindergartenQuota), groupQuota: s(p.groupQuota),
    reserveSize: s(p.reserveSize), credits: s(p.credits), hours: s(p.hours), creditCategory: p.creditCategory, creditLevel: p.creditLevel,
    honourName: s(p.honourName), contestPosts: p.contestPosts,
  };
}

/** The API's input for the form: blank optional fields absent (on edit: cleared), numbers as numbers, rows without a code left out. */
export function programInput(v: ProgramFormValues, editing: boolean): Record<string, unknown> {
  const blank = editing ? null : undefined;
  const optional = (value: string) => (value === '' ? blank : num(value));
  const eligibility: Record<string, unknown> = { noEthicsBlock: v.noEthicsBlock };
  for (const key of ['maxAge', 'minAge', 'minYearsOfService'] as const) if (v[key] !== '') eligibility[key] = num(v[key]);
  if (v.minTitle) eligibility.minTitle = v.minTitle;
  if (v.posts.length) eligibility.posts = v.posts;
  if (v.stages.length) eligibility.stages = v.stages;
  if (v.honours.length) eligibility.honours = v.honours;
  const contest = v.tier === 'contest';
  const input: Record<string, unknown> = {
    kind: contest ? 'contest' : 'cohort', tier: v.tier === 'custom' ? v.customTier : v.tier,
    tierNameZh: v.tier === 'custom' ? v.tierNameZh || blank : blank, tierNameEn: v.tier === 'custom' ? v.tierNameEn || blank : blank,
    code: v.code, nameZh: v.nameZh, nameEn: v.nameEn, description: v.description || blank, round: optional(v.round), cycleYears: num(v.cycleYears),
    startsOn: v.startsOn || undefined, endsOn: v.endsOn || undefined,
    applicationsOpenAt: v.applicationsOpenAt ? fromShanghaiInput(v.applicationsOpenAt) : undefined,
    applicationsCloseAt: v.applicationsCloseAt ? fromShanghaiInput(v.applicationsCloseAt) : undefined,
    eligibility: contest ? {} : eligibility,
    criteria: v.criteria.filter((c) => c.code || c.nameZh || c.nameEn || c.maxScore).map((c) => ({
      code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, maxScore: num(c.maxScore), weight: c.weight === '' ? 1 : num(c.weight),
    })),
    trimFromReviewers: num(v.trimFromReviewers), districtQuota: optional(v.districtQuota), kindergartenQuota: optional(v.kindergartenQuota),
    groupQuota: optional(v.groupQuota), reserveSize: num(v.reserveSize), credits: num(v.credits), hours: num(v.hours),
    creditCategory: v.creditCategory || undefined, creditLevel: v.creditLevel || undefined, honourName: v.honourName || blank,
    contestPosts: contest ? v.contestPosts : [],
  };
  if (editing && !v.endsOn) delete input.endsOn;
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

/** Field messages keyed by the form's own names (`maxAge`, `criteria.0.maxScore`), or null when the error is not about fields. */
export function formErrors(error: unknown, values: ProgramFormValues, locale: Locale): Record<string, string> | null {
  let problems;
  if (error instanceof ValidationFailed) problems = error.problems;
  else if (error instanceof DomainError && error.code === 'PROGRAM_CODE_TAKEN') problems = [{ field: 'code', code: error.code }];
  else if (error instanceof DomainError && error.code === 'CRITERIA_IN_USE') problems = [{ field: 'criteria', code: error.code }];
  else return null;
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    let field = problem.field.replace(/^eligibility\./, '').replace(/\[\d+\]$/, '').replace(/^criteria\[(\d+)\]\.?/, 'criteria.$1.').replace(/\.$/, '');
    if (field === 'tier' && values.tier === 'custom') field = 'customTier';
    if (field.startsWith('criteria.') && !/^criteria\.\d+\.\w+$/.test(field)) field = 'criteria';
    if (errors[field]) continue;
    const key = `programs.problem.${problem.code}`;
    errors[field] = translate(locale, hasTranslation(locale, key) ? key : 'programs.problem.invalid');
  }
  return errors;
}

/** The form's choices, each with whether it is ticked or chosen. */
export function formChoices(v: ProgramFormValues, stages: Array<{ code: string; nameZh: string; nameEn: string }>, locale: Locale) {
  return {
    tiers: TIER_CHOICES.map((t) => ({ value: t, selected: v.tier === t })),
    posts: POSTS.map((p) => ({ value: p, checked: v.posts.includes(p) })),
    contestPosts: POSTS.map((p) => ({ value: p, checked: v.contestPosts.includes(p) })),
    honours: HONOURS.map((h) => ({ value: h, checked: v.honours.includes(h) })),
    stages: stages.map((s) => ({ value: s.code, name: locale === 'en' ? s.nameEn : s.nameZh, checked: v.stages.includes(s.code) })),
    titles: TITLES.map((t) => ({ value: t, selected: v.minTitle === t })),
    creditCategories: CREDIT_CATEGORIES, creditLevels: COURSE_LEVELS,
  };
}
