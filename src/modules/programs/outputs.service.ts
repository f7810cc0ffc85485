import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Forbidden, NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { FileAccessRegistry } from '../files/file-access.registry.js';
import { FileStorageService } from '../files/file-storage.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import type { FilesUpload } from '../files/upload-parser.js';
import { CohortAccess, type TeamContext } from './cohort-access.service.js';
import { hostOrStaffOnly, reviewStep, teamMembersOnly } from './cohort-rules.js';
import { ProgramOutput } from './cohort.entities.js';
import { OutputDto, checkedInput } from './cohort.dto.js';

export const MAX_OUTPUT_FILES = 5;

export interface OutputAnswer {
  output: ProgramOutput;
  /** False when nothing changed: the same submission or the same decision again. */
  changed: boolean;
}

/** Members' outputs (研究报告, 公开课, 竞赛获奖, 论文 …) with files, accepted or returned by the host or district staff. */
@Injectable()
export class OutputsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cohort: CohortAccess,
    private readonly files: FileStorageService,
    private readonly fileAccess: FileAccessRegistry,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.fileAccess.register('program_output', (access, file) => this.mayReadFile(access, file));
  }

  /** Every field and file is checked first; then the files and the output are stored together. The author is the caller. */
  async submit(access: AccessContext, teamId: string, body: Record<string, unknown>, upload: FilesUpload): Promise<OutputAnswer> {
    const ctx = await this.cohort.team(access, teamId);
    if (ctx.membership?.status !== 'active') throw teamMembersOnly();
    const author = ctx.membership;
    if (upload.problem && ['FILE_TOO_LARGE', 'UPLOAD_MALFORMED'].includes(upload.problem.code)) throw new ValidationFailed([upload.problem]);
    const problems: FieldProblem[] = [];
    let input: OutputDto | null = null;
    try {
      input = await checkedInput(OutputDto, body ?? {});
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      problems.push(...error.problems);
    }
    if (input && input.occurredOn > shanghaiDate()) problems.push({ field: 'occurredOn', code: 'DATE_IN_FUTURE', message: 'occurredOn must not be after today' });
    if (upload.problem) problems.push(upload.problem);
    if (upload.files.length > MAX_OUTPUT_FILES) problems.push({ field: 'files', code: 'TOO_MANY_FILES', message: `At most ${MAX_OUTPUT_FILES} files` });
    upload.files.forEach((file, i) => problems.push(...this.files.inspect(file.buffer, 'program_output', `files[${i}]`)));
    if (problems.length || !input) throw new ValidationFailed(problems);
    const fields = input;
    const written: StoredFile[] = [];
    try {
      return await this.db.transaction(async (m) => {
        // The same submission twice at once: the second waits here, then finds the first.
        await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`program_output:${teamId}:${author.personId}`]);
        const same = await m.findOneBy(ProgramOutput, {
          teamId, personId: author.personId, kind: fields.kind, title: fields.title, occurredOn: fields.occurredOn, status: 'submitted',
        });
        if (same) return { output: same, changed: false };
        for (const [i, file] of upload.files.entries()) {
          written.push(await this.files.put(file.buffer, {
            originalName: file.originalName, contentType: file.contentType, purpose: 'program_output',
            ownerUserId: access.userId, districtId: ctx.team.districtId, field: `files[${i}]`,
          }, m));
        }
        const output = await m.save(m.create(ProgramOutput, {
          programId: ctx.program.id, teamId, personId: author.personId, districtId: ctx.team.districtId, kind: fields.kind, title: fields.title,
          description: fields.description || null, occurredOn: fields.occurredOn, fileIds: written.map((f) => f.id), status: 'submitted',
          createdBy: access.userId,
        }));
        await this.audit.record(access.userId, 'programs.output.submit', 'program_output', output.id, output.districtId, null, { ...output }, m);
        return { output, changed: true };
      });
    } catch (error) {
      for (const file of written) await this.files.discard(file);
      throw error;
    }
  }

  accept(access: AccessContext, outputId: string, comment: string | null): Promise<OutputAnswer> {
    return this.review(access, outputId, 'accepted', comment);
  }

  returnOutput(access: AccessContext, outputId: string, comment: string | null): Promise<OutputAnswer> {
    return this.review(access, outputId, 'returned', comment);
  }

  /** Under the output's row lock: accepting twice (even at once) changes it once. */
  private async review(access: AccessContext, outputId: string, decision: 'accepted' | 'returned', comment: string | null): Promise<OutputAnswer> {
    const found = await this.db.getRepository(ProgramOutput).findOneBy({ id: outputId });
    if (!found?.teamId) throw new NotFound('program_output', outputId);
    const ctx = await this.reachable(access, found.teamId, outputId);
    if (!ctx.isStaff && !ctx.isHost) throw hostOrStaffOnly();
    if (!ctx.isStaff && found.personId === access.personId) throw new Forbidden('OUTPUT_OWN_REVIEW', 'A host does not review their own output');
    if (decision === 'returned' && !comment) throw ValidationFailed.field('comment', 'required', 'say why the output is returned');
    return inTransaction(this.db, async (m) => {
      const output = (await m.findOne(ProgramOutput, { where: { id: outputId }, lock: { mode: 'pessimistic_write' } }))!;
      if (reviewStep(output.status, decision, comment, output.reviewComment) === 'repeat') return { output, changed: false };
      await m.update(ProgramOutput, { id: outputId }, {
        status: decision, reviewComment: comment, reviewedBy: access.userId, reviewedAt: new Date(), version: () => 'version + 1',
      });
      const saved = (await m.findOneBy(ProgramOutput, { id: outputId }))!;
      await this.audit.record(access.userId, decision === 'accepted' ? 'programs.output.accept' : 'programs.output.return', 'program_output', outputId,
        output.districtId, { status: output.status }, { status: decision, comment }, m);
      return { output: saved, changed: true };
    });
  }

  private reachable(access: AccessContext, teamId: string, outputId: string): Promise<TeamContext> {
    return this.cohort.team(access, teamId).catch((error: unknown) => {
      throw error instanceof NotFound ? new NotFound('program_output', outputId) : error;
    });
  }

  /** Whoever reaches the output's team (its staff, host and members) may read its files. */
  private async mayReadFile(access: AccessContext, file: StoredFile): Promise<boolean> {
    const rows: { teamId: string | null }[] = await this.db.query(
      `SELECT team_id AS "teamId" FROM program_output WHERE $1 = ANY(file_ids)`, [file.id]);
    for (const row of rows) {
      if (row.teamId && await this.cohort.team(access, row.teamId).then(() => true, () => false)) return true;
    }
    return false;
  }
}
