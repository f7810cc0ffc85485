import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { flash } from '../../common/web/flash.js';
import { validateInput } from '../people/people.dto.js';
import { ComplianceQuery } from './compliance.query.js';
import { UpdateSchemeDto } from './schemes.dto.js';
import { readSchemeForm, schemeCard, schemeFormErrors, type SchemeFormState } from './schemes-views.js';
import { SchemesService } from './schemes.service.js';

/** /credits/schemes: every scheme with its rules in words; district staff adjust the editable ones here. */
@ApiExcludeController()
@Controller('credits/schemes')
export class SchemesPagesController {
  constructor(private readonly schemes: SchemesService, private readonly query: ComplianceQuery) {}

  @Get()
  @Authorize('signed_in')
  async list(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, null, 200);
  }

  @Post(':code')
  @Authorize('credits.manage')
  async update(@Access() access: AccessContext, @Param('code') code: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const { state, input, rowOfRule } = readSchemeForm(body);
    try {
      const { value, problems } = await validateInput(UpdateSchemeDto, input);
      if (problems.length) throw new ValidationFailed(problems);
      await this.schemes.update(access, code, value);
    } catch (error) {
      const errors = schemeFormErrors(error, req.locale, rowOfRule);
      if (!errors) throw error;
      return this.render(access, req, res, { code, state: { ...state, errors } }, error instanceof DomainError && error.status === 409 ? 409 : 400);
    }
    flash(res, { kind: 'success', key: 'schemes.flash.updated' });
    res.redirect(303, `/credits/schemes#scheme-${code}`);
  }

  private async render(access: AccessContext, req: Request, res: Response, failed: { code: string; state: SchemeFormState } | null, status: number) {
    const [schemes, stages] = await Promise.all([this.schemes.list(), this.query.stageNames()]);
    const canManage = access.can('credits.manage');
    res.status(status).render('pages/credits/schemes', {
      title: translate(req.locale, 'schemes.title'),
      schemes: schemes.map((s) => schemeCard(s, req.locale, stages, canManage, failed?.code === s.code ? failed.state : null)),
    });
  }
}
