import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { Conflict, NotFound, ValidationFailed, type FieldProblem } from '../../common/errors.js';
import { inTransaction } from '../../database/transaction.js';
import { AuditService } from '../audit/audit.service.js';
import { CohortAccess } from './cohort-access.service.js';
import { memberNotActive, teamVersionConflict } from './cohort-rules.js';
import { ProgramMember, ProgramTeam } from './cohort.entities.js';
import type { CreateTeamDto, UpdateTeamDto } from './cohort.dto.js';
import type { Program } from './programs.entities.js';

export interface TeamAnswer {
  team: ProgramTeam;
  /** False when the same team was created before (a retry) and is answered. */
  created: boolean;
}

const membersInOtherTeams = (ids: string[]) =>
  new Conflict('MEMBER_IN_OTHER_TEAM', 'A member is in another team already; take them out of it first', { memberIds: ids });

/** Teams (研修团队) of a cohort: created and changed by district staff, with a host, members, a base, required courses and a credit target. */
@Injectable()
export class TeamsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cohort: CohortAccess,
    private readonly audit: AuditService,
  ) {}

  /** Every reference is checked before anything is written; the same name and host again answers the earlier team. */
  async create(access: AccessContext, programId: string, input: CreateTeamDto): Promise<TeamAnswer> {
    const { program, districtPath } = await this.cohort.programForStaff(access, programId);
    const memberIds = [...new Set(input.memberIds ?? [])];
    return inTransaction(this.db, async (m) => {
      // Two identical creations at once: the second waits here and then finds the first.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`program_team:${programId}`]);
      const same = await m.findOneBy(ProgramTeam, { programId, name: input.name });
      if (same?.hostPersonId === input.hostPersonId) return { team: same, created: false };
      const problems = [
        ...await this.referenceProblems(m, access, program, districtPath, input),
        ...await this.memberProblems(m, program.id, memberIds, 'memberIds'),
      ];
      if (problems.length) throw new ValidationFailed(problems);
      if (same) throw new Conflict('TEAM_NAME_TAKEN', 'The program has a team of this name');
      await this.refuseMembersElsewhere(m, memberIds, null);
      const team = await m.save(m.create(ProgramTeam, {
        programId, districtId: program.districtId, name: input.name, hostPersonId: input.hostPersonId,
        baseOrgUnitId: input.baseOrgUnitId ?? null, baseName: input.baseName || null, plan: {},
        requiredCourseIds: [...new Set(input.requiredCourseIds ?? [])], creditTarget: input.creditTarget ?? null,
      }));
      if (memberIds.length) await m.update(ProgramMember, memberIds, { teamId: team.id, version: () => 'version + 1' });
      await this.audit.record(access.userId, 'programs.team.create', 'program_team', team.id, program.districtId, null, { ...team, memberIds }, m);
      return { team, created: true };
    });
  }

  async update(access: AccessContext, teamId: string, input: UpdateTeamDto): Promise<ProgramTeam> {
    return inTransaction(this.db, async (m) => {
      const ctx = await this.cohort.team(access, teamId, m, true);
      if (!ctx.isStaff) throw new NotFound('team', teamId);
      const { team, program } = ctx;
      if (input.version !== team.version) throw teamVersionConflict(team.version);
      const problems = await this.referenceProblems(m, access, program, ctx.districtPath, input);
      if (problems.length) throw new ValidationFailed(problems);
      if (input.name !== undefined && input.name !== team.name && await m.findOneBy(ProgramTeam, { programId: program.id, name: input.name })) {
        throw new Conflict('TEAM_NAME_TAKEN', 'The program has a team of this name');
      }
      const before = { ...team };
      const changes: Partial<ProgramTeam> = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.hostPersonId !== undefined) changes.hostPersonId = input.hostPersonId;
      if (input.baseOrgUnitId !== undefined) changes.baseOrgUnitId = input.baseOrgUnitId;
      if (input.baseName !== undefined) changes.baseName = input.baseName || null;
      if (input.requiredCourseIds !== undefined) changes.requiredCourseIds = [...new Set(input.requiredCourseIds)];
      if (input.creditTarget !== undefined) changes.creditTarget = input.creditTarget;
      await m.update(ProgramTeam, { id: teamId }, { ...changes, version: () => 'version + 1' });
      const saved = (await m.findOneBy(ProgramTeam, { id: teamId }))!;
      await this.audit.record(access.userId, 'programs.team.update', 'program_team', teamId, team.districtId, before, { ...saved }, m);
      return saved;
    });
  }

  /** Puts members without a team into this one; a member already in another team is refused (a member is in at most one team). */
  async addMembers(access: AccessContext, teamId: string, memberIds: string[]): Promise<{ changed: number }> {
    const ids = [...new Set(memberIds)];
    return inTransaction(this.db, async (m) => {
      const ctx = await this.cohort.team(access, teamId, m, true);
      if (!ctx.isStaff) throw new NotFound('team', teamId);
      const problems = await this.memberProblems(m, ctx.program.id, ids, 'memberIds');
      if (problems.length) throw new ValidationFailed(problems);
      await this.refuseMembersElsewhere(m, ids, teamId);
      const fresh = (await m.findBy(ProgramMember, ids.map((id) => ({ id })))).filter((x) => x.teamId !== teamId).map((x) => x.id);
      if (fresh.length) {
        await m.update(ProgramMember, fresh, { teamId, version: () => 'version + 1' });
        await this.audit.record(access.userId, 'programs.team.add_members', 'program_team', teamId, ctx.team.districtId, null, { memberIds: fresh }, m);
      }
      return { changed: fresh.length };
    });
  }

  /** Sets (or clears) one member's team explicitly, moving them out of any other team of the program. */
  async setMemberTeam(access: AccessContext, memberId: string, teamId: string | null): Promise<ProgramMember> {
    return inTransaction(this.db, async (m) => {
      const { member, program } = await this.cohort.memberForStaff(access, memberId, m);
      if (member.teamId === teamId) return member;
      if (teamId) {
        const team = await m.findOneBy(ProgramTeam, { id: teamId });
        if (!team || team.programId !== program.id) throw ValidationFailed.field('teamId', 'unknown', 'no such team in the member\'s program');
        if (member.status !== 'active') throw memberNotActive(member.status);
      }
      await m.update(ProgramMember, { id: memberId }, { teamId, version: () => 'version + 1' });
      await this.audit.record(access.userId, 'programs.member.team', 'program_member', memberId, member.districtId, { teamId: member.teamId }, { teamId }, m);
      return (await m.findOneBy(ProgramMember, { id: memberId }))!;
    });
  }

  /** Host, base and courses must be the district's own; unknown ones name their field. */
  private async referenceProblems(
    m: EntityManager, access: AccessContext, program: Program, districtPath: string,
    input: { hostPersonId?: string; baseOrgUnitId?: string | null; requiredCourseIds?: string[] },
  ): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    if (input.hostPersonId) {
      const [host] = await m.query(`SELECT d.path FROM person p JOIN org_unit d ON d.id = p.district_id WHERE p.id = $1`, [input.hostPersonId]);
      if (!host || !access.canAt('programs.manage', host.path)) problems.push({ field: 'hostPersonId', code: 'unknown', message: 'no such person in your district' });
    }
    if (input.baseOrgUnitId) {
      const [base] = await m.query(`SELECT path FROM org_unit WHERE id = $1`, [input.baseOrgUnitId]);
      if (!base || !String(base.path).startsWith(districtPath)) problems.push({ field: 'baseOrgUnitId', code: 'unknown', message: 'no such org unit in the program\'s district' });
    }
    const courseIds = [...new Set(input.requiredCourseIds ?? [])];
    if (courseIds.length) {
      const found: { id: string }[] = await m.query(`SELECT id FROM course WHERE id = ANY($1::uuid[]) AND district_id = $2`, [courseIds, program.districtId]);
      const known = new Set(found.map((c) => c.id));
      (input.requiredCourseIds ?? []).forEach((id, i) => {
        if (!known.has(id)) problems.push({ field: `requiredCourseIds[${i}]`, code: 'unknown', message: 'no such course in the district catalog' });
      });
    }
    return problems;
  }

  /** Each id must be an active member of the program. */
  private async memberProblems(m: EntityManager, programId: string, ids: string[], field: string): Promise<FieldProblem[]> {
    if (!ids.length) return [];
    const rows = await m.findBy(ProgramMember, ids.map((id) => ({ id })));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id, i) => {
      const row = byId.get(id);
      if (!row || row.programId !== programId) return [{ field: `${field}[${i}]`, code: 'unknown', message: 'not a member of this program' }];
      if (row.status !== 'active') return [{ field: `${field}[${i}]`, code: 'not_active', message: `the member is ${row.status}` }];
      return [];
    });
  }

  /** Locks the members (two teams taking the same member at once: the second sees the first's) and refuses those in another team. */
  private async refuseMembersElsewhere(m: EntityManager, ids: string[], teamId: string | null): Promise<void> {
    if (!ids.length) return;
    const rows = await m.find(ProgramMember, { where: ids.map((id) => ({ id })), lock: { mode: 'pessimistic_write' }, order: { id: 'ASC' } });
    const elsewhere = rows.filter((r) => r.teamId && r.teamId !== teamId).map((r) => r.id);
    if (elsewhere.length) throw membersInOtherTeams(elsewhere);
  }
}
