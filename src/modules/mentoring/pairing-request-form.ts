import type { FieldProblem } from '../../common/errors.js';
import { MENTOR_ROLES, type MentorRole } from './mentoring.entities.js';
import type { ProposalInput } from './pairing-rules.js';
import { formProposal } from './pairings-views.js';

type Form = Record<string, unknown>;

/** Which side of the pairing the requesting teacher takes. */
export type RequestSide = 'mentee' | 'mentor';

/** Roles the other people found may be given: a mentee asks for mentors; a mentor names the mentee (and may add co-mentors). */
export const REQUEST_ROLES: Record<RequestSide, readonly string[]> = {
  mentee: MENTOR_ROLES,
  mentor: ['mentee', ...MENTOR_ROLES],
};

/**
 * The request form as the API's proposal: the requester is the mentee, or a mentor with `myRole`
 * beside the person marked `mentee`. Mutual requests are standard pairings (a probation year is the kindergarten's).
 */
export function requestProposal(body: Form, side: RequestSide, myPersonId: string): ProposalInput {
  const given = (body.role && typeof body.role === 'object' ? body.role : {}) as Record<string, unknown>;
  const roles: Record<string, unknown> = {};
  let menteePersonId = side === 'mentee' ? myPersonId : '';
  for (const [personId, role] of Object.entries(given)) {
    if (side === 'mentor' && role === 'mentee') menteePersonId ||= personId;
    else roles[personId] = role;
  }
  if (side === 'mentor') {
    const mine = typeof body.myRole === 'string' && (MENTOR_ROLES as readonly string[]).includes(body.myRole) ? (body.myRole as MentorRole) : 'lead';
    roles[myPersonId] = mine;
  }
  return formProposal({ ...body, kind: 'standard', menteePersonId, role: roles, baseKindergartenId: '' });
}

/** What the form itself must name before the service is asked. */
export function requestProblems(input: ProposalInput, side: RequestSide): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (side === 'mentor' && !input.menteePersonId) problems.push({ field: 'menteePersonId', code: 'required', message: 'choose the mentee' });
  if (side === 'mentee' && !input.mentors.length) problems.push({ field: 'mentors', code: 'required', message: 'choose at least one mentor' });
  if (!input.goals) problems.push({ field: 'goals', code: 'required', message: 'goals are required' });
  return problems;
}
