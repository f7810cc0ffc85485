import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { QueryFailedError, type DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Conflict, NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { FileAccessRegistry } from '../files/file-access.registry.js';
import { FileStorageService } from '../files/file-storage.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import type { FilesUpload } from '../files/upload-parser.js';
import { DossierAssembler } from '../titles/dossier.js';
import { applicationFor, type ApplicationReader } from './application-views.js';
import { ApplicationFactsQuery } from './application-facts.query.js';
import { ApplicationsQuery, type ApplicationDetail, type ApplicationRow } from './applications.query.js';
import { ProgramEligibilityService, ProgramIneligible } from './program-eligibility.service.js';
import { ProgramNotifier } from './program-notifier.service.js';
import { windowState } from './program-rules.js';
import { ProgramsDirectory } from './programs-directory.service.js';
import { Program, ProgramApplication } from './programs.entities.js';
import { SelectionReserveService } from './selection-reserve.service.js';

export const MAX_ATTACHMENTS = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const windowClosed = (program: Program) => new Conflict('APPLICATION_WINDOW_CLOSED', 'Applications are not open for this program now', {
  opensAt: program.applicationsOpenAt, closesAt: program.applicationsCloseAt,
});
const alreadyApplied = (application: ApplicationRow) =>
  new Conflict('APPLICATION_EXISTS', 'This person has applied to the program already', { applicationId: application.id, application });

/** Applications (self) and nominations (a kindergarten admin for their staff) with a dossier from the record; withdrawal. */
@Injectable()
export class ApplicationsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly directory: ProgramsDirectory,
    private readonly query: ApplicationsQuery,
    private readonly facts: ApplicationFactsQuery,
    private readonly eligibility: ProgramEligibilityService,
    private readonly dossiers: DossierAssembler,
    private readonly files: FileStorageService,
    private readonly fileAccess: FileAccessRegistry,
    private readonly reserve: SelectionReserveService,
    private readonly notifier: ProgramNotifier,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.fileAccess.register('program_attachment', async (access, file) => {
      const id = await this.query.applicationOfFile(file.id);
      return id ? (await this.readable(access, id)) !== null : false;
    });
  }

  /**
   * Applies for oneself (no personId) or nominates a person of the caller's kindergarten. Checks the
   * fields and files, then an existing application (409 with it), the window (409) and eligibility
   * (422 with every reason); only then assembles the dossier and writes the application and files together.
   */
  async apply(access: AccessContext, programId: string, body: Record<string, unknown>, upload: FilesUpload): Promise<ApplicationRow> {
    const program = await this.directory.forViewer(access, programId);
    const problems: FieldProblem[] = [];
    const named = body.personId;
    if (named !== undefined && (typeof named !== 'string' || !UUID.test(named))) problems.push({ field: 'personId', code: 'isUUID', message: 'personId must be a person id' });
    const personId = typeof named === 'string' && UUID.test(named) ? named.toLowerCase() : access.personId;
    if (!personId && named === undefined) problems.push({ field: 'personId', code: 'required', message: 'accounts without a person record name the person they nominate' });
    const statement = typeof body.statement === 'string' ? body.statement.trim() : '';
    if (!statement) problems.push({ field: 'statement', code: 'required', message: 'write a statement' });
    else if (statement.length > 5000) problems.push({ field: 'statement', code: 'maxLength', message: 'the statement takes at most 5000 characters' });
    for (const key of Object.keys(body)) if (!['personId', 'statement'].includes(key)) problems.push({ field: key, code: 'unknown_field', message: `${key} is not an allowed field` });
    if (upload.problem) problems.push(upload.problem);
    if (upload.files.length > MAX_ATTACHMENTS) problems.push({ field: 'files', code: 'TOO_MANY_FILES', message: `At most ${MAX_ATTACHMENTS} files` });
    upload.files.forEach((file, i) => problems.push(...this.files.inspect(file.buffer, 'program_attachment', `files[${i}]`)));
    if (problems.length || !personId) throw new ValidationFailed(problems);

    const today = shanghaiDate();
    const nomination = personId !== access.personId;
    const judged = (await this.eligibility.judge(program, [personId], today)).get(personId);
    if (!judged || (nomination && !access.canAt('programs.nominate', judged.record.path))) throw new NotFound('person', personId);
    if (program.kind !== 'cohort') throw new Conflict('PROGRAM_IS_CONTEST', 'Contests take entries, not applications');
    const existing = await this.query.current(programId, personId);
    if (existing) throw alreadyApplied(applicationFor(existing, this.readerOf(access, existing)));
    if (program.status !== 'published' || windowState(program, new Date()) !== 'open') throw windowClosed(program);
    if (judged.unmet.length) throw new ProgramIneligible(await this.eligibility.reasons(judged.unmet, access.locale), access.locale);

    const dossier = await this.dossiers.assemble(personId);
    const { record } = judged;
    const written: StoredFile[] = [];
    let id: string;
    try {
      id = await this.db.transaction(async (manager) => {
        // Two clicks at once: the second waits here, then finds the first.
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`program_application:${programId}:${personId}`]);
        const again = await this.query.current(programId, personId, manager);
        if (again) throw alreadyApplied(applicationFor(again, this.readerOf(access, again)));
        for (const [i, file] of upload.files.entries()) {
          written.push(await this.files.put(file.buffer, {
            originalName: file.originalName, contentType: file.contentType, purpose: 'program_attachment',
            ownerUserId: access.userId, districtId: program.districtId, field: `files[${i}]`,
          }, manager));
        }
        const saved = await manager.save(manager.create(ProgramApplication, {
          programId, personId, districtId: program.districtId, kindergartenId: record.kindergartenId, groupId: record.groupId,
          source: nomination ? 'nomination' : 'self', nominatedBy: nomination ? access.userId : null, statement,
          attachmentFileIds: written.map((f) => f.id), dossier: dossier as unknown as Record<string, unknown>, status: 'submitted', createdBy: access.userId,
        }));
        await this.audit.record(access.userId, nomination ? 'nominate' : 'apply', 'program_application', saved.id, program.districtId, null,
          { programId, personId, source: saved.source, attachments: saved.attachmentFileIds.length }, manager);
        return saved.id;
      });
    } catch (error) {
      for (const file of written) await this.files.discard(file);
      if (error instanceof QueryFailedError && (error as QueryFailedError & { driverError: { code?: string } }).driverError.code === '23505') {
        const again = await this.query.current(programId, personId);
        if (again) throw alreadyApplied(applicationFor(again, this.readerOf(access, again)));
      }
      throw error;
    }
    if (nomination) await this.notifier.nominated(program, { id, personId });
    return (await this.query.detail(id))!;
  }

  /**
   * The applicant (or a nominator over their kindergarten) withdraws while the window is open; once
   * the round is closed, a selected or reserve applicant may still step back before the program starts
   * (the best-placed reserve then moves up). Withdrawn already: answered unchanged.
   */
  async withdraw(access: AccessContext, id: string): Promise<ApplicationRow> {
    const row = await this.query.detail(id);
    if (!row || !(access.isSelf(row.personId) || access.canAt('programs.nominate', row.kindergartenPath))) throw new NotFound('program_application', id);
    const outcome = await this.db.transaction(async (manager) => {
      const program = await manager.findOneOrFail(Program, { where: { id: row.programId }, lock: { mode: 'pessimistic_write' } });
      const app = await manager.findOneOrFail(ProgramApplication, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (app.status === 'withdrawn') return { program, promoted: null };
      const open = program.status === 'published' && windowState(program, new Date()) === 'open';
      const beforeStart = program.status === 'selection_closed' && shanghaiDate() < program.startsOn && (app.status === 'selected' || app.status === 'reserve');
      if (!open && !beforeStart) throw windowClosed(program);
      const before = { status: app.status, reserveRank: app.reserveRank };
      const wasSelected = app.status === 'selected';
      app.status = 'withdrawn';
      app.reserveRank = null;
      await manager.save(app);
      await this.audit.record(access.userId, 'withdraw', 'program_application', id, app.districtId, before, { status: 'withdrawn' }, manager);
      if (!beforeStart) return { program, promoted: null };
      const promoted = await this.reserve.afterWithdrawal(manager, program, app, wasSelected, access.userId);
      return { program, promoted };
    });
    if (outcome.promoted) await this.notifier.results(outcome.program, [outcome.promoted]);
    return applicationFor((await this.query.detail(id))!, this.readerOf(access, row));
  }

  /** The application if the caller may read it: the applicant, a nominator over the kindergarten, district staff, an assigned reviewer. */
  async readable(access: AccessContext, id: string): Promise<ApplicationDetail | null> {
    const row = await this.query.detail(id);
    if (!row) return null;
    const reader = this.readerOf(access, row);
    if (reader === 'reviewer' && !(await this.query.isReviewer(id, access.userId))) return null;
    return applicationFor(row, reader);
  }

  async get(access: AccessContext, id: string): Promise<ApplicationDetail> {
    const found = await this.readable(access, id);
    if (!found) throw new NotFound('program_application', id);
    return found;
  }

  async mine(access: AccessContext): Promise<ApplicationRow[]> {
    if (!access.personId) return [];
    return (await this.query.ofPerson(access.personId)).map((r) => applicationFor(r, 'applicant'));
  }

  /** District staff see every application of the program; a nominator those of the kindergartens they reach. */
  async ofProgram(access: AccessContext, programId: string): Promise<ApplicationRow[]> {
    const program = await this.directory.forViewer(access, programId);
    if (access.canAt('programs.manage', await this.directory.districtPath(program))) return this.query.ofProgram(programId, null);
    const paths = access.scopePaths('programs.nominate');
    if (!paths.length) throw new NotFound('program', programId);
    return (await this.query.ofProgram(programId, paths)).map((r) => applicationFor(r, 'nominator'));
  }

  /** Facts behind eligibility for the program page (the caller, or a person a nominator reaches). */
  async eligibilityOf(access: AccessContext, programId: string, personId: string | null) {
    const program = await this.directory.forViewer(access, programId);
    const who = personId ?? access.personId;
    if (!who) return { eligible: false, reasons: [], noPerson: true };
    const judged = (await this.eligibility.judge(program, [who], shanghaiDate())).get(who);
    if (!judged || (!access.isSelf(who) && !access.canAt('programs.nominate', judged.record.path))) throw new NotFound('person', who);
    return { eligible: judged.unmet.length === 0, reasons: await this.eligibility.reasons(judged.unmet, access.locale), noPerson: false };
  }

  /** Names the people a nominator may choose for the program, each with whether they are eligible today. */
  async nominees(access: AccessContext, program: Program) {
    const staff = await this.facts.staffUnder(access.scopePaths('programs.nominate').filter((p) => p.split('/').filter(Boolean).length > 2));
    const judged = await this.eligibility.judge(program, staff.map((s) => s.personId), shanghaiDate());
    const applied = new Set((await this.query.ofProgram(program.id, null)).filter((a) => a.status !== 'withdrawn').map((a) => a.personId));
    return Promise.all(staff.map(async (s) => {
      const unmet = judged.get(s.personId)?.unmet ?? [];
      return { ...s, applied: applied.has(s.personId), eligible: unmet.length === 0, reasons: (await this.eligibility.reasons(unmet, access.locale)).map((r) => r.message) };
    }));
  }

  private readerOf(access: AccessContext, row: ApplicationRow): ApplicationReader {
    if (access.canAt('programs.manage', row.districtPath)) return 'manager';
    if (access.isSelf(row.personId)) return 'applicant';
    if (access.canAt('programs.nominate', row.kindergartenPath)) return 'nominator';
    return 'reviewer';
  }
}
