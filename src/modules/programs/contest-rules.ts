import type { FieldProblem } from '../../common/errors.js';
import { CONTEST_AWARDS, type ContestAward } from './contest.entities.js';
import type { ProgramCriterion, ProgramStatus } from './programs.entities.js';

/** Without criteria a contest is scored out of 100; with criteria, out of their summed maxima. */
export const DEFAULT_SCORE_SCALE = 100;
/** The database keeps scores up to 1000 (numeric(6,2)). */
const MAX_SCALE = 1000;

/** The awards that feed the record (a ledger entry and an honour); 'none' records only the result. */
export const PRIZE_AWARDS: readonly ContestAward[] = ['first', 'second', 'third', 'excellence'];
/** How an award reads in the honour's name and the ledger title (stored Chinese, like every honour). */
export const AWARD_NAMES_ZH: Record<ContestAward, string> = { first: '一等奖', second: '二等奖', third: '三等奖', excellence: '优秀奖', none: '未获奖' };

export type EntryWindow = 'not_yet_open' | 'open' | 'closed';

/** Where the entry window stands: the program's application window, and only while the contest is published. */
export function entryWindow(program: { status: ProgramStatus; applicationsOpenAt: Date; applicationsCloseAt: Date }, now: Date): EntryWindow {
  if (program.status === 'draft') return 'not_yet_open';
  if (program.status !== 'published' || now > program.applicationsCloseAt) return 'closed';
  return now < program.applicationsOpenAt ? 'not_yet_open' : 'open';
}

/** Results are published when the contest is closed: closing happens only through publishing. */
export const resultsPublished = (program: { status: ProgramStatus }) => program.status === 'closed';

export function scoreScale(criteria: ProgramCriterion[]): number {
  const sum = criteria.reduce((s, c) => s + (Number.isFinite(c.maxScore) ? c.maxScore : 0), 0);
  return sum > 0 ? Math.min(sum, MAX_SCALE) : DEFAULT_SCORE_SCALE;
}

/** The honour recorded for a prize, e.g. "2026年青浦区保育员技能大赛 一等奖". */
export function honourNameOf(program: { nameZh: string; honourName: string | null }, award: ContestAward): string {
  return `${(program.honourName ?? program.nameZh).trim()} ${AWARD_NAMES_ZH[award]}`.slice(0, 200);
}

export interface ResultInput {
  index: number;
  entryId: string;
  score: number | null;
  award: ContestAward;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELDS = new Set(['entryId', 'score', 'award']);

/** Checks each line of a results sheet, naming problems `results[i].field`; entry-dependent checks come later. */
export function parseResults(raw: unknown, scale: number): { results: ResultInput[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const results: ResultInput[] = [];
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 2000) {
    return { results, problems: [{ field: 'results', code: 'isArray', message: 'results must be a list of 1 to 2000 lines' }] };
  }
  const seen = new Set<string>();
  raw.forEach((item, i) => {
    const at = (field: string) => `results[${i}].${field}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problems.push({ field: `results[${i}]`, code: 'isObject', message: `results[${i}] must be an object` });
      return;
    }
    const line = item as Record<string, unknown>;
    const before = problems.length;
    for (const key of Object.keys(line)) if (!FIELDS.has(key)) problems.push({ field: at(key), code: 'unknown_field', message: `${key} is not a field of a result` });
    const entryId = typeof line.entryId === 'string' && UUID.test(line.entryId) ? line.entryId.toLowerCase() : null;
    if (!entryId) problems.push({ field: at('entryId'), code: 'isUuid', message: 'entryId must be an entry id' });
    else if (seen.has(entryId)) problems.push({ field: at('entryId'), code: 'duplicate', message: 'the same entry is listed twice' });
    else seen.add(entryId);
    const award = line.award;
    if (typeof award !== 'string' || !(CONTEST_AWARDS as readonly string[]).includes(award)) {
      problems.push({ field: at('award'), code: 'isIn', message: `award must be one of ${CONTEST_AWARDS.join(', ')}` });
    }
    const score = line.score === undefined || line.score === null ? null : line.score;
    if (score !== null) {
      if (typeof score !== 'number' || !Number.isFinite(score)) problems.push({ field: at('score'), code: 'isNumber', message: 'score must be a number' });
      else if (score < 0 || score > scale) problems.push({ field: at('score'), code: 'outOfScale', message: `score must be from 0 to ${scale}` });
      else if (Math.abs(score * 100 - Math.round(score * 100)) > 1e-6) problems.push({ field: at('score'), code: 'isNumber', message: 'score takes at most 2 decimal places' });
    }
    if (problems.length === before) results.push({ index: i, entryId: entryId!, score: score as number | null, award: award as ContestAward });
  });
  return { results, problems };
}
