import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Conflict, DomainError, NotFound, ValidationFailed } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { CohortAccess } from './cohort-access.service.js';
import { joiningDay, memberNotActive, moveRefusal, promotionRefusal } from './cohort-rules.js';
import { ProgramMember } from './cohort.entities.js';
import type { ExitDto } from './cohort.dto.js';
import type { Program } from './programs.entities.js';

export interface MemberChange {
  member: ProgramMember;
  /** The membership in the target program (move, promotion). */
  target?: ProgramMember;
  changed: boolean;
}

const targetRefused = (code: string) =>
  new DomainError(code, 422, 'The target program does not take this member', { field: 'targetProgramId' });

/** Leaving a cohort: exit with a reason, a move to another tier of the same round, or a promotion to a later, higher program. */
@Injectable()
export class MemberMovesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cohort: CohortAccess,
    private readonly audit: AuditService,
  ) {}

  async exit(access: AccessContext, memberId: string, input: ExitDto): Promise<MemberChange> {
    return inTransaction(this.db, async (m) => {
      const { member } = await this.cohort.memberForStaff(access, memberId, m);
      if (member.status === 'exited' && member.exitReason === input.reason) return { member, changed: false };
      if (member.status !== 'active') throw memberNotActive(member.status);
      const leftOn = input.leftOn ?? shanghaiDate();
      if (leftOn < member.joinedOn) throw ValidationFailed.field('leftOn', 'before_joined', `leftOn must not be before ${member.joinedOn}`);
      if (leftOn > shanghaiDate()) throw ValidationFailed.field('leftOn', 'DATE_IN_FUTURE', 'leftOn must not be after today');
      await m.update(ProgramMember, { id: memberId }, { status: 'exited', exitReason: input.reason, leftOn, version: () => 'version + 1' });
      await this.audit.record(access.userId, 'programs.member.exit', 'program_member', memberId, member.districtId,
        { status: member.status }, { status: 'exited', exitReason: input.reason, leftOn }, m);
      return { member: (await m.findOneBy(ProgramMember, { id: memberId }))!, changed: true };
    });
  }

  /** Into another tier's program of the same round: an active membership there, and this one marked moved. */
  async move(access: AccessContext, memberId: string, targetProgramId: string): Promise<MemberChange> {
    return inTransaction(this.db, async (m) => {
      const { member, program } = await this.cohort.memberForStaff(access, memberId, m);
      const target = await this.target(m, access, targetProgramId);
      if (member.status === 'moved' && member.movedToMemberId) {
        const earlier = await m.findOneBy(ProgramMember, { id: member.movedToMemberId });
        if (earlier?.programId === target.id) return { member, target: earlier, changed: false };
      }
      if (member.status !== 'active') throw memberNotActive(member.status);
      const refusal = moveRefusal(program, target);
      if (refusal) throw targetRefused(refusal);
      const today = shanghaiDate();
      const created = await this.join(m, member, target, today);
      await m.update(ProgramMember, { id: memberId }, { status: 'moved', movedToMemberId: created.id, leftOn: today, version: () => 'version + 1' });
      await this.audit.record(access.userId, 'programs.member.move', 'program_member', memberId, member.districtId,
        { status: member.status, programId: program.id }, { status: 'moved', movedToMemberId: created.id, targetProgramId: target.id }, m);
      return { member: (await m.findOneBy(ProgramMember, { id: memberId }))!, target: created, changed: true };
    });
  }

  /** A completed member into the next tier of a later round; the completed membership stays as it is. */
  async promote(access: AccessContext, memberId: string, targetProgramId: string): Promise<MemberChange> {
    return inTransaction(this.db, async (m) => {
      const { member, program } = await this.cohort.memberForStaff(access, memberId, m);
      const target = await this.target(m, access, targetProgramId);
      if (member.status !== 'completed') {
        throw new DomainError('MEMBER_NOT_COMPLETED', 409, 'Only a member who completed the program is promoted', { status: member.status }, { status: member.status });
      }
      const refusal = promotionRefusal(program, target);
      if (refusal) throw targetRefused(refusal);
      const already = await m.findOneBy(ProgramMember, { programId: target.id, personId: member.personId });
      if (already) return { member, target: already, changed: false };
      const created = await this.join(m, member, target, shanghaiDate());
      await this.audit.record(access.userId, 'programs.member.promote', 'program_member', created.id, created.districtId,
        null, { ...created, promotedFromMemberId: member.id }, m);
      return { member, target: created, changed: true };
    });
  }

  /** The target must be a program the caller manages; any other reads as unknown. */
  private async target(m: EntityManager, access: AccessContext, targetProgramId: string): Promise<Program> {
    try {
      return await this.cohort.directory.forManager(access, targetProgramId, 'programs.manage', m);
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
      throw ValidationFailed.field('targetProgramId', 'unknown', 'no such program in your district');
    }
  }

  private async join(m: EntityManager, member: ProgramMember, target: Program, today: string): Promise<ProgramMember> {
    if (await m.findOneBy(ProgramMember, { programId: target.id, personId: member.personId })) {
      throw new Conflict('PROGRAM_ALREADY_MEMBER', 'The person is a member of the target program already', { field: 'targetProgramId' });
    }
    return m.save(m.create(ProgramMember, {
      programId: target.id, districtId: target.districtId, personId: member.personId, status: 'active', joinedOn: joiningDay(today, target),
    }));
  }
}
