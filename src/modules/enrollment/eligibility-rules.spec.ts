import { enrolmentBlocks, type EnrolmentFacts } from './eligibility-rules.js';

const now = new Date('2026-11-23T02:00:00Z');
const open: EnrolmentFacts = {
  audienceMisses: [], enrolOpensAt: new Date('2026-11-01T00:00:00Z'), enrolClosesAt: new Date('2026-12-01T00:00:00Z'),
  completed: false, ethicsBlocked: false, noShowBlocked: false,
};

describe('the enrolment rules', () => {
  it('lets a person in the audience ask inside the window when nothing blocks them', () => {
    expect(enrolmentBlocks(open, now)).toEqual([]);
    // The window's ends are inside it.
    expect(enrolmentBlocks({ ...open, enrolOpensAt: now, enrolClosesAt: now }, now)).toEqual([]);
  });

  it('names every block, in the order they are reported', () => {
    expect(enrolmentBlocks({
      audienceMisses: [{ dimension: 'posts', allowed: ['principal'] }],
      enrolOpensAt: new Date('2026-12-01T00:00:00Z'), enrolClosesAt: new Date('2026-11-22T00:00:00Z'),
      completed: true, ethicsBlocked: true, noShowBlocked: true,
    }, now)).toEqual(['NOT_IN_AUDIENCE', 'ENROLLMENT_NOT_OPEN', 'ENROLLMENT_CLOSED', 'ALREADY_COMPLETED', 'ETHICS_BLOCKED', 'NO_SHOW_BLOCKED']);
    expect(enrolmentBlocks({ ...open, enrolClosesAt: new Date(now.getTime() - 1) }, now)).toEqual(['ENROLLMENT_CLOSED']);
    expect(enrolmentBlocks({ ...open, noShowBlocked: true }, now)).toEqual(['NO_SHOW_BLOCKED']);
  });
});
