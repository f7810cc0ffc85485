import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Conflict, DomainError, NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { AuditService } from '../audit/audit.service.js';
import { ApplicationsQuery } from './applications.query.js';
import { ProgramNotifier } from './program-notifier.service.js';
import { programView } from './program-definitions.service.js';
import { windowState } from './program-rules.js';
import { ProgramsDirectory } from './programs-directory.service.js';
import { Program, type ProgramApplicationStatus } from './programs.entities.js';
import { ReviewsQuery } from './reviews.query.js';
import { ReviewsService, roundIsClosed } from './reviews.service.js';
import { quotasOf, SelectionReserveService } from './selection-reserve.service.js';
import { quotaBreach, quotaUsage, rank, suggestSelection, type QuotaBreach } from './selection-rules.js';
import { SelectionQuery, type BoardRow } from './selection.query.js';

export const DECISIONS = ['selected', 'reserve', 'not_selected', 'submitted'] as const;
export type Decision = (typeof DECISIONS)[number];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Target { status: ProgramApplicationStatus; reserveRank: number | null }

/** Selection: the board ranked by score with quota use, decisions within quotas and the reserve list, closing the round. */
@Injectable()
export class SelectionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly directory: ProgramsDirectory,
    private readonly query: SelectionQuery,
    private readonly applications: ApplicationsQuery,
    private readonly reviewsQuery: ReviewsQuery,
    private readonly reviews: ReviewsService,
    private readonly reserve: SelectionReserveService,
    private readonly notifier: ProgramNotifier,
    private readonly audit: AuditService,
  ) {}

  async board(access: AccessContext, programId: string) {
    const program = await this.directory.forManager(access, programId);
    const rows = rank(await this.query.rows(programId));
    const assignments = await this.reviewsQuery.assignments(programId);
    const selected = rows.filter((r) => r.status === 'selected');
    const usage = quotaUsage(selected, quotasOf(program));
    const names = new Map(rows.flatMap((r) => [[r.kindergartenId, r.kindergartenName], [r.groupId, r.groupName]] as Array<[string | null, string | null]>));
    const named = <T extends { unitId: string }>(list: T[]) => list.map((u) => ({ ...u, name: names.get(u.unitId) ?? '' }));
    return {
      program: programView(program),
      rows: rows.map((r, i) => ({ ...r, position: i + 1, reviewers: assignments.filter((a) => a.applicationId === r.id) })),
      quotas: { district: usage.district, kindergartens: named(usage.kindergartens), groups: named(usage.groups) },
      reserve: { used: rows.filter((r) => r.status === 'reserve').length, size: program.reserveSize },
      suggestion: suggestSelection(rows, quotasOf(program), program.reserveSize),
      reviewerChoices: await this.reviewsQuery.reviewerChoices(await this.directory.districtPath(program)),
    };
  }

  /** One application's decision; a reserve place goes to the end of the list. Over a quota or a full reserve: 409, nothing written. */
  async decide(access: AccessContext, applicationId: string, body: Record<string, unknown>) {
    const decision = body.decision as Decision;
    if (!(DECISIONS as readonly unknown[]).includes(decision)) throw ValidationFailed.field('decision', 'isIn', `decision must be one of ${DECISIONS.join(', ')}`);
    const app = await this.applications.detail(applicationId);
    if (!app || !access.canAt('programs.manage', app.districtPath)) throw new NotFound('program_application', applicationId);
    await this.write(access, app.programId, (rows, program) => {
      const target = rows.find((r) => r.id === applicationId);
      if (!target) throw new Conflict('APPLICATION_WITHDRAWN', 'The application was withdrawn');
      const desired = new Map<string, Target>(rows.map((r) => [r.id, { status: r.status, reserveRank: r.reserveRank }]));
      if (target.status !== decision) {
        const last = Math.max(0, ...rows.filter((r) => r.status === 'reserve').map((r) => r.reserveRank ?? 0));
        desired.set(applicationId, { status: decision, reserveRank: decision === 'reserve' ? last + 1 : null });
      }
      this.checkLimits(rows, desired, program, access.locale);
      return desired;
    });
    return (await this.applications.detail(applicationId))!;
  }

  /** The whole selection at once (e.g. the suggestion): `selected`, `reserve` in rank order, `notSelected`; everyone else undecided. */
  async setSelection(access: AccessContext, programId: string, body: Record<string, unknown>) {
    await this.directory.forManager(access, programId);
    const problems: FieldProblem[] = [];
    const lists = { selected: [] as string[], reserve: [] as string[], notSelected: [] as string[] };
    for (const key of Object.keys(body)) if (!(key in lists)) problems.push({ field: key, code: 'unknown_field', message: `${key} is not an allowed field` });
    const seen = new Set<string>();
    for (const key of Object.keys(lists) as Array<keyof typeof lists>) {
      const value = body[key] ?? [];
      if (!Array.isArray(value)) problems.push({ field: key, code: 'isArray', message: `${key} must be a list of application ids` });
      else value.forEach((v, i) => {
        if (typeof v !== 'string' || !UUID.test(v)) problems.push({ field: `${key}[${i}]`, code: 'isUUID', message: 'must be an application id' });
        else if (seen.has(v.toLowerCase())) problems.push({ field: `${key}[${i}]`, code: 'duplicate', message: 'an application takes one place only' });
        else seen.add(v.toLowerCase()) && lists[key].push(v.toLowerCase());
      });
    }
    if (problems.length) throw new ValidationFailed(problems);
    await this.write(access, programId, (rows, program) => {
      const known = new Set(rows.map((r) => r.id));
      for (const key of Object.keys(lists) as Array<keyof typeof lists>) lists[key].forEach((id, i) => {
        if (!known.has(id)) problems.push({ field: `${key}[${i}]`, code: 'not_found', message: 'not an open application of this program' });
      });
      if (problems.length) throw new ValidationFailed(problems);
      const desired = new Map<string, Target>(rows.map((r) => [r.id, { status: 'submitted', reserveRank: null }]));
      for (const id of lists.selected) desired.set(id, { status: 'selected', reserveRank: null });
      lists.reserve.forEach((id, i) => desired.set(id, { status: 'reserve', reserveRank: i + 1 }));
      for (const id of lists.notSelected) desired.set(id, { status: 'not_selected', reserveRank: null });
      this.checkLimits(rows, desired, program, access.locale);
      return desired;
    });
    return this.board(access, programId);
  }

  /**
   * Closes the round: scores are frozen (each aggregate recomputed a last time), undecided applications
   * become not selected, every selected applicant joins the cohort (program_member, no team yet) and
   * each applicant is told their result. Closed already: answered unchanged, nobody told twice.
   */
  async close(access: AccessContext, programId: string) {
    const program = await this.directory.forManager(access, programId);
    const outcome = await this.db.transaction(async (manager) => {
      const locked = await manager.findOneOrFail(Program, { where: { id: programId }, lock: { mode: 'pessimistic_write' } });
      if (locked.status !== 'published') {
        if (locked.status === 'draft') throw new Conflict('PROGRAM_WRONG_STATUS', 'A draft has no round to close', { status: locked.status });
        return { program: locked, decided: null };
      }
      if (locked.kind !== 'cohort') throw new Conflict('PROGRAM_IS_CONTEST', 'Contests are judged, not selected');
      if (windowState(locked, new Date()) !== 'closed') {
        throw new Conflict('APPLICATION_WINDOW_OPEN', 'Applications are still open; the round closes after the window', { closesAt: locked.applicationsCloseAt });
      }
      const open: Array<{ id: string }> = await manager.query(`SELECT id FROM program_application WHERE program_id = $1 AND status <> 'withdrawn' FOR UPDATE`, [programId]);
      for (const { id } of open) await this.reviews.refreshScore(manager, locked, id);
      await manager.query(
        `UPDATE program_application SET status = 'not_selected', decided_by = $2, decided_at = now(), version = version + 1
          WHERE program_id = $1 AND status = 'submitted'`, [programId, access.userId]);
      const decided: Array<{ id: string; personId: string; status: string; reserveRank: number | null }> = await manager.query(
        `SELECT id, person_id AS "personId", status, reserve_rank AS "reserveRank" FROM program_application WHERE program_id = $1 AND status <> 'withdrawn'`, [programId]);
      await this.reserve.enrolMembers(manager, locked, decided.filter((d) => d.status === 'selected').map((d) => d.id));
      locked.status = 'selection_closed';
      locked.selectionClosedAt = new Date();
      locked.updatedAt = new Date();
      await manager.save(locked);
      const counts = Object.fromEntries(['selected', 'reserve', 'not_selected'].map((s) => [s, decided.filter((d) => d.status === s).length]));
      await this.audit.record(access.userId, 'close_selection', 'program', programId, locked.districtId, { status: 'published' }, { status: locked.status, ...counts }, manager);
      return { program: locked, decided };
    });
    if (outcome.decided) await this.notifier.results(outcome.program, outcome.decided);
    const final = await this.query.rows(programId);
    return {
      program: programView(outcome.program ?? program),
      selected: final.filter((r) => r.status === 'selected').length,
      reserve: final.filter((r) => r.status === 'reserve').length,
      notSelected: final.filter((r) => r.status === 'not_selected').length,
    };
  }

  /** Locks the program row (decisions are serialised per program), reads the board and writes what changed. */
  private async write(access: AccessContext, programId: string, plan: (rows: BoardRow[], program: Program) => Map<string, Target>) {
    await this.db.transaction(async (manager) => {
      const program = await manager.findOneOrFail(Program, { where: { id: programId }, lock: { mode: 'pessimistic_write' } });
      if (program.status !== 'published') throw roundIsClosed(program.status);
      const rows = await this.query.rows(programId, manager);
      const desired = plan(rows, program);
      for (const row of rows) {
        const next = desired.get(row.id)!;
        if (next.status === row.status && next.reserveRank === row.reserveRank) continue;
        await this.save(manager, access, program, row, next);
      }
      await this.reserve.renumberReserve(manager, programId);
    });
  }

  private async save(manager: EntityManager, access: AccessContext, program: Program, row: BoardRow, next: Target) {
    const undecided = next.status === 'submitted';
    await manager.query(
      `UPDATE program_application SET status = $2, reserve_rank = $3, decided_by = $4, decided_at = CASE WHEN $5 THEN NULL ELSE now() END, version = version + 1
        WHERE id = $1`, [row.id, next.status, next.reserveRank, undecided ? null : access.userId, undecided]);
    await this.audit.record(access.userId, 'decide', 'program_application', row.id, program.districtId,
      { status: row.status, reserveRank: row.reserveRank }, { ...next }, manager);
  }

  /** Every quota and the reserve size hold for the planned state; else 409 naming the quota, before anything is written. */
  private checkLimits(rows: BoardRow[], desired: Map<string, Target>, program: Program, locale: Locale): void {
    const selected = rows.filter((r) => desired.get(r.id)!.status === 'selected');
    const breach = quotaBreach(selected, quotasOf(program));
    if (breach) throw this.overQuota(breach, rows, locale);
    const reserve = rows.filter((r) => desired.get(r.id)!.status === 'reserve').length;
    if (reserve > program.reserveSize) {
      throw new Conflict('RESERVE_FULL', `The reserve list holds at most ${program.reserveSize}`, { reserveSize: program.reserveSize, count: reserve });
    }
  }

  /** 409 naming the quota (district, kindergarten or group) and the unit, in the reader's words. */
  private overQuota(breach: QuotaBreach, rows: BoardRow[], locale: Locale) {
    const unit = breach.quota === 'kindergarten' ? rows.find((r) => r.kindergartenId === breach.unitId)?.kindergartenName
      : breach.quota === 'group' ? rows.find((r) => r.groupId === breach.unitId)?.groupName : null;
    return new DomainError('PROGRAM_QUOTA_EXCEEDED', 409, `Over the ${breach.quota} quota: ${breach.count} selected, at most ${breach.limit}`,
      { ...breach, unitName: unit ?? null },
      { quota: translate(locale, `programs.quota.${breach.quota}`), unit: unit ? ` (${unit})` : '', limit: breach.limit, count: breach.count });
  }
}
