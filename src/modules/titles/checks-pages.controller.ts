import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { validateInput } from '../people/people.dto.js';
import { CHECK_KINDS, CHECK_RESULTS, RecordCheckDto } from './checks.dto.js';
import { ChecksService } from './checks.service.js';
import { fieldMessages, pick, type Form } from './ethics-views.js';

const CHECK_FIELDS = ['kind', 'authorisedOn', 'authorisationRef', 'checkedOn', 'result', 'note'];

/** Background-check pages for district HR only; for anyone else they do not exist (404, like the API). */
@ApiExcludeController()
@Controller()
export class ChecksPagesController {
  constructor(private readonly checks: ChecksService) {}

  @Get('background-checks')
  @Authorize('signed_in')
  async due(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    const due = await this.checks.due(access);
    res.render('pages/titles/checks-due', { title: translate(req.locale, 'checks.due.title'), ...due });
  }

  @Get('people/:id/background-checks')
  @Authorize('signed_in')
  async person(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, id, { kind: 'pre_employment', result: 'clear' }, {}, 200);
  }

  @Post('people/:id/background-checks')
  @Authorize('signed_in')
  async record(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    await this.checks.personInScope(access, id);
    const input = pick(body, CHECK_FIELDS);
    try {
      const { value, problems } = await validateInput(RecordCheckDto, input);
      if (problems.length) throw new ValidationFailed(problems);
      await this.checks.record(access, id, value);
    } catch (error) {
      const errors = fieldMessages(error, req.locale);
      if (!errors) throw error;
      return this.render(access, req, res, id, input, errors, 400);
    }
    flash(res, { kind: 'success', key: 'checks.flash.recorded' });
    res.redirect(303, `/people/${id}/background-checks`);
  }

  private async render(access: AccessContext, req: Request, res: Response, id: string, values: Form, errors: Record<string, string>, status: number) {
    const person = await this.checks.personInScope(access, id);
    const items = await this.checks.list(access, id);
    res.status(status).render('pages/titles/checks-person', {
      title: translate(req.locale, 'checks.person.title'), person: { id, fullName: person.fullName }, items,
      kinds: CHECK_KINDS, results: CHECK_RESULTS, errors, formWithErrors: Object.keys(errors).length > 0,
      values: { kind: '', authorisedOn: '', authorisationRef: '', checkedOn: '', result: '', note: '', ...values },
    });
  }
}
