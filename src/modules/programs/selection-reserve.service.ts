import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { shanghaiDate } from '../../common/dates.js';
import { AuditService } from '../audit/audit.service.js';
import type { Program, ProgramApplication } from './programs.entities.js';
import { quotaBreach, type Candidate } from './selection-rules.js';

export interface PromotedApplication {
  id: string;
  personId: string;
  status: 'selected';
  reserveRank: null;
}

export const quotasOf = (program: Program) => ({ district: program.districtQuota, kindergarten: program.kindergartenQuota, group: program.groupQuota });

/** Cohort membership for selected applicants, and the reserve list moving up when someone steps back before the start. */
@Injectable()
export class SelectionReserveService {
  constructor(private readonly audit: AuditService) {}

  /** A member row (active, no team yet, joining on the program's start) for each selected application; existing ones stay. */
  async enrolMembers(manager: EntityManager, program: Program, applicationIds: string[]): Promise<void> {
    if (!applicationIds.length) return;
    await manager.query(
      `INSERT INTO program_member (program_id, district_id, person_id, application_id, status, joined_on)
       SELECT a.program_id, a.district_id, a.person_id, a.id, 'active', $2::date FROM program_application a
        WHERE a.id = ANY($1::uuid[]) AND a.status = 'selected'
       ON CONFLICT (program_id, person_id) DO NOTHING`, [applicationIds, program.startsOn]);
  }

  /**
   * After a withdrawal between the round's close and the start: a selected member leaves the cohort
   * and the best-ranked reserve who fits every quota is selected in their place; reserve ranks close up.
   */
  async afterWithdrawal(manager: EntityManager, program: Program, withdrawn: ProgramApplication, wasSelected: boolean, actorUserId: string): Promise<PromotedApplication | null> {
    let promoted: PromotedApplication | null = null;
    if (wasSelected) {
      await manager.query(
        `UPDATE program_member SET status = 'exited', left_on = $3::date, exit_reason = $4, version = version + 1
          WHERE program_id = $1 AND person_id = $2 AND status = 'active'`,
        [program.id, withdrawn.personId, shanghaiDate(), 'withdrew before the program started (开班前退出)']);
      const rows: Array<Candidate & { personId: string; status: string }> = await manager.query(
        `SELECT id, person_id AS "personId", kindergarten_id AS "kindergartenId", group_id AS "groupId", score::float AS score, created_at AS "createdAt", status
           FROM program_application WHERE program_id = $1 AND status IN ('selected','reserve') ORDER BY reserve_rank NULLS FIRST FOR UPDATE`, [program.id]);
      const selected = rows.filter((r) => r.status === 'selected');
      const next = rows.filter((r) => r.status === 'reserve').find((r) => !quotaBreach([...selected, r], quotasOf(program)));
      if (next) {
        await manager.query(
          `UPDATE program_application SET status = 'selected', reserve_rank = NULL, decided_by = $2, decided_at = now(), version = version + 1 WHERE id = $1`,
          [next.id, actorUserId]);
        await this.enrolMembers(manager, program, [next.id]);
        await this.audit.record(actorUserId, 'promote_reserve', 'program_application', next.id, program.districtId,
          { status: 'reserve' }, { status: 'selected', replacing: withdrawn.id }, manager);
        promoted = { id: next.id, personId: next.personId, status: 'selected', reserveRank: null };
      }
    }
    await this.renumberReserve(manager, program.id);
    return promoted;
  }

  /** Reserve ranks 1..n in their current order (after someone leaves the list). */
  async renumberReserve(manager: EntityManager, programId: string): Promise<void> {
    await manager.query(
      `UPDATE program_application a SET reserve_rank = r.n
         FROM (SELECT id, row_number() OVER (ORDER BY reserve_rank, created_at)::int AS n FROM program_application
                WHERE program_id = $1 AND status = 'reserve') r
        WHERE a.id = r.id AND a.reserve_rank IS DISTINCT FROM r.n`, [programId]);
  }
}
