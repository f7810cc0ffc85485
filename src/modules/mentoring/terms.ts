/**
 * School terms: the school year starts on 1 September; term 1 runs September to January, term 2
 * February to August. A term's code is `YYYY-YYYY-T`, e.g. `2026-2027-1` (autumn 2026).
 */
export const TERM_CODE = /^(\d{4})-(\d{4})-([12])$/;

export function isTermCode(value: unknown): value is string {
  const match = typeof value === 'string' ? TERM_CODE.exec(value) : null;
  return !!match && Number(match[2]) === Number(match[1]) + 1;
}

/** The term a date (YYYY-MM-DD) falls in. */
export function termOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (month >= 9) return `${year}-${year + 1}-1`;
  if (month === 1) return `${year - 1}-${year}-1`;
  return `${year - 1}-${year}-2`;
}

function parts(code: string): { startYear: number; term: 1 | 2 } {
  if (!isTermCode(code)) throw new Error(`not a term code: ${code}`);
  return { startYear: Number(code.slice(0, 4)), term: code.endsWith('-1') ? 1 : 2 };
}

/** The term's first day. */
export function termStart(code: string): string {
  const { startYear, term } = parts(code);
  return term === 1 ? `${startYear}-09-01` : `${startYear + 1}-02-01`;
}

/** The term's last day. */
export function termEnd(code: string): string {
  const { startYear, term } = parts(code);
  return term === 1 ? `${startYear + 1}-01-31` : `${startYear + 1}-08-31`;
}

export function termHasStarted(code: string, today: string): boolean {
  return termStart(code) <= today;
}

/** A term has finished once its last day is over. */
export function termHasFinished(code: string, today: string): boolean {
  return termEnd(code) < today;
}

export function nextTerm(code: string): string {
  const { startYear, term } = parts(code);
  return term === 1 ? `${startYear}-${startYear + 1}-2` : `${startYear + 1}-${startYear + 2}-1`;
}

/** Every term that shares at least one day with the period from `from` to `to` (inclusive), in order. */
export function termsBetween(from: string, to: string): string[] {
  if (to < from) return [];
  const terms: string[] = [];
  for (let code = termOf(from); termStart(code) <= to; code = nextTerm(code)) terms.push(code);
  return terms;
}

/** Terms of a period that are over by `today`: each needs an accepted review. */
export function finishedTermsBetween(from: string, to: string, today: string): string[] {
  return termsBetween(from, to).filter((code) => termHasFinished(code, today));
}
