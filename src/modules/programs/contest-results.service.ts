import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { LedgerService } from '../credits/ledger.service.js';
import { PersonRecordsService } from '../people/person-records.service.js';
import { contestNotStarted, entriesUnjudged, resultsPublished } from './contest-errors.js';
import { honourNameOf, parseResults, scoreScale } from './contest-rules.js';
import { ContestEntry } from './contest.entities.js';
import { ContestQuery, type ContestEntryRow } from './contest.query.js';
import type { Program } from './programs.entities.js';
import { ProgramsDirectory } from './programs-directory.service.js';

export interface PublishAnswer {
  judged: number;
  prizes: number;
  /** Prizes written to the record by this call (0 when publishing again). */
  recorded: number;
}

/**
 * Judging by district staff and publishing the results. Publishing closes the contest and feeds each
 * prize to the record — a ledger entry under `contest-entry:<id>` and an honour — once, whatever
 * the number of clicks. Published results are final (409): the record already carries them.
 */
@Injectable()
export class ContestResultsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly programs: ProgramsDirectory,
    private readonly query: ContestQuery,
    private readonly ledger: LedgerService,
    private readonly records: PersonRecordsService,
    private readonly audit: AuditService,
  ) {}

  async contestToManage(access: AccessContext, programId: string): Promise<Program> {
    const program = await this.programs.forManager(access, programId);
    if (program.kind !== 'contest') throw new NotFound('program', programId);
    return program;
  }

  /** Saves a results sheet (all lines or none); lines may be changed again until publication. */
  async judge(access: AccessContext, programId: string, raw: unknown): Promise<ContestEntryRow[]> {
    const program = await this.contestToManage(access, programId);
    const { results, problems } = parseResults(raw, scoreScale(program.criteria));
    if (problems.length) throw new ValidationFailed(problems);
    return inTransaction(this.db, async (manager) => {
      // Shares the program row with other judges; publishing takes it exclusively.
      const status = await this.programStatus(manager, programId, 'FOR SHARE');
      if (status === 'draft') throw contestNotStarted();
      if (status === 'closed') throw resultsPublished();
      const repository = manager.getRepository(ContestEntry);
      const found = await repository.find({ where: { programId, id: In(results.map((r) => r.entryId)) }, lock: { mode: 'pessimistic_write' } });
      const byId = new Map(found.map((e) => [e.id, e]));
      const refused: FieldProblem[] = [];
      for (const r of results) {
        const entry = byId.get(r.entryId);
        if (!entry) refused.push({ field: `results[${r.index}].entryId`, code: 'UNKNOWN_ENTRY', message: 'no such entry in this contest' });
        else if (entry.status === 'withdrawn') refused.push({ field: `results[${r.index}].entryId`, code: 'ENTRY_WITHDRAWN', message: 'the entry was withdrawn' });
      }
      if (refused.length) throw new ValidationFailed(refused);
      const judgedAt = new Date();
      for (const r of results) {
        const entry = byId.get(r.entryId)!;
        const before = { status: entry.status, score: entry.score, award: entry.award };
        if (before.status === 'judged' && before.score === r.score && before.award === r.award) continue;
        Object.assign(entry, { status: 'judged', score: r.score, award: r.award, judgedBy: access.userId, judgedAt });
        await manager.save(entry);
        await this.audit.record(access.userId, 'judge', 'contest_entry', entry.id, entry.districtId, before, { status: 'judged', score: r.score, award: r.award }, manager);
      }
      const rows = await this.query.entries(programId, null, manager);
      const ids = new Set(results.map((r) => r.entryId));
      return rows.filter((row) => ids.has(row.id));
    });
  }

  /** Publishes: every active entry must have a result. Publishing again completes anything not yet on the record and writes nothing twice. */
  async publish(access: AccessContext, programId: string): Promise<PublishAnswer> {
    const program = await this.contestToManage(access, programId);
    const pending = await inTransaction(this.db, async (manager) => {
      const status = await this.programStatus(manager, programId, 'FOR UPDATE');
      if (status === 'draft') throw contestNotStarted();
      if (status !== 'closed') {
        const [{ count }]: Array<{ count: number }> = await manager.query(
          `SELECT count(*)::int AS count FROM contest_entry WHERE program_id = $1 AND status = 'entered'`, [programId]);
        if (count > 0) throw entriesUnjudged(count);
        // The contest's own end: results published. (The program row is shared by the programs feature.)
        await manager.query(`UPDATE program SET status = 'closed', updated_at = now(), version = version + 1 WHERE id = $1`, [programId]);
        await this.audit.record(access.userId, 'publish_results', 'program', programId, program.districtId, { status }, { status: 'closed' }, manager);
      }
      const rows: Array<{ id: string }> = await manager.query(
        `SELECT id FROM contest_entry WHERE program_id = $1 AND status = 'judged' AND award <> 'none'
            AND (honour_id IS NULL OR (credit_entry_id IS NULL AND $2::boolean)) ORDER BY created_at`,
        [programId, program.credits > 0 || program.hours > 0]);
      return rows.map((r) => r.id);
    });
    const awardedBy = await this.query.districtName(program.districtId);
    const awardedOn = shanghaiDate();
    let recorded = 0;
    // One transaction per entry: one person's failure does not undo the others, and publishing again finishes the rest.
    for (const entryId of pending) {
      if (await inTransaction(this.db, (manager) => this.feed(manager, program, entryId, access.userId, awardedOn, awardedBy))) recorded += 1;
    }
    const [counts]: Array<{ judged: number; prizes: number }> = await this.db.query(
      `SELECT count(*)::int AS judged, (count(*) FILTER (WHERE award <> 'none'))::int AS prizes FROM contest_entry WHERE program_id = $1 AND status = 'judged'`,
      [programId]);
    return { ...counts, recorded };
  }

  /** One prize onto the record: the ledger entry (when the contest carries credit or hours) and the honour, each only if missing. */
  private async feed(manager: EntityManager, program: Program, entryId: string, actor: string, awardedOn: string, awardedBy: string): Promise<boolean> {
    const entry = await manager.getRepository(ContestEntry).findOne({ where: { id: entryId }, lock: { mode: 'pessimistic_write' } });
    if (!entry || entry.status !== 'judged' || !entry.award || entry.award === 'none') return false;
    const name = honourNameOf(program, entry.award);
    let changed = false;
    if (!entry.creditEntryId && (program.credits > 0 || program.hours > 0)) {
      const { entry: credit } = await this.ledger.recordOnce({
        personId: entry.personId, hours: program.hours, credits: program.credits, category: program.creditCategory, level: program.creditLevel,
        source: 'contest', sourceId: entry.id, sourceKey: `contest-entry:${entry.id}`, title: name, occurredOn: awardedOn,
        recordedBy: actor, approvedBy: actor,
      }, manager);
      entry.creditEntryId = credit.id;
      changed = true;
    }
    if (!entry.honourId) {
      const honour = await this.records.grantHonour(manager, entry.personId, { honour: 'other', name, awardedOn, awardedBy: awardedBy || undefined }, actor,
        { contestEntryId: entry.id, programId: program.id });
      entry.honourId = honour.id;
      changed = true;
    }
    if (changed) await manager.save(entry);
    return changed;
  }

  private async programStatus(manager: EntityManager, programId: string, lock: 'FOR SHARE' | 'FOR UPDATE'): Promise<string> {
    const rows: Array<{ status: string }> = await manager.query(`SELECT status FROM program WHERE id = $1 ${lock}`, [programId]);
    if (!rows[0]) throw new NotFound('program', programId);
    return rows[0].status;
  }
}
