import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound, ValidationFailed } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { CohortAccess, type TeamContext } from './cohort-access.service.js';
import { hostOrStaffOnly, normalisedPlan, teamVersionConflict } from './cohort-rules.js';
import { ProgramMilestone, ProgramTeam } from './cohort.entities.js';
import type { MilestoneDto, TeamPlanDto, UpdateMilestoneDto } from './cohort.dto.js';

export interface MilestoneAnswer {
  milestone: ProgramMilestone;
  created: boolean;
}

const requireLead = (ctx: TeamContext) => {
  if (!ctx.isStaff && !ctx.isHost) throw hostOrStaffOnly();
};

/** The team's own work that its host (or district staff) keeps: the five-part plan and the milestones. */
@Injectable()
export class TeamWorkService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cohort: CohortAccess,
    private readonly audit: AuditService,
  ) {}

  /** Optimistic: the version read must still be the team's, else 409 and nothing changes. */
  async editPlan(access: AccessContext, teamId: string, input: TeamPlanDto): Promise<ProgramTeam> {
    return inTransaction(this.db, async (m) => {
      const ctx = await this.cohort.team(access, teamId, m, true);
      requireLead(ctx);
      const { team } = ctx;
      if (input.version !== team.version) throw teamVersionConflict(team.version);
      const plan = normalisedPlan(input, team.plan);
      await m.update(ProgramTeam, { id: teamId }, { plan, planUpdatedAt: new Date(), version: () => 'version + 1' });
      await this.audit.record(access.userId, 'programs.team.plan', 'program_team', teamId, team.districtId, { plan: team.plan }, { plan }, m);
      return (await m.findOneBy(ProgramTeam, { id: teamId }))!;
    });
  }

  /** The same title and due date again (a double click) answers the earlier milestone. */
  async addMilestone(access: AccessContext, teamId: string, input: MilestoneDto): Promise<MilestoneAnswer> {
    return inTransaction(this.db, async (m) => {
      const ctx = await this.cohort.team(access, teamId, m, true);
      requireLead(ctx);
      const same = await m.findOneBy(ProgramMilestone, { teamId, title: input.title, dueOn: input.dueOn });
      if (same) return { milestone: same, created: false };
      const milestone = await m.save(m.create(ProgramMilestone, {
        teamId, title: input.title, dueOn: input.dueOn, doneOn: input.doneOn ?? null, note: input.note || null,
      }));
      await this.audit.record(access.userId, 'programs.milestone.create', 'program_milestone', milestone.id, ctx.team.districtId, null, { ...milestone }, m);
      return { milestone, created: true };
    });
  }

  async updateMilestone(access: AccessContext, milestoneId: string, input: UpdateMilestoneDto): Promise<ProgramMilestone> {
    const found = await this.db.getRepository(ProgramMilestone).findOneBy({ id: milestoneId });
    if (!found) throw new NotFound('milestone', milestoneId);
    return inTransaction(this.db, async (m) => {
      const ctx = await this.cohort.team(access, found.teamId, m, true).catch((error: unknown) => {
        throw error instanceof NotFound ? new NotFound('milestone', milestoneId) : error;
      });
      requireLead(ctx);
      const milestone = (await m.findOneBy(ProgramMilestone, { id: milestoneId }))!;
      const changes: Partial<ProgramMilestone> = {};
      if (input.title !== undefined) changes.title = input.title;
      if (input.dueOn !== undefined) changes.dueOn = input.dueOn;
      if (input.doneOn !== undefined) changes.doneOn = input.doneOn;
      if (input.note !== undefined) changes.note = input.note || null;
      if (!Object.keys(changes).length) throw ValidationFailed.field('title', 'nothing_to_change', 'give at least one field to change');
      await m.update(ProgramMilestone, { id: milestoneId }, changes);
      const saved = (await m.findOneBy(ProgramMilestone, { id: milestoneId }))!;
      await this.audit.record(access.userId, 'programs.milestone.update', 'program_milestone', milestoneId, ctx.team.districtId, { ...milestone }, { ...saved }, m);
      return saved;
    });
  }
}
