import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { pageLinks } from '../../common/pagination.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { CohortReadsService } from './cohort-reads.service.js';
import { ASSESSMENT_STAGES } from './cohort-rules.js';
import { AlumniQuery, AssessmentDto, CreateTeamDto, ExitDto, TransferDto, checkedInput } from './cohort.dto.js';
import { ASSESSMENT_RESULTS } from './cohort.entities.js';
import { CohortQuery } from './cohort.query.js';
import { STATUS_COLOURS, blankForm, formErrors, listOf, pick, present, statusOf, text, tierLabel, type Form, type FormState } from './cohort-views.js';
import { MemberAssessmentsService } from './member-assessments.service.js';
import { MemberMovesService } from './member-moves.service.js';
import { TeamsService } from './teams.service.js';

const TEAM_FIELDS = ['name', 'hostPersonId', 'baseOrgUnitId', 'baseName', 'creditTarget', 'requiredCourseIds', 'memberIds'] as const;
const MEMBER_ACTIONS = ['assessment', 'exit', 'move', 'promote', 'team'] as const;
type MemberAction = (typeof MEMBER_ACTIONS)[number];

interface PageState {
  teamForm?: FormState & { courseIds: string[]; memberIds: string[] };
  assign?: { error: string; teamId: string; memberIds: string[] };
  memberAction?: { memberId: string; action: string; values: Record<string, string>; error: string };
}

/** District staff's cohort page (/programs/:id/cohort) and the alumni search (/programs/alumni). */
@ApiExcludeController()
@Controller()
export class CohortPagesController {
  constructor(
    private readonly reads: CohortReadsService,
    private readonly query: CohortQuery,
    private readonly teams: TeamsService,
    private readonly assessments: MemberAssessmentsService,
    private readonly moves: MemberMovesService,
  ) {}

  @Get('programs/alumni')
  @Authorize('programs.manage')
  async alumni(@Access() access: AccessContext, @Query() query: AlumniQuery, @Req() req: Request, @Res() res: Response) {
    const result = await this.reads.alumni(access, {
      tier: query.tier, round: query.round, q: query.q, kindergartenId: query.kindergartenId, page: query.page, pageSize: query.pageSize,
    });
    const kindergartens = (await Promise.all(access.scopePaths('programs.manage').map((path) => this.query.kindergartens(path)))).flat();
    res.render('pages/programs/cohort-alumni', {
      title: translate(req.locale, 'cohort.alumni.title'),
      rows: result.items.map((r) => ({ ...r, programName: req.locale === 'en' ? r.programNameEn : r.programNameZh, tierName: tierLabel(req.locale, r) })),
      filter: { tier: query.tier ?? '', round: query.round ?? '', q: query.q ?? '', kindergartenId: query.kindergartenId ?? '' },
      tiers: ['seed', 'talent', 'navigator'],
      kindergartens,
      pager: pageLinks('/programs/alumni', { tier: query.tier, round: query.round, q: query.q, kindergartenId: query.kindergartenId }, result.total, result.page, result.pageSize),
    });
  }

