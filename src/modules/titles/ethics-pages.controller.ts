import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { validateInput } from '../people/people.dto.js';
import { ETHICS_SANCTION_KINDS } from './ethics-sanction.entity.js';
import { RecordSanctionDto, RevokeSanctionDto } from './ethics.dto.js';
import { EthicsService } from './ethics.service.js';
import { currentYear, PledgesService } from './pledges.service.js';
import { fieldMessages, pick, type Form } from './ethics-views.js';

const SANCTION_FIELDS = ['kind', 'decidedOn', 'sanctionUntil', 'blocksUntil', 'reason'];

/** Ethics pages: a person's sanctions (district staff), the pledge for the signed-in person, and the yearly overview for admins. */
@ApiExcludeController()
@Controller()
export class EthicsPagesController {
  constructor(private readonly ethics: EthicsService, private readonly pledges: PledgesService) {}

  @Get('people/:id/ethics')
  @Authorize('ethics.manage')
  async person(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.renderPerson(access, req, res, id, { values: { kind: 'warning' }, errors: {}, revoke: null }, 200);
  }

  @Post('people/:id/ethics')
  @Authorize('ethics.manage')
  async record(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const input = pick(body, SANCTION_FIELDS);
    try {
      const { value, problems } = await validateInput(RecordSanctionDto, input);
      if (problems.length) throw new ValidationFailed(problems);
      await this.ethics.record(access, id, value);
    } catch (error) {
      const errors = fieldMessages(error, req.locale);
      if (!errors) throw error;
      return this.renderPerson(access, req, res, id, { values: input, errors, revoke: null }, 400);
    }
    flash(res, { kind: 'success', key: 'ethics.flash.recorded' });
    res.redirect(303, `/people/${id}/ethics`);
  }

  @Post('people/:id/ethics/:sanctionId/revoke')
  @Authorize('ethics.manage')
  async revoke(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('sanctionId', RecordIdPipe) sanctionId: string,
    @Body() body: Form, @Req() req: Request, @Res() res: Response,
  ) {
    try {
      const { value, problems } = await validateInput(RevokeSanctionDto, pick(body, ['reason']));
      if (problems.length) throw new ValidationFailed(problems);
      await this.ethics.revoke(access, id, sanctionId, value.reason);
    } catch (error) {
      const errors = fieldMessages(error, req.locale);
      if (!errors) throw error;
      return this.renderPerson(access, req, res, id, { values: { kind: 'warning' }, errors: {}, revoke: { id: sanctionId, error: errors.reason ?? null } }, 400);
    }
    flash(res, { kind: 'success', key: 'ethics.flash.revoked' });
    res.redirect(303, `/people/${id}/ethics`);
  }

  @Get('me/pledge')
  @Authorize('signed_in')
  async myPledge(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    const status = await this.pledges.mine(access);
    res.render('pages/titles/ethics-pledge', { title: translate(req.locale, 'pledges.me.title'), status });
  }

  @Post('me/pledge')
  @Authorize('signed_in')
  async sign(@Access() access: AccessContext, @Res() res: Response) {
    await this.pledges.sign(access, currentYear());
    flash(res, { kind: 'success', key: 'pledges.flash.signed' });
    res.redirect(303, '/me/pledge');
  }

  @Get('titles/ethics-overview')
  @Authorize('people.read')
  async overview(@Access() access: AccessContext, @Query('year') rawYear: unknown, @Req() req: Request, @Res() res: Response) {
    const year = typeof rawYear === 'string' && /^\d{4}$/.test(rawYear) ? Number(rawYear) : currentYear();
    const { kindergartens } = await this.pledges.overview(access, year);
    const total = kindergartens.reduce((sum, k) => ({ staff: sum.staff + k.staff, pledged: sum.pledged + k.pledged, studyDone: sum.studyDone + k.studyDone }),
      { staff: 0, pledged: 0, studyDone: 0 });
    res.render('pages/titles/ethics-overview', {
      title: translate(req.locale, 'pledges.overview.title'), year, years: [currentYear(), currentYear() - 1, currentYear() - 2],
      kindergartens: kindergartens.map((k) => ({ ...k, complete: k.missing.length === 0 })), total,
    });
  }

  private async renderPerson(
    access: AccessContext, req: Request, res: Response, id: string,
    form: { values: Form; errors: Record<string, string>; revoke: { id: string; error: string | null } | null }, status: number,
  ) {
    const person = await this.ethics.personInScope(access, id);
    const items = await this.ethics.list(access, id);
    res.status(status).render('pages/titles/ethics-person', {
      title: translate(req.locale, 'ethics.person.title'), person: { id, fullName: person.fullName },
      items: items.map((s) => ({ ...s, revokeOpen: form.revoke?.id === s.id, revokeError: form.revoke?.id === s.id ? form.revoke.error : null })),
      kinds: ETHICS_SANCTION_KINDS, values: { kind: '', decidedOn: '', sanctionUntil: '', blocksUntil: '', reason: '', ...form.values }, errors: form.errors,
      formWithErrors: Object.keys(form.errors).length > 0,
    });
  }
}
