import { DomainError, type FieldProblem } from '../../common/errors.js';
import { isTermCode } from './terms.js';
import { MENTOR_ROLES, type MentorRole, type PairingKind, type PairingStatus, type TermPlan } from './mentoring.entities.js';

export interface MentorChoice {
  personId: string;
  role: MentorRole;
}

export interface ProposalInput {
  kind: PairingKind;
  menteePersonId: string;
  mentors: MentorChoice[];
  startsOn?: string;
  endsOn?: string;
  goals: string;
  termPlans?: TermPlan[];
  baseKindergartenId?: string | null;
}

export interface CheckedProposal extends ProposalInput {
  startsOn: string;
  endsOn: string;
  termPlans: TermPlan[];
  baseKindergartenId: string | null;
}

/** Pairings that hold a place against the limits: everything not rejected, ended or cancelled. */
export const OPEN_STATUSES: readonly PairingStatus[] = ['proposed', 'active'];

export const pairingWithSelf = (field: string) =>
  new DomainError('PAIRING_WITH_SELF', 422, 'A person cannot be paired with themselves, nor listed twice as a mentor', { field });
export const menteeMentorLimit = (max: number, current: number) =>
  new DomainError('MENTEE_MENTOR_LIMIT', 422, `The mentee would have more than ${max} mentors (has ${current})`, { max, current }, { max, current });
export const mentorCapacityFull = (personId: string, name: string, max: number) =>
  new DomainError('MENTOR_CAPACITY_FULL', 422, `${name} already mentors ${max} mentees`, { personId, max }, { name, max });
export const alreadyMentor = (personId: string, name: string) =>
  new DomainError('ALREADY_MENTOR', 422, `${name} is already a mentor of this mentee`, { personId }, { name });
export const wrongPairingStatus = (action: string, status: PairingStatus) =>
  new DomainError('PAIRING_WRONG_STATUS', 409, `Cannot ${action} a pairing that is ${status}`, { action, status }, { status });
export const alreadyDecided = (decision: string) =>
  new DomainError('PAIRING_ALREADY_DECIDED', 409, `This kindergarten already decided: ${decision}`, { decision });
export const awaitingConsent = () => new DomainError('PAIRING_AWAITING_CONSENT', 409, 'Every person named must consent before the kindergartens decide');
export const versionConflict = (version: number) =>
  new DomainError('PAIRING_VERSION_CONFLICT', 409, 'The pairing was changed by someone else; reload it and make your change again', { version });

/** `YYYY-MM-DD` one year later; 29 February falls back to 28 February. */
export function oneYearLater(date: string): string {
  const year = Number(date.slice(0, 4)) + 1;
  const monthDay = date.slice(5) === '02-29' ? '02-28' : date.slice(5);
  return `${year}-${monthDay}`;
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
    && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
}

/** Shape problems (400) in one list; then the refusal for a person paired with themselves (422). */
export function checkProposal(input: ProposalInput, today: string): { proposal: CheckedProposal; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const add = (field: string, code: string, message: string) => problems.push({ field, code, message });
  const startsOn = input.startsOn ?? today;
  if (!isDate(startsOn)) add('startsOn', 'date', 'startsOn must be a date YYYY-MM-DD');
  const endsOn = input.endsOn ?? (isDate(startsOn) ? oneYearLater(startsOn) : '');
  if (!isDate(endsOn)) add('endsOn', 'date', 'endsOn must be a date YYYY-MM-DD');
  else if (isDate(startsOn) && endsOn <= startsOn) add('endsOn', 'after_start', 'endsOn must be after startsOn');
  const leads = input.mentors.filter((m) => m.role === 'lead').length;
  if (input.mentors.length === 0) add('mentors', 'required', 'name at least one mentor');
  else if (leads === 0) add('mentors', 'lead_required', 'exactly one mentor must be the lead');
  else if (leads > 1) add('mentors', 'one_lead', 'only one mentor may be the lead');
  input.mentors.forEach((m, i) => {
    if (!MENTOR_ROLES.includes(m.role)) add(`mentors[${i}].role`, 'isIn', `role must be one of ${MENTOR_ROLES.join(', ')}`);
  });
  const baseKindergartenId = input.baseKindergartenId ?? null;
  if (input.kind === 'probation') {
    if (!baseKindergartenId) add('baseKindergartenId', 'required', 'a probation pairing needs a base kindergarten');
    if (input.mentors.length > 1) add('mentors', 'probation_one_mentor', 'a probation pairing has one named mentor');
  } else if (baseKindergartenId) {
    add('baseKindergartenId', 'probation_only', 'only a probation pairing has a base kindergarten');
  }
  const termPlans = input.termPlans ?? [];
  problems.push(...termPlanProblems(termPlans));
  return { proposal: { ...input, startsOn, endsOn, termPlans, baseKindergartenId }, problems };
}

export function termPlanProblems(termPlans: TermPlan[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  termPlans.forEach((p, i) => {
    if (!isTermCode(p?.term)) problems.push({ field: `termPlans[${i}].term`, code: 'term', message: 'term must look like 2026-2027-1' });
    else if (seen.has(p.term)) problems.push({ field: `termPlans[${i}].term`, code: 'duplicate', message: 'each term once' });
    else seen.add(p.term);
    if (typeof p?.plan !== 'string' || !p.plan.trim() || p.plan.length > 5000) {
      problems.push({ field: `termPlans[${i}].plan`, code: 'length', message: 'plan must be 1-5000 characters' });
    }
  });
  return problems;
}

/** The mentee named as a mentor, or one mentor twice. */
export function selfPairingField(menteePersonId: string, mentors: MentorChoice[]): string | null {
  const seen = new Set<string>();
  for (const [i, m] of mentors.entries()) {
    if (m.personId === menteePersonId || seen.has(m.personId)) return `mentors[${i}].personId`;
    seen.add(m.personId);
  }
  return null;
}

/** Each kindergarten that must approve: the mentee's, each mentor's and the base kindergarten, once each. */
export function involvedKindergartens(menteeKindergartenId: string, mentorKindergartenIds: (string | null)[], baseKindergartenId: string | null): string[] {
  return [...new Set([menteeKindergartenId, ...mentorKindergartenIds, baseKindergartenId].filter((id): id is string => !!id))];
}

export type ApprovalOutcome = 'rejected' | 'approved' | 'waiting';

export function approvalOutcome(involved: string[], decisions: { kindergartenId: string; decision: 'approved' | 'rejected' }[]): ApprovalOutcome {
  if (decisions.some((d) => d.decision === 'rejected')) return 'rejected';
  const approved = new Set(decisions.filter((d) => d.decision === 'approved').map((d) => d.kindergartenId));
  return involved.every((id) => approved.has(id)) ? 'approved' : 'waiting';
}

/** People named in a mutual request who have not consented yet. */
export function missingConsents(people: string[], consented: string[]): string[] {
  const given = new Set(consented);
  return people.filter((id) => !given.has(id));
}
