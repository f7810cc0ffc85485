import { completionHonourName, finalOutcome, joiningDay, moveRefusal, normalisedPlan, promotionRefusal, reviewStep } from './cohort-rules.js';
import type { Program } from './programs.entities.js';

const program = (fields: Partial<Program>): Program => ({
  id: 'p', districtId: 'qp', kind: 'cohort', tier: 'seed', round: 8, status: 'running', previousProgramId: null, ...fields,
} as Program);

describe('cohort rules', () => {
  it('moves a member only to another tier of the same round and district while it runs', () => {
    const seed = program({ id: 'seed8' });
    expect(moveRefusal(seed, program({ id: 'talent8', tier: 'talent' }))).toBeNull();
    expect(moveRefusal(seed, program({ id: 'seed8b' }))).toBe('MOVE_SAME_TIER');
    expect(moveRefusal(seed, program({ id: 'talent9', tier: 'talent', round: 9 }))).toBe('MOVE_OTHER_ROUND');
    expect(moveRefusal(seed, program({ id: 'talent8', tier: 'talent', districtId: 'xh' }))).toBe('TRANSFER_OTHER_DISTRICT');
    expect(moveRefusal(seed, program({ id: 'talent8', tier: 'talent', status: 'closed' }))).toBe('TRANSFER_PROGRAM_CLOSED');
    expect(moveRefusal(seed, program({ id: 'contest', tier: 'contest', kind: 'contest' }))).toBe('TRANSFER_NOT_COHORT');
    expect(moveRefusal(program({ id: 'x', round: null }), program({ id: 'y', tier: 'talent', round: null }))).toBe('MOVE_OTHER_ROUND');
  });

  it('promotes to the program that follows this one, or a higher built-in tier of a later round', () => {
    const seed = program({ id: 'seed8' });
    expect(promotionRefusal(seed, program({ id: 'talent9', tier: 'talent', round: 9 }))).toBeNull();
    expect(promotionRefusal(seed, program({ id: 'nav10', tier: 'navigator', round: 10 }))).toBeNull();
    expect(promotionRefusal(seed, program({ id: 'seed9', round: 9, previousProgramId: 'seed8' }))).toBeNull();
    expect(promotionRefusal(seed, program({ id: 'talent8', tier: 'talent', round: 8 }))).toBe('PROMOTE_NOT_NEXT_TIER');
    expect(promotionRefusal(seed, program({ id: 'seed9', round: 9 }))).toBe('PROMOTE_NOT_NEXT_TIER');
    expect(promotionRefusal(program({ id: 'talent8', tier: 'talent' }), program({ id: 'seed9', round: 9 }))).toBe('PROMOTE_NOT_NEXT_TIER');
    expect(promotionRefusal(seed, program({ id: 'custom9', tier: 'backbone', round: 9 }))).toBe('PROMOTE_NOT_NEXT_TIER');
  });

  it('completes on excellent or pass and fails on fail, with the program\'s honour name or 「结业」', () => {
    expect([finalOutcome('excellent'), finalOutcome('pass'), finalOutcome('fail')]).toEqual(['completed', 'completed', 'failed']);
    expect(completionHonourName({ honourName: '青浦区第八届种子计划学员', nameZh: '种子计划' })).toBe('青浦区第八届种子计划学员');
    expect(completionHonourName({ honourName: ' ', nameZh: '青浦区第八届种子计划' })).toBe('青浦区第八届种子计划结业');
  });

  it('keeps every plan part, changing only those given', () => {
    expect(normalisedPlan({ goals: ' 目标 ' }, { basis: '基础' })).toEqual({ basis: '基础', goals: '目标', content: '', schedule: '', expectedOutputs: '' });
  });

  it('joins a moved or promoted member today, or when the target starts', () => {
    expect(joiningDay('2026-05-01', { startsOn: '2026-01-01' })).toBe('2026-05-01');
    expect(joiningDay('2026-05-01', { startsOn: '2026-09-01' })).toBe('2026-09-01');
  });

  it('treats the same review again as a repeat and refuses to undo a decision', () => {
    expect(reviewStep('accepted', 'accepted', null, null)).toBe('repeat');
    expect(reviewStep('returned', 'returned', '补充', '补充')).toBe('repeat');
    expect(reviewStep('submitted', 'accepted', null, null)).toBeNull();
    expect(() => reviewStep('accepted', 'returned', '改', null)).toThrow(expect.objectContaining({ code: 'OUTPUT_ALREADY_ACCEPTED' }));
    expect(() => reviewStep('returned', 'accepted', null, '补充')).toThrow(expect.objectContaining({ code: 'OUTPUT_RETURNED' }));
  });
});
