import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { Conflict, DomainError, ValidationFailed } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { MentorPairing } from './mentoring.entities.js';
import { PairingsDirectory } from './pairings-directory.service.js';
import type { FinalAssessmentDto } from './review.dto.js';
import { assertDecider } from './reviews.service.js';

export interface FinalAssessmentAnswer {
  pairing: Pick<MentorPairing, 'id' | 'status' | 'kind' | 'finalGrade' | 'finalComment' | 'finalAssessedAt' | 'endedReason'>;
  changed: boolean;
}

/**
 * The final grade (excellent / pass / fail) given by the mentee's kindergarten once the pairing
 * period is over (for a probation year: on its last day or later); it ends the pairing. Given once.
 */
@Injectable()
export class FinalAssessmentService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly pairings: PairingsDirectory,
    private readonly audit: AuditService,
  ) {}

  async assess(access: AccessContext, pairingId: string, input: FinalAssessmentDto): Promise<FinalAssessmentAnswer> {
    assertDecider(access, await this.pairings.context(access, pairingId));
    if (input.grade === 'fail' && !input.comment) throw ValidationFailed.field('comment', 'COMMENT_REQUIRED', 'Say why the mentee failed');
    const comment = input.comment ?? null;
    const outcome = await this.db.transaction(async (manager) => {
      const pairings = manager.getRepository(MentorPairing);
      const pairing = (await pairings.findOne({ where: { id: pairingId }, lock: { mode: 'pessimistic_write' } }))!;
      if (pairing.finalGrade) {
        if (pairing.finalGrade === input.grade && pairing.finalComment === comment) return { pairing, changed: false };
        throw new Conflict('FINAL_ASSESSMENT_EXISTS', 'The pairing already has its final assessment', { grade: pairing.finalGrade });
      }
      if (pairing.status !== 'active') throw new DomainError('PAIRING_NOT_ACTIVE', 422, 'Only an active pairing is assessed', { status: pairing.status });
      if (shanghaiDate() < pairing.endsOn) {
        throw new DomainError('PAIRING_NOT_FINISHED', 422, `The pairing runs until ${pairing.endsOn}; it is assessed at its end`, { endsOn: pairing.endsOn }, { endsOn: pairing.endsOn });
      }
      const change = {
        finalGrade: input.grade, finalComment: comment, finalAssessedBy: access.userId, finalAssessedAt: new Date(),
        status: 'ended' as const, endedReason: 'final_assessment', version: pairing.version + 1,
      };
      await pairings.update({ id: pairingId }, change);
      await this.audit.record(access.userId, 'final_assessment', 'mentor_pairing', pairingId, pairing.districtId,
        { status: pairing.status }, { status: 'ended', grade: input.grade, comment }, manager);
      return { pairing: { ...pairing, ...change }, changed: true };
    });
    const { id, status, kind, finalGrade, finalComment, finalAssessedAt, endedReason } = outcome.pairing;
    return { pairing: { id, status, kind, finalGrade, finalComment, finalAssessedAt, endedReason }, changed: outcome.changed };
  }
}
