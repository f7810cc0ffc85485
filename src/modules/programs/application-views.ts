import type { ApplicationRow } from './applications.query.js';
import type { ProgramStatus } from './programs.entities.js';

/** Who reads an application: district staff see the selection as it is made; anyone else once the round is closed. */
export type ApplicationReader = 'manager' | 'applicant' | 'nominator' | 'reviewer';

/** The round is closed: results, scores and reserve ranks may be shown to applicants. */
export const roundClosed = (status: ProgramStatus) => status !== 'draft' && status !== 'published';

/** The application as `reader` may see it: before the round closes only district staff see decisions and scores. */
export function applicationFor<T extends ApplicationRow>(row: T, reader: ApplicationReader): T {
  if (reader === 'manager' || roundClosed(row.programStatus)) return row;
  return {
    ...row, status: row.status === 'withdrawn' ? 'withdrawn' : 'submitted', score: null, reviewerCount: null, reserveRank: null, decidedAt: null,
  };
}
