import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { ProgramMember, ProgramTeam } from './cohort.entities.js';
import type { Program } from './programs.entities.js';
import { ProgramsDirectory } from './programs-directory.service.js';

/** How the caller stands to a team: district staff manage it, the host leads it, members work in it. */
export interface TeamContext {
  team: ProgramTeam;
  program: Program;
  districtPath: string;
  isStaff: boolean;
  isHost: boolean;
  /** The caller's own membership of the team, when they have one. */
  membership: ProgramMember | null;
}

export interface MemberContext {
  member: ProgramMember;
  program: Program;
  districtPath: string;
}

/** Finds teams and members and decides who reaches them; anyone without a part in them gets 404. */
@Injectable()
export class CohortAccess {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly programs: ProgramsDirectory,
  ) {}

  /** The team for its district's staff, its host and its members; `lock` takes the team row for an edit. */
  async team(access: AccessContext, teamId: string, manager?: EntityManager, lock = false): Promise<TeamContext> {
    const m = manager ?? this.db.manager;
    const team = await m.getRepository(ProgramTeam).findOne({ where: { id: teamId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!team) throw new NotFound('team', teamId);
    const program = (await this.programs.get(team.programId, m))!;
    const districtPath = await this.programs.districtPath(program, m);
    const isStaff = access.canAt('programs.manage', districtPath);
    const isHost = !!access.personId && access.personId === team.hostPersonId;
    const membership = access.personId ? await m.getRepository(ProgramMember).findOneBy({ teamId, personId: access.personId }) : null;
    if (!isStaff && !isHost && !membership) throw new NotFound('team', teamId);
    return { team, program, districtPath, isStaff, isHost, membership };
  }

  /** A member for the district staff of its program (locked for a change when `manager` is given). */
  async memberForStaff(access: AccessContext, memberId: string, manager?: EntityManager): Promise<MemberContext> {
    const m = manager ?? this.db.manager;
    const member = await m.getRepository(ProgramMember).findOne({ where: { id: memberId }, ...(manager ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!member) throw new NotFound('program_member', memberId);
    const program = (await this.programs.get(member.programId, m))!;
    const districtPath = await this.programs.districtPath(program, m);
    if (!access.canAt('programs.manage', districtPath)) throw new NotFound('program_member', memberId);
    return { member, program, districtPath };
  }

  /** A cohort program for its district's staff. */
  async programForStaff(access: AccessContext, programId: string, manager?: EntityManager): Promise<{ program: Program; districtPath: string }> {
    const program = await this.programs.forManager(access, programId, 'programs.manage', manager);
    if (program.kind !== 'cohort') throw new NotFound('program', programId);
    return { program, districtPath: await this.programs.districtPath(program, manager) };
  }

  get directory(): ProgramsDirectory {
    return this.programs;
  }
}
