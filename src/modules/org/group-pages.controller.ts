import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { pageLinks } from '../../common/pagination.js';
import { OrgPageQuery } from './org.dto.js';
import { hasTranslation, translate } from '../../common/i18n/i18n.js';
import { flash } from '../../common/web/flash.js';
import { GroupService } from './group.service.js';
import { GroupMembersDto } from './group.dto.js';
import type { MemberInput } from './org-rules.js';
import { fieldProblemsOf } from './org-errors.js';
import { membersFromForm, validated } from './org-forms.js';

/** Kindergarten groups: the list, and one group with its leads and members (members editable by district staff). */
@ApiExcludeController()
@Controller('groups')
export class GroupPagesController {
  constructor(private readonly groups: GroupService) {}

  @Get()
  @Authorize('org.read')
  async list(@Access() access: AccessContext, @Query() query: OrgPageQuery, @Req() req: Request, @Res() res: Response) {
    const result = await this.groups.list(access, query.q, query.page, query.pageSize);
    res.render('pages/org/groups', {
      title: translate(req.locale, 'org.groups.title'),
      items: result.items,
      q: query.q ?? '',
      pager: pageLinks('/groups', { ...query }, result.total, query.page, query.pageSize),
    });
  }

  @Get(':id')
  @Authorize('org.read')
  async detail(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, id, null, [], 200);
  }

  @Post(':id/members')
  @Authorize('org.write')
  async saveMembers(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const submitted = membersFromForm(body);
    try {
      await this.groups.replaceMembers(access, id, (await validated(GroupMembersDto, submitted)).members);
      flash(res, { kind: 'success', key: 'org.groups.membersSaved' });
      res.redirect(303, `/groups/${id}`);
    } catch (error) {
      const problems = fieldProblemsOf(error);
      if (!problems) throw error;
      const messages = [...new Set(problems.map((p) => (hasTranslation(req.locale, `org.problem.${p.code}`) ? `org.problem.${p.code}` : 'org.problem.invalid')))];
      await this.render(access, req, res, id, submitted.members, messages.map((key) => translate(req.locale, key)), 400);
    }
  }

  private async render(access: AccessContext, req: Request, res: Response, id: string, submitted: MemberInput[] | null, errors: string[], status: number) {
    const group = await this.groups.detail(access, id);
    const choices = group.canWrite ? await this.groups.memberChoices(access, id) : [];
    const chosen = submitted && new Map(submitted.map((m) => [m.kindergartenId, m.isLead]));
    res.status(status).render('pages/org/group', {
      title: group.name,
      group,
      choices: chosen ? choices.map((c) => ({ ...c, isMember: chosen.has(c.kindergartenId), isLead: chosen.get(c.kindergartenId) ?? false })) : choices,
      errors,
    });
  }
}
