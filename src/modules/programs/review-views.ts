import { shanghaiDateTime } from '../../common/dates.js';
import type { Locale } from '../../common/i18n/i18n.js';
import type { ReviewsService } from './reviews.service.js';
import type { InboxRow } from './reviews.query.js';
import { STATUS_COLOURS } from './program-views.js';

type Row = Record<string, unknown>;
type Review = Awaited<ReturnType<ReviewsService['review']>>;
const rows = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);

/** The dossier frozen at application, as lists the template can show (absent parts as empty lists). */
export function dossierView(dossier: Record<string, unknown> | null) {
  const d = dossier ?? {};
  const mentoring = (d.mentoring ?? {}) as Row;
  return {
    assembledAt: shanghaiDateTime(typeof d.assembledAt === 'string' ? d.assembledAt : null),
    person: { fullName: '', birthDate: '', educationLevel: '', hireDate: '', post: '', teacherStage: '', kindergarten: '', ...((d.person ?? {}) as Row) },
    titleHistory: rows(d.titleHistory), ledger: rows(d.ledger), certificates: rows(d.certificates), honours: rows(d.honours),
    asMentee: rows(mentoring.asMentee), asMentor: rows(mentoring.asMentor), publicLessons: rows(d.publicLessons),
    outputs: rows(d.programOutputs).map((o) => ({ kind: o.kind ?? 'other', title: o.title ?? '', occurredOn: o.occurred_on ?? '', status: o.status ?? '' })),
    contests: rows(d.contests).map((c) => ({ post: c.post ?? '', award: c.award ?? null, score: c.score ?? null, status: c.status ?? '' })),
  };
}

/** The review page: the application and its dossier, the scoring form (kept as typed after a refusal), the scores the reader may see. */
export function reviewPage(review: Review, locale: Locale, typed: Record<string, string> | null, errors: Record<string, string>, comment: string | null) {
  const { application: a, program } = review;
  const mine = review.myScore;
  return {
    application: {
      ...a, statusColour: STATUS_COLOURS[a.status], createdAt: shanghaiDateTime(a.createdAt),
      programName: locale === 'en' ? a.programNameEn : a.programNameZh,
    },
    program,
    criteria: program.criteria.map((c) => ({
      code: c.code, name: locale === 'en' ? c.nameEn : c.nameZh, maxScore: c.maxScore, weight: c.weight,
      value: typed ? typed[c.code] ?? '' : mine?.scores[c.code] !== undefined ? String(mine.scores[c.code]) : '',
      error: errors[`scores.${c.code}`] ?? null,
    })),
    comment: comment ?? mine?.comment ?? '', commentError: errors.comment ?? null,
    hasErrors: Object.keys(errors).length > 0,
    canScore: review.canScore, assigned: review.assigned,
    myTotal: mine ? mine.total : null,
    scores: review.scores.map((s) => ({
      ...s, updatedAt: shanghaiDateTime(s.updatedAt),
      items: program.criteria.map((c) => ({ name: locale === 'en' ? c.nameEn : c.nameZh, value: s.scores[c.code] ?? '' })),
    })),
    dossier: dossierView(a.dossier),
  };
}

export function inboxRow(row: InboxRow, locale: Locale) {
  return { ...row, programName: locale === 'en' ? row.programNameEn : row.programNameZh, assignedAt: shanghaiDateTime(row.assignedAt), open: row.programStatus === 'published' };
}
