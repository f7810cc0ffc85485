import { finishedTermsBetween, isTermCode, nextTerm, termEnd, termHasFinished, termHasStarted, termOf, termStart, termsBetween } from './terms.js';

describe('school terms', () => {
  it('places a date in its term, the school year starting on 1 September', () => {
    expect(termOf('2026-09-01')).toBe('2026-2027-1');
    expect(termOf('2026-11-25')).toBe('2026-2027-1');
    expect(termOf('2027-01-31')).toBe('2026-2027-1');
    expect(termOf('2027-02-01')).toBe('2026-2027-2');
    expect(termOf('2027-08-31')).toBe('2026-2027-2');
    expect(termOf('2026-08-31')).toBe('2025-2026-2');
  });

  it('answers a term\'s first and last day, February 29 included', () => {
    expect([termStart('2026-2027-1'), termEnd('2026-2027-1')]).toEqual(['2026-09-01', '2027-01-31']);
    expect([termStart('2027-2028-2'), termEnd('2027-2028-2')]).toEqual(['2028-02-01', '2028-08-31']);
    expect(termOf('2028-02-29')).toBe('2027-2028-2');
  });

  it('knows whether a term has started or finished', () => {
    expect(termHasStarted('2026-2027-2', '2026-11-25')).toBe(false);
    expect(termHasStarted('2026-2027-1', '2026-09-01')).toBe(true);
    expect(termHasFinished('2026-2027-1', '2027-01-31')).toBe(false);
    expect(termHasFinished('2026-2027-1', '2027-02-01')).toBe(true);
  });

  it('accepts only well-formed codes of consecutive years', () => {
    expect(isTermCode('2026-2027-1')).toBe(true);
    expect(isTermCode('2026-2028-1')).toBe(false);
    expect(isTermCode('2026-2027-3')).toBe(false);
    expect(isTermCode(20262027)).toBe(false);
    expect(() => termStart('autumn')).toThrow();
  });

  it('lists the terms a period touches and those already over', () => {
    expect(nextTerm('2026-2027-2')).toBe('2027-2028-1');
    expect(termsBetween('2026-03-01', '2027-02-28')).toEqual(['2025-2026-2', '2026-2027-1', '2026-2027-2']);
    expect(termsBetween('2027-01-01', '2026-01-01')).toEqual([]);
    expect(finishedTermsBetween('2026-03-01', '2027-02-28', '2026-11-25')).toEqual(['2025-2026-2']);
  });
});
