import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { CohortAccess } from './cohort-access.service.js';
import { CohortAlumniQuery, type AlumniFilter } from './cohort-alumni.query.js';
import { moveRefusal, normalisedPlan, promotionRefusal } from './cohort-rules.js';
import { CohortQuery } from './cohort.query.js';
import type { Program } from './programs.entities.js';
import { TeamProgressQuery } from './team-progress.query.js';

const programView = (p: Program) => ({
  id: p.id, code: p.code, nameZh: p.nameZh, nameEn: p.nameEn, tier: p.tier, tierNameZh: p.tierNameZh, tierNameEn: p.tierNameEn,
  round: p.round, startsOn: p.startsOn, endsOn: p.endsOn, status: p.status, credits: p.credits, hours: p.hours,
});

/** What the cohort page, the team space, the alumni search and a member's own view show. */
@Injectable()
export class CohortReadsService {
  constructor(
    private readonly cohort: CohortAccess,
    private readonly query: CohortQuery,
    private readonly progress: TeamProgressQuery,
    private readonly alumniQuery: CohortAlumniQuery,
  ) {}

  /** District staff: teams, the roster with assessments, members without a team and where members may move or be promoted. */
  async overview(access: AccessContext, programId: string) {
    const { program, districtPath } = await this.cohort.programForStaff(access, programId);
    const [teams, members, others] = await Promise.all([
      this.query.teams(programId), this.query.roster(programId), this.query.otherPrograms(program.districtId, programId),
    ]);
    const full = await Promise.all(others.map(async (o) => (await this.cohort.directory.get(o.id))!));
    return {
      program: programView(program),
      districtId: program.districtId,
      districtPath,
      teams,
      members,
      withoutTeam: members.filter((m) => m.status === 'active' && !m.teamId),
      moveTargets: others.filter((_, i) => moveRefusal(program, full[i]) === null),
      promotionTargets: others.filter((_, i) => promotionRefusal(program, full[i]) === null),
    };
  }

  /** The team space: staff, the host and the team's members; assessments only for staff and each member's own. */
  async teamSpace(access: AccessContext, teamId: string) {
    const ctx = await this.cohort.team(access, teamId);
    const { team, program } = ctx;
    const [hostName, baseOrgName, courses, members, milestones, outputs] = await Promise.all([
      this.progress.personName(team.hostPersonId), this.progress.orgUnitName(team.baseOrgUnitId),
      this.progress.courseTitles(team.requiredCourseIds),
      this.progress.members(teamId, program, team.requiredCourseIds), this.progress.milestones(teamId), this.progress.outputs(teamId),
    ]);
    const lead = ctx.isStaff || ctx.isHost;
    const canSubmit = ctx.membership?.status === 'active';
    return {
      team: {
        id: team.id, name: team.name, version: team.version, programId: team.programId,
        host: { personId: team.hostPersonId, fullName: hostName },
        base: { orgUnitId: team.baseOrgUnitId, orgUnitName: baseOrgName, name: team.baseName },
        plan: normalisedPlan({}, team.plan), planUpdatedAt: team.planUpdatedAt,
        requiredCourses: courses, creditTarget: team.creditTarget,
      },
      program: programView(program),
      viewer: { isStaff: ctx.isStaff, isHost: ctx.isHost, memberId: ctx.membership?.id ?? null, canEditPlan: lead, canManageMilestones: lead, canSubmit },
      members: members.map((m) => {
        const seesAssessment = ctx.isStaff || m.personId === access.personId;
        return {
          id: m.id, personId: m.personId, fullName: m.fullName, kindergartenName: m.kindergartenName, status: m.status,
          creditsEarned: m.creditsEarned, creditTarget: team.creditTarget,
          creditsMet: team.creditTarget === null ? null : m.creditsEarned >= team.creditTarget,
          courses: courses.map((c) => ({ ...c, done: m.completedCourseIds.includes(c.id) })),
          coursesDone: m.completedCourseIds.length, coursesRequired: courses.length,
          assessment: seesAssessment
            ? { midtermResult: m.midtermResult, midtermComment: m.midtermComment, finalResult: m.finalResult, finalComment: m.finalComment }
            : null,
        };
      }),
      milestones,
      outputs: outputs.map((o) => ({ ...o, canReview: lead && o.status === 'submitted' && (ctx.isStaff || o.personId !== access.personId) })),
    };
  }

  async alumni(access: AccessContext, filter: AlumniFilter) {
    return this.alumniQuery.search(access.scopePaths('programs.manage'), filter);
  }

  /** The caller's own memberships with their assessments and teams. */
  async mine(access: AccessContext) {
    if (!access.personId) return { items: [], hosted: [] };
    const [items, hosted] = await Promise.all([this.query.memberships(access.personId), this.query.hostedTeams(access.personId)]);
    return { items, hosted };
  }
}
