import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import type { Post } from '../people/person.entity.js';
import { ContestEntriesService } from './contest-entries.service.js';
import { entryWindow, PRIZE_AWARDS, resultsPublished, scoreScale, type EntryWindow } from './contest-rules.js';
import { ContestQuery, type ContestCandidate, type ContestEntryRow, type MyContestEntryRow } from './contest.query.js';
import type { Program } from './programs.entities.js';
import { ProgramsDirectory } from './programs-directory.service.js';

/** An entry as a caller sees it: the score and award stay hidden until publication, except from the judges. */
export interface ContestEntryOut {
  id: string;
  programId: string;
  personId: string;
  personName: string;
  kindergartenId: string | null;
  kindergartenName: string | null;
  post: string;
  status: string;
  score: number | null;
  award: string | null;
  judgedAt: Date | null;
  creditEntryId: string | null;
  honourId: string | null;
  createdAt: Date;
}

export interface ContestView {
  program: Pick<Program, 'id' | 'code' | 'nameZh' | 'nameEn' | 'description' | 'status' | 'districtId' | 'contestPosts' | 'applicationsOpenAt'
    | 'applicationsCloseAt' | 'credits' | 'hours' | 'creditCategory' | 'creditLevel' | 'honourName'>;
  entryWindow: EntryWindow;
  resultsPublished: boolean;
  scoreScale: number;
  can: { enter: boolean; nominate: boolean; judge: boolean; publish: boolean };
  /** Why the caller cannot enter themself (their post), when the window is open and they have no entry. */
  selfBlocked: 'noPerson' | 'post' | null;
  mine: ContestEntryOut | null;
  /** Judges: every entry; nominators: their kindergartens' entries; others: none. */
  entries: ContestEntryOut[];
  /** After publication: the prizes, best first. */
  results: ContestEntryOut[] | null;
  /** People a nominator could still enter while the window is open. */
  candidates: ContestCandidate[];
}

export function entryOut(row: ContestEntryRow, showResult: boolean): ContestEntryOut {
  return {
    id: row.id, programId: row.programId, personId: row.personId, personName: row.personName, kindergartenId: row.kindergartenId,
    kindergartenName: row.kindergartenName, post: row.post, status: row.status,
    score: showResult ? row.score : null, award: showResult ? row.award : null, judgedAt: showResult ? row.judgedAt : null,
    creditEntryId: showResult ? row.creditEntryId : null, honourId: showResult ? row.honourId : null, createdAt: row.createdAt,
  };
}

/** What the contest page and `GET /api/programs/:id/contest` show to each caller. */
@Injectable()
export class ContestReadsService {
  constructor(
    private readonly entries: ContestEntriesService,
    private readonly programs: ProgramsDirectory,
    private readonly people: PeopleDirectory,
    private readonly query: ContestQuery,
  ) {}

  async view(access: AccessContext, programId: string, now = new Date()): Promise<ContestView> {
    const program = await this.entries.contest(access, programId);
    const districtPath = await this.programs.districtPath(program);
    const judge = access.canAt('programs.manage', districtPath);
    const nominatePaths = access.scopePaths('programs.nominate').filter((p) => p.startsWith(districtPath) || districtPath.startsWith(p));
    const published = resultsPublished(program);
    const window = entryWindow(program, now);
    const [all, profile] = await Promise.all([
      this.query.entries(programId, null),
      access.personId ? this.people.learnerProfile(access.personId) : Promise.resolve(null),
    ]);
    const rows = judge ? all : all.filter((r) => nominatePaths.some((p) => r.orgPath.startsWith(p)));
    const mineRow = all.find((r) => r.personId === access.personId && r.status !== 'withdrawn') ?? null;
    const eligiblePost = !!profile?.post && program.contestPosts.includes(profile.post as Post);
    const open = window === 'open';
    const candidates = open && nominatePaths.length ? await this.query.candidates(programId, program.districtId, program.contestPosts, nominatePaths) : [];
    return {
      program: {
        id: program.id, code: program.code, nameZh: program.nameZh, nameEn: program.nameEn, description: program.description, status: program.status,
        districtId: program.districtId, contestPosts: program.contestPosts, applicationsOpenAt: program.applicationsOpenAt,
        applicationsCloseAt: program.applicationsCloseAt, credits: program.credits, hours: program.hours, creditCategory: program.creditCategory,
        creditLevel: program.creditLevel, honourName: program.honourName,
      },
      entryWindow: window, resultsPublished: published, scoreScale: scoreScale(program.criteria),
      can: {
        enter: open && !mineRow && eligiblePost && profile?.districtId === program.districtId,
        nominate: open && nominatePaths.length > 0,
        judge: judge && !published && program.status !== 'draft',
        publish: judge && program.status !== 'draft',
      },
      selfBlocked: open && !mineRow ? (!profile ? 'noPerson' : !eligiblePost ? 'post' : null) : null,
      mine: mineRow ? entryOut(mineRow, published || judge) : null,
      entries: rows.map((r) => entryOut(r, published || judge)),
      results: published ? all.filter((r) => r.status === 'judged' && PRIZE_AWARDS.includes(r.award!)).map((r) => entryOut(r, true)) : null,
      candidates,
    };
  }

  /** The caller's own entries in every contest, each result shown once published. */
  async mine(access: AccessContext): Promise<Array<ContestEntryOut & { programCode: string; programNameZh: string; programNameEn: string }>> {
    if (!access.personId) return [];
    const rows: MyContestEntryRow[] = await this.query.ofPerson(access.personId);
    return rows.map((r) => ({ ...entryOut(r, r.programStatus === 'closed'), programCode: r.programCode, programNameZh: r.programNameZh, programNameEn: r.programNameEn }));
  }
}
