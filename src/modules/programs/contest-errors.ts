import { DomainError } from '../../common/errors.js';
import type { Post } from '../people/person.entity.js';

const date = (value: Date) => value.toISOString();

export const entryNotYetOpen = (opensAt: Date) =>
  new DomainError('CONTEST_ENTRY_NOT_OPEN', 409, `Entries open at ${date(opensAt)}`, { opensAt: date(opensAt) }, { opensAt: date(opensAt) });
export const entryClosed = (closesAt: Date) =>
  new DomainError('CONTEST_ENTRY_CLOSED', 409, `Entries closed at ${date(closesAt)}`, { closesAt: date(closesAt) }, { closesAt: date(closesAt) });
export const postNotEligible = (post: Post | null, posts: Post[]) =>
  new DomainError('CONTEST_POST_NOT_ELIGIBLE', 409, `This contest is for the posts ${posts.join(', ')}; the person's post is ${post ?? 'none'}`,
    { post, contestPosts: posts }, { post: post ?? '-' });
export const noPersonRecord = () => new DomainError('NO_PERSON_RECORD', 403, 'Only staff with a person record can enter a contest');
export const entryAlreadyJudged = () => new DomainError('CONTEST_ENTRY_JUDGED', 409, 'The entry has been judged; it can no longer be withdrawn');
export const entryWithdrawn = () => new DomainError('CONTEST_ENTRY_WITHDRAWN', 409, 'The entry was withdrawn');
/** Published results are final: a wrong award is not rewritten (its credit and honour are already on the record). */
export const resultsPublished = () => new DomainError('CONTEST_RESULTS_PUBLISHED', 409, 'The results have been published and can no longer be changed');
export const contestNotStarted = () => new DomainError('CONTEST_NOT_PUBLISHED', 409, 'The contest has not been published yet');
export const entriesUnjudged = (count: number) =>
  new DomainError('CONTEST_UNJUDGED_ENTRIES', 409, `${count} entries have no result yet; judge them (award "none" for no prize) first`, { count }, { count });