  @Get('programs/:id/cohort')
  @Authorize('programs.manage')
  async page(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: Form, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, id, 200, {}, text(query.hostQ).slice(0, 50));
  }

  @Post('programs/:id/cohort/teams')
  @Authorize('programs.manage')
  async createTeam(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body, TEAM_FIELDS);
    const courseIds = listOf(body.requiredCourseIds);
    const memberIds = listOf(body.memberIds);
    try {
      const plain: Record<string, unknown> = { ...present(values), requiredCourseIds: courseIds, memberIds };
      if (values.creditTarget.trim()) plain.creditTarget = Number(values.creditTarget);
      const answer = await this.teams.create(access, id, await checkedInput(CreateTeamDto, plain));
      flash(res, { kind: 'success', key: answer.created ? 'cohort.flash.teamCreated' : 'cohort.flash.unchanged' });
      return res.redirect(303, `/teams/${answer.team.id}`);
    } catch (error) {
      const errors = formErrors(error, TEAM_FIELDS, values, req.locale);
      if (!errors) throw error;
      return this.render(access, req, res, id, statusOf(error), { teamForm: { values, errors, courseIds, memberIds } }, '');
    }
  }

  @Post('programs/:id/cohort/assign')
  @Authorize('programs.manage')
  async assign(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const teamId = text(body.teamId);
    const memberIds = listOf(body.memberIds);
    try {
      if (!teamId) throw ValidationFailed.field('teamId', 'required', 'choose a team');
      if (!memberIds.length) throw ValidationFailed.field('memberIds', 'required', 'choose members');
      await this.teams.addMembers(access, teamId, memberIds);
    } catch (error) {
      const errors = formErrors(error, ['teamId', 'memberIds'], { teamId, memberIds: memberIds.join(',') }, req.locale);
      if (!errors) throw error;
      const message = errors.teamId ?? errors.memberIds ?? errors.form;
      return this.render(access, req, res, id, statusOf(error), { assign: { error: message, teamId, memberIds } }, '');
    }
    flash(res, { kind: 'success', key: 'cohort.flash.assigned' });
    res.redirect(303, `/programs/${id}/cohort#members`);
  }

  /** The member's action forms: assessment, exit, move, promote and team; each back to this page. */
  @Post('programs/:id/cohort/members/:memberId/:action')
  @Authorize('programs.manage')
  async memberAction(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('memberId', RecordIdPipe) memberId: string,
    @Param('action') action: string, @Body() body: Form, @Req() req: Request, @Res() res: Response,
  ) {
    if (!(MEMBER_ACTIONS as readonly string[]).includes(action)) return this.render(access, req, res, id, 404, {}, '');
    const values = pick(body, ['stage', 'result', 'comment', 'reason', 'targetProgramId', 'teamId']);
    try {
      await this.act(access, memberId, action as MemberAction, values);
    } catch (error) {
      const errors = formErrors(error, Object.keys(values), values, req.locale);
      if (!errors) throw error;
      const message = Object.values(errors)[0];
      return this.render(access, req, res, id, statusOf(error), { memberAction: { memberId, action, values, error: message } }, '');
    }
    flash(res, { kind: 'success', key: `cohort.flash.member.${action}` });
    res.redirect(303, `/programs/${id}/cohort#member-${memberId}`);
  }

  private async act(access: AccessContext, memberId: string, action: MemberAction, values: Record<string, string>): Promise<unknown> {
    switch (action) {
      case 'assessment':
        return this.assessments.assess(access, memberId, await checkedInput(AssessmentDto, present(pick(values, ['stage', 'result', 'comment']))));
      case 'exit':
        return this.moves.exit(access, memberId, await checkedInput(ExitDto, present(pick(values, ['reason']))));
      case 'move':
        return this.moves.move(access, memberId, (await checkedInput(TransferDto, present(pick(values, ['targetProgramId'])))).targetProgramId);
      case 'promote':
        return this.moves.promote(access, memberId, (await checkedInput(TransferDto, present(pick(values, ['targetProgramId'])))).targetProgramId);
      case 'team':
        return this.teams.setMemberTeam(access, memberId, values.teamId || null);
    }
  }

  private async render(access: AccessContext, req: Request, res: Response, id: string, status: number, state: PageState, hostQ: string) {
    const overview = await this.reads.overview(access, id);
    const { program } = overview;
    const [courses, bases, found] = await Promise.all([
      this.query.courses(overview.districtId),
      this.query.bases(overview.districtPath),
      this.query.people(access.scopePaths('programs.manage'), hostQ),
    ]);
    const form = state.teamForm ?? { ...blankForm(TEAM_FIELDS), courseIds: [], memberIds: [] };
    const action = state.memberAction;
    const en = req.locale === 'en';
    const nameOf = (p: { nameZh: string; nameEn: string }) => (en ? p.nameEn : p.nameZh);
    res.status(status).render('pages/programs/cohort-program', {
      title: translate(req.locale, 'cohort.program.title', { name: nameOf(program) }),
      program: { ...program, name: nameOf(program), tierName: tierLabel(req.locale, program) },
      teams: overview.teams,
      hostQ, found, searched: !!hostQ,
      hostChoices: [
        ...found.map((p) => ({ id: p.id, label: `${p.fullName}${p.kindergartenName ? ` · ${p.kindergartenName}` : ''}` })),
        ...overview.members.filter((m) => m.status === 'active').map((m) => ({ id: m.personId, label: `${m.fullName}${m.kindergartenName ? ` · ${m.kindergartenName}` : ''}` })),
      ].map((c) => ({ ...c, selected: c.id === form.values.hostPersonId })),
      courses: courses.map((c) => ({ ...c, selected: form.courseIds.includes(c.id) })),
      bases: bases.map((b) => ({ ...b, selected: b.id === form.values.baseOrgUnitId })),
      teamForm: form,
      withoutTeam: overview.withoutTeam.map((m) => ({
        ...m, checkedForTeam: form.memberIds.includes(m.id), checkedForAssign: state.assign?.memberIds.includes(m.id) ?? false,
      })),
      assign: state.assign ?? { error: null, teamId: '', memberIds: [] },
      members: overview.members.map((m) => ({
        ...m, statusColour: STATUS_COLOURS[m.status] ?? 'secondary', active: m.status === 'active', completed: m.status === 'completed',
        open: action?.memberId === m.id,
        actionError: action?.memberId === m.id ? action.error : null,
        actionValues: action?.memberId === m.id ? action.values : { stage: '', result: '', comment: '', reason: '', targetProgramId: '', teamId: '' },
      })),
      moveTargets: overview.moveTargets.map((p) => ({ ...p, name: nameOf(p) })),
      promotionTargets: overview.promotionTargets.map((p) => ({ ...p, name: nameOf(p) })),
      stages: ASSESSMENT_STAGES, results: ASSESSMENT_RESULTS,
    });
  }
}
