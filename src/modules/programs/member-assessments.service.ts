import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Conflict, ValidationFailed } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { LedgerService } from '../credits/ledger.service.js';
import { PersonRecordsService } from '../people/person-records.service.js';
import { CohortAccess } from './cohort-access.service.js';
import { completionHonourName, finalOutcome, memberNotActive } from './cohort-rules.js';
import { ProgramMember, type AssessmentResult } from './cohort.entities.js';
import type { AssessmentDto } from './cohort.dto.js';
import type { Program } from './programs.entities.js';

export interface AssessmentAnswer {
  member: ProgramMember;
  /** False when the same assessment was recorded before (a retry) and nothing changed. */
  changed: boolean;
}

/**
 * Mid-term and final assessments by district staff. A final excellent/pass completes the member in one
 * transaction: status, one ledger credit and one honour; a final fail ends the membership as failed.
 */
@Injectable()
export class MemberAssessmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cohort: CohortAccess,
    private readonly ledger: LedgerService,
    private readonly records: PersonRecordsService,
    private readonly audit: AuditService,
  ) {}

  async assess(access: AccessContext, memberId: string, input: AssessmentDto): Promise<AssessmentAnswer> {
    const comment = input.comment?.trim() || null;
    // The member row lock makes a second completion (even at the same moment) wait and then find it done.
    return inTransaction(this.db, async (m) => {
      const { member, program } = await this.cohort.memberForStaff(access, memberId, m);
      if (input.result === 'fail' && !comment) throw ValidationFailed.field('comment', 'required', 'a fail needs a comment');
      if (input.stage === 'midterm') return this.midterm(m, access, member, input.result, comment);
      if (member.finalResult !== null) {
        if (member.finalResult === input.result) return { member, changed: false };
        throw new Conflict('FINAL_ALREADY_RECORDED', 'The final assessment is recorded; it is not changed here', { finalResult: member.finalResult });
      }
      if (member.status !== 'active') throw memberNotActive(member.status);
      return this.final(m, access, member, program, input.result, comment);
    });
  }

  private async midterm(m: EntityManager, access: AccessContext, member: ProgramMember, result: AssessmentResult, comment: string | null): Promise<AssessmentAnswer> {
    if (member.midtermResult === result && member.midtermComment === comment) return { member, changed: false };
    if (member.status !== 'active') throw memberNotActive(member.status);
    const changes = { midtermResult: result, midtermComment: comment, midtermBy: access.userId, midtermAt: new Date() };
    await m.update(ProgramMember, { id: member.id }, { ...changes, version: () => 'version + 1' });
    await this.audit.record(access.userId, 'programs.member.midterm', 'program_member', member.id, member.districtId,
      { midtermResult: member.midtermResult, midtermComment: member.midtermComment }, { midtermResult: result, midtermComment: comment }, m);
    return { member: (await m.findOneBy(ProgramMember, { id: member.id }))!, changed: true };
  }

  private async final(
    m: EntityManager, access: AccessContext, member: ProgramMember, program: Program, result: AssessmentResult, comment: string | null,
  ): Promise<AssessmentAnswer> {
    const status = finalOutcome(result);
    const today = shanghaiDate();
    let creditEntryId: string | null = null;
    let honourId: string | null = null;
    if (status === 'completed') {
      if (program.credits > 0 || program.hours > 0) {
        const { entry } = await this.ledger.recordOnce({
          personId: member.personId, hours: program.hours, credits: program.credits, category: program.creditCategory, level: program.creditLevel,
          source: 'program', sourceId: program.id, sourceKey: `program-member:${member.id}`, title: program.nameZh,
          occurredOn: today, recordedBy: access.userId, approvedBy: access.userId,
        }, m);
        creditEntryId = entry.id;
      }
      const [district] = await m.query('SELECT name FROM org_unit WHERE id = $1', [program.districtId]);
      const honour = await this.records.grantHonour(m, member.personId, {
        honour: 'other', name: completionHonourName(program), awardedOn: today, awardedBy: district?.name ?? undefined,
      }, access.userId, { programMemberId: member.id });
      honourId = honour.id;
    }
    await m.update(ProgramMember, { id: member.id }, {
      status, finalResult: result, finalComment: comment, finalBy: access.userId, finalAt: new Date(),
      creditEntryId, honourId, version: () => 'version + 1',
    });
    await this.audit.record(access.userId, status === 'completed' ? 'programs.member.complete' : 'programs.member.fail', 'program_member', member.id,
      member.districtId, { status: member.status }, { status, finalResult: result, finalComment: comment, creditEntryId, honourId }, m);
    return { member: (await m.findOneBy(ProgramMember, { id: member.id }))!, changed: true };
  }
}
