import { requestProblems, requestProposal } from './pairing-request-form.js';

const ME = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const THIRD = '00000000-0000-4000-8000-000000000003';

describe('mutual request form', () => {
  it('makes the requesting mentee the mentee and the people chosen the mentors', () => {
    const input = requestProposal({ role: { [OTHER]: 'lead', [THIRD]: '' }, goals: ' 站稳讲台 ', startsOn: '2026-11-20' }, 'mentee', ME);
    expect(input).toMatchObject({ kind: 'standard', menteePersonId: ME, mentors: [{ personId: OTHER, role: 'lead' }], goals: '站稳讲台', baseKindergartenId: null });
    expect(requestProblems(input, 'mentee')).toEqual([]);
  });

  it('makes a requesting mentor a mentor in the role chosen beside the person marked mentee', () => {
    const input = requestProposal({ role: { [OTHER]: 'mentee', [THIRD]: 'subject' }, myRole: 'lead', goals: '目标' }, 'mentor', ME);
    expect(input.menteePersonId).toBe(OTHER);
    expect(input.mentors).toEqual(expect.arrayContaining([{ personId: ME, role: 'lead' }, { personId: THIRD, role: 'subject' }]));
    expect(input.mentors).toHaveLength(2);
  });

  it('names what is missing: the mentee for a mentor, mentors for a mentee, the goals', () => {
    expect(requestProblems(requestProposal({ role: {}, goals: '' }, 'mentor', ME), 'mentor').map((p) => p.field)).toEqual(['menteePersonId', 'goals']);
    expect(requestProblems(requestProposal({ goals: 'x' }, 'mentee', ME), 'mentee').map((p) => p.field)).toEqual(['mentors']);
  });

  it('does not let a form choose the mentee role when requesting as mentee', () => {
    const input = requestProposal({ role: { [OTHER]: 'mentee' }, goals: 'x' }, 'mentee', ME);
    expect(input.menteePersonId).toBe(ME);
    expect(input.mentors).toEqual([]);
  });
});
