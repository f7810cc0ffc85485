import { shanghaiDateTime } from '../../common/dates.js';
import { ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { CONTEST_AWARDS } from './contest.entities.js';
import type { ContestEntryOut, ContestView } from './contest-reads.service.js';

/** The results sheet as typed: per entry, the score and award fields, and a message per field that was refused. */
export interface SheetForm {
  values: Record<string, { score: string; award: string }>;
  errors: Record<string, { score: string | null; award: string | null }>;
}

export const blankSheet = (): SheetForm => ({ values: {}, errors: {} });

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The lines of a posted sheet: one per entry with an award chosen (or a score typed, so a missing award is named). */
export function sheetLines(body: Record<string, unknown>, entryIds: string[]): { values: SheetForm['values']; lines: Array<Record<string, unknown>>; ids: string[] } {
  const values: SheetForm['values'] = {};
  const lines: Array<Record<string, unknown>> = [];
  const ids: string[] = [];
  for (const id of entryIds) {
    const score = text(body[`score.${id}`]);
    const award = text(body[`award.${id}`]);
    values[id] = { score, award };
    if (!score && !award) continue;
    lines.push({ entryId: id, award: award || undefined, score: score === '' ? null : Number.isNaN(Number(score)) ? score : Number(score) });
    ids.push(id);
  }
  return { values, lines, ids };
}

/** Field messages of a refused sheet, keyed by entry (`results[i]` is the i-th line sent). */
export function sheetErrors(error: unknown, ids: string[], locale: Locale): SheetForm['errors'] | null {
  if (!(error instanceof ValidationFailed)) return null;
  const errors: SheetForm['errors'] = {};
  for (const problem of error.problems) {
    const match = /^results\[(\d+)\]\.(\w+)$/.exec(problem.field);
    const id = match ? ids[Number(match[1])] : undefined;
    if (!id) continue;
    const field = match![2] === 'score' ? 'score' : 'award';
    const key = `contests.problem.${problem.code}`;
    const row = (errors[id] ??= { score: null, award: null });
    row[field] ??= translate(locale, hasTranslation(locale, key) ? key : 'contests.problem.invalid');
  }
  return Object.keys(errors).length ? errors : null;
}

function entryRow(e: ContestEntryOut, view: ContestView, form: SheetForm) {
  const value = form.values[e.id];
  const error = form.errors[e.id];
  return {
    ...e, createdAt: shanghaiDateTime(e.createdAt),
    withdrawable: e.status === 'entered' && !view.resultsPublished,
    sheet: {
      score: value ? value.score : e.score === null ? '' : String(e.score),
      award: value ? value.award : e.award ?? '',
      scoreError: error?.score ?? null, awardError: error?.award ?? null,
    },
  };
}

/** The page model of /programs/:id/contest (the templates are strict: every key present). */
export function contestPage(view: ContestView, form: SheetForm, locale: Locale) {
  const p = view.program;
  const active = view.entries.filter((e) => e.status !== 'withdrawn');
  return {
    title: locale === 'en' ? p.nameEn : p.nameZh,
    program: {
      ...p, name: locale === 'en' ? p.nameEn : p.nameZh,
      opensAt: shanghaiDateTime(p.applicationsOpenAt), closesAt: shanghaiDateTime(p.applicationsCloseAt),
      posts: p.contestPosts.map((post) => translate(locale, `people.post.${post}`)).join(locale === 'en' ? ', ' : '、'),
    },
    window: view.entryWindow, published: view.resultsPublished, scale: view.scoreScale, can: view.can, selfBlocked: view.selfBlocked,
    mine: view.mine ? { ...view.mine, createdAt: shanghaiDateTime(view.mine.createdAt), withdrawable: view.mine.status === 'entered' && !view.resultsPublished } : null,
    entries: view.entries.map((e) => entryRow(e, view, form)),
    sheet: active.map((e) => entryRow(e, view, form)),
    results: view.results,
    candidates: view.candidates,
    awards: CONTEST_AWARDS,
    counts: { active: active.length, judged: active.filter((e) => e.status === 'judged').length },
    sheetFailed: Object.keys(form.errors).length > 0,
  };
}
