import { addMonths, sanctionDates, sanctionStatus } from './ethics-rules.js';

describe('ethics sanction dates', () => {
  it('defaults the sanction to its kind and blocks eligibility for at least 24 months', () => {
    expect(sanctionDates({ kind: 'warning', decidedOn: '2026-03-01' })).toEqual({ dates: { sanctionUntil: '2026-09-01', blocksUntil: '2028-03-01' }, problems: [] });
    expect(sanctionDates({ kind: 'demerit', decidedOn: '2026-03-01' }).dates).toEqual({ sanctionUntil: '2027-03-01', blocksUntil: '2028-03-01' });
    expect(sanctionDates({ kind: 'demotion_or_removal', decidedOn: '2026-03-01' }).dates).toEqual({ sanctionUntil: '2028-03-01', blocksUntil: '2028-03-01' });
    expect(sanctionDates({ kind: 'dismissal', decidedOn: '2026-03-01' }).dates).toEqual({ sanctionUntil: null, blocksUntil: '9999-12-31' });
  });

  it('keeps a longer sanction end and block given, and the block never ends before the sanction', () => {
    expect(sanctionDates({ kind: 'demerit', decidedOn: '2026-03-01', sanctionUntil: '2028-09-01' }).dates)
      .toEqual({ sanctionUntil: '2028-09-01', blocksUntil: '2028-09-01' });
    expect(sanctionDates({ kind: 'warning', decidedOn: '2026-03-01', blocksUntil: '2029-01-01' }).dates.blocksUntil).toBe('2029-01-01');
  });

  it('names the field of an end before the start, a dismissal with an end and a block shorter than 24 months', () => {
    const fields = (input: Parameters<typeof sanctionDates>[0]) => sanctionDates(input).problems.map((p) => [p.field, p.code]);
    expect(fields({ kind: 'warning', decidedOn: '2026-03-01', sanctionUntil: '2026-02-28' })).toEqual([['sanctionUntil', 'END_BEFORE_START']]);
    expect(fields({ kind: 'dismissal', decidedOn: '2026-03-01', sanctionUntil: '2027-03-01' })).toEqual([['sanctionUntil', 'DISMISSAL_HAS_NO_END']]);
    expect(fields({ kind: 'warning', decidedOn: '2026-03-01', blocksUntil: '2027-03-01' })).toEqual([['blocksUntil', 'BLOCK_TOO_SHORT']]);
    expect(fields({ kind: 'warning', decidedOn: '2026-03-01', blocksUntil: '2025-03-01' })).toEqual([['blocksUntil', 'END_BEFORE_START']]);
  });

  it('adds months keeping the day where the month has it', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
  });

  it('tells active, ended and revoked apart', () => {
    expect(sanctionStatus({ revokedAt: null, blocksUntil: '2028-03-01' }, '2028-03-01')).toBe('active');
    expect(sanctionStatus({ revokedAt: null, blocksUntil: '2028-03-01' }, '2028-03-02')).toBe('ended');
    expect(sanctionStatus({ revokedAt: new Date(), blocksUntil: '2028-03-01' }, '2027-01-01')).toBe('revoked');
  });
});
