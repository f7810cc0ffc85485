import { DomainError, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { MENTOR_ROLES, type MentorRole } from './mentoring.entities.js';
import type { ProposalInput } from './pairing-rules.js';
import type { PairingRow } from './pairings.query.js';
import { nextTerm, termOf } from './terms.js';

type Form = Record<string, unknown>;

const STATUS_COLOURS: Record<string, string> = { proposed: 'warning', active: 'success', rejected: 'danger', ended: 'secondary', cancelled: 'secondary' };

export function rowView(row: PairingRow) {
  return {
    ...row, side: row.as ?? null, statusColour: STATUS_COLOURS[row.status] ?? 'secondary',
    mentorList: row.mentors.map((m) => ({ ...m, lead: m.role === 'lead' })),
  };
}

/** The two terms of the agreement's first year, for the plan fields of the proposal form. */
export function planTerms(startsOn: string): string[] {
  const first = termOf(startsOn);
  return [first, nextTerm(first)];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The proposal form as the API's input: mentors are the suggestions given a role. */
export function formProposal(body: Form): ProposalInput {
  const roles = (body.role && typeof body.role === 'object' ? body.role : {}) as Record<string, unknown>;
  const mentors = Object.entries(roles)
    .filter(([, role]) => typeof role === 'string' && (MENTOR_ROLES as readonly string[]).includes(role))
    .map(([personId, role]) => ({ personId, role: role as MentorRole }));
  const plans = (body.plan && typeof body.plan === 'object' ? body.plan : {}) as Record<string, unknown>;
  const termPlans = Object.entries(plans).map(([term, plan]) => ({ term, plan: text(plan) })).filter((p) => p.plan);
  return {
    kind: body.kind === 'probation' ? 'probation' : 'standard',
    menteePersonId: text(body.menteePersonId),
    mentors,
    startsOn: text(body.startsOn) || undefined,
    endsOn: text(body.endsOn) || undefined,
    goals: text(body.goals),
    termPlans,
    baseKindergartenId: body.kind === 'probation' ? text(body.baseKindergartenId) || null : null,
  };
}

/** Missing basics named before the service is asked, so the form answers in the reader's words. */
export function formProblems(input: ProposalInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!input.menteePersonId) problems.push({ field: 'menteePersonId', code: 'required', message: 'choose a mentee' });
  if (!input.goals) problems.push({ field: 'goals', code: 'required', message: 'goals are required' });
  return problems;
}

/** A refusal as the page shows it: a summary line and messages per form field. */
export function errorView(error: unknown, locale: Locale): { message: string; fields: Record<string, string> } | null {
  if (!(error instanceof DomainError)) return null;
  if (error.status >= 500 || error.status === 404) return null;
  if (error instanceof ValidationFailed) {
    const fields: Record<string, string> = {};
    for (const p of error.problems) {
      // `mentors[0].personId` is shown beside the mentors as a whole.
      const key = p.field.replace(/\[\d+\].*$/, '');
      const translated = translate(locale, `pairings.problem.${p.code}`);
      fields[key] ??= translated === `pairings.problem.${p.code}` ? p.message : translated;
    }
    return { message: translate(locale, 'pairings.form.fixFields'), fields };
  }
  const key = `errors.${error.code}`;
  const translated = translate(locale, key, error.params);
  return { message: translated === key ? error.message : translated, fields: {} };
}
