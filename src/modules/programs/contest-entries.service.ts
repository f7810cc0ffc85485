import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import type { Post } from '../people/person.entity.js';
import { entryAlreadyJudged, entryClosed, entryNotYetOpen, noPersonRecord, postNotEligible } from './contest-errors.js';
import { entryWindow, resultsPublished } from './contest-rules.js';
import { ContestEntry } from './contest.entities.js';
import { ContestQuery, type ContestEntryRow } from './contest.query.js';
import type { Program } from './programs.entities.js';
import { ProgramsDirectory } from './programs-directory.service.js';

export interface EntryAnswer {
  entry: ContestEntryRow;
  /** False when the person already had an active entry, which is answered instead. */
  created: boolean;
}

/** Entering a contest (yourself, or your staff as their kindergarten admin) and withdrawing before judging. */
@Injectable()
export class ContestEntriesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly programs: ProgramsDirectory,
    private readonly people: PeopleDirectory,
    private readonly query: ContestQuery,
    private readonly audit: AuditService,
  ) {}

  /** The contest when the caller may see it (district staff always; its district's staff once published); else 404. */
  async contest(access: AccessContext, programId: string, manager?: EntityManager): Promise<Program> {
    const program = await this.programs.forViewer(access, programId, manager);
    if (program.kind !== 'contest') throw new NotFound('program', programId);
    return program;
  }

  /**
   * Enters the person (the caller when `personId` is absent). Someone else needs `programs.nominate` over
   * their kindergarten. An active entry is answered as it is, so a second click never makes a second row.
   */
  async enter(access: AccessContext, programId: string, personId: string | undefined, now = new Date()): Promise<EntryAnswer> {
    const program = await this.contest(access, programId);
    const who = personId ?? access.personId;
    if (!who) throw noPersonRecord();
    const profile = await this.people.learnerProfile(who);
    if (!profile || (!access.isSelf(who) && !access.canAt('programs.nominate', profile.orgPath)) || profile.districtId !== program.districtId) {
      throw new NotFound('person', who);
    }
    const existing = await this.query.activeEntryId(programId, who);
    if (existing) return { entry: (await this.query.entry(existing))!, created: false };

    const window = entryWindow(program, now);
    if (window === 'not_yet_open') throw entryNotYetOpen(program.applicationsOpenAt);
    if (window === 'closed') throw entryClosed(program.applicationsCloseAt);
    if (!profile.post || !program.contestPosts.includes(profile.post as Post)) throw postNotEligible(profile.post as Post | null, program.contestPosts);

    return inTransaction(this.db, async (manager) => {
      // The partial unique index keeps one active entry per person: a concurrent second click inserts nothing.
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO contest_entry (program_id, person_id, district_id, kindergarten_id, post, status, entered_by)
         VALUES ($1, $2, $3, $4, $5, 'entered', $6)
         ON CONFLICT (program_id, person_id) WHERE status <> 'withdrawn' DO NOTHING RETURNING id`,
        [programId, who, program.districtId, profile.kindergartenId, profile.post, access.userId]);
      const id = inserted[0]?.id ?? (await this.query.activeEntryId(programId, who, manager))!;
      const entry = (await this.query.entry(id, manager))!;
      if (inserted[0]) {
        await this.audit.record(access.userId, 'create', 'contest_entry', id, program.districtId, null,
          { programId, personId: who, post: profile.post, kindergartenId: profile.kindergartenId }, manager);
      }
      return { entry, created: !!inserted[0] };
    });
  }

  /** Withdraws an entry not yet judged: by the entrant, a nominator over their kindergarten, or district staff. Withdrawing twice answers the withdrawn entry. */
  async withdraw(access: AccessContext, entryId: string): Promise<ContestEntryRow> {
    const row = await this.query.entry(entryId);
    if (!row) throw new NotFound('contest_entry', entryId);
    const program = await this.programs.get(row.programId);
    if (!program || !(await this.mayActFor(access, program, row))) throw new NotFound('contest_entry', entryId);
    return inTransaction(this.db, async (manager) => {
      const entry = await manager.getRepository(ContestEntry).findOne({ where: { id: entryId }, lock: { mode: 'pessimistic_write' } });
      if (!entry) throw new NotFound('contest_entry', entryId);
      if (entry.status === 'withdrawn') return (await this.query.entry(entryId, manager))!;
      if (entry.status === 'judged' || resultsPublished(program)) throw entryAlreadyJudged();
      entry.status = 'withdrawn';
      await manager.save(entry);
      await this.audit.record(access.userId, 'withdraw', 'contest_entry', entryId, entry.districtId, { status: 'entered' }, { status: 'withdrawn' }, manager);
      return (await this.query.entry(entryId, manager))!;
    });
  }

  /** The entrant themself, a nominator over the entry's kindergarten, or district staff of the contest. */
  async mayActFor(access: AccessContext, program: Program, entry: Pick<ContestEntryRow, 'personId' | 'orgPath'>): Promise<boolean> {
    if (access.isSelf(entry.personId) || access.canAt('programs.nominate', entry.orgPath)) return true;
    return access.canAt('programs.manage', await this.programs.districtPath(program));
  }
}
