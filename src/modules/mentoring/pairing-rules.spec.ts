import { approvalOutcome, checkProposal, involvedKindergartens, missingConsents, oneYearLater, selfPairingField } from './pairing-rules.js';

const base = { kind: 'standard' as const, menteePersonId: 'mentee', goals: 'g', mentors: [{ personId: 'a', role: 'lead' as const }] };
const fieldsOf = (input: Parameters<typeof checkProposal>[0]) => checkProposal(input, '2026-11-22').problems.map((p) => p.field);

describe('pairing rules', () => {
  it('defaults the period to one year from today', () => {
    expect(checkProposal(base, '2026-11-22').proposal).toMatchObject({ startsOn: '2026-11-22', endsOn: '2027-11-22', termPlans: [], baseKindergartenId: null });
    expect(oneYearLater('2028-02-29')).toBe('2029-02-28');
  });

  it('names the fields of a bad proposal', () => {
    expect(fieldsOf({ ...base, mentors: [] })).toEqual(['mentors']);
    expect(fieldsOf({ ...base, mentors: [{ personId: 'a', role: 'subject' }] })).toEqual(['mentors']);
    expect(fieldsOf({ ...base, mentors: [{ personId: 'a', role: 'lead' }, { personId: 'b', role: 'lead' }] })).toEqual(['mentors']);
    expect(fieldsOf({ ...base, startsOn: '2026-12-01', endsOn: '2026-11-30' })).toEqual(['endsOn']);
    expect(fieldsOf({ ...base, startsOn: '2026-02-30' })).toEqual(['startsOn', 'endsOn']);
    expect(fieldsOf({ ...base, kind: 'probation' })).toEqual(['baseKindergartenId']);
    expect(fieldsOf({ ...base, baseKindergartenId: 'k' })).toEqual(['baseKindergartenId']);
    expect(fieldsOf({ ...base, kind: 'probation', baseKindergartenId: 'k', mentors: [{ personId: 'a', role: 'lead' }, { personId: 'b', role: 'subject' }] })).toEqual(['mentors']);
    expect(fieldsOf({ ...base, termPlans: [{ term: '2026-2027-1', plan: 'x' }, { term: '2026-2027-1', plan: 'y' }, { term: '2026-2028-1', plan: '' }] }))
      .toEqual(['termPlans[1].term', 'termPlans[2].term', 'termPlans[2].plan']);
  });

  it('finds the mentee named as a mentor, or a mentor named twice', () => {
    expect(selfPairingField('m', [{ personId: 'a', role: 'lead' }, { personId: 'm', role: 'subject' }])).toBe('mentors[1].personId');
    expect(selfPairingField('m', [{ personId: 'a', role: 'lead' }, { personId: 'a', role: 'subject' }])).toBe('mentors[1].personId');
    expect(selfPairingField('m', [{ personId: 'a', role: 'lead' }, { personId: 'b', role: 'subject' }])).toBeNull();
  });

  it('needs every involved kindergarten to approve; one rejection decides', () => {
    const involved = involvedKindergartens('k1', ['k2', 'k1', null], 'k3');
    expect(involved).toEqual(['k1', 'k2', 'k3']);
    expect(approvalOutcome(involved, [{ kindergartenId: 'k1', decision: 'approved' }])).toBe('waiting');
    expect(approvalOutcome(involved, involved.map((kindergartenId) => ({ kindergartenId, decision: 'approved' as const })))).toBe('approved');
    expect(approvalOutcome(involved, [{ kindergartenId: 'k1', decision: 'approved' }, { kindergartenId: 'k2', decision: 'rejected' }])).toBe('rejected');
    expect(missingConsents(['m', 'a', 'b'], ['a'])).toEqual(['m', 'b']);
  });
});
