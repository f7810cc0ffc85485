import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDate } from '../../common/dates.js';
import { DomainError } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { pick, validated } from '../enrollment/enrollment-views.js';
import { ROTATION_KINDS } from './mentoring.entities.js';
import { ROTATION_FIELDS, blankForm, formErrors, refusal, type FormState } from './mentoring-work-views.js';
import { COUNT_AT, CreateRotationDto, EndRotationDto } from './rotation.dto.js';
import { RotationsQuery } from './rotations.query.js';
import { RotationsService } from './rotations.service.js';

type Form = Record<string, unknown>;

/** /rotations: district staff record rotations and see who serves where today, with the headcount per kindergarten. */
@ApiExcludeController()
@Controller('rotations')
export class RotationsPagesController {
  constructor(private readonly rotations: RotationsService, private readonly query: RotationsQuery) {}

  @Get()
  @Authorize('rotation.manage')
  async index(@Access() access: AccessContext, @Query('on') on: unknown, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, typeof on === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(on) ? on : shanghaiDate(), null, null, 200);
  }

  @Post()
  @Authorize('rotation.manage')
  async create(@Access() access: AccessContext, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body ?? {}, [...ROTATION_FIELDS]);
    try {
      const input = await validated(CreateRotationDto, Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')));
      const answer = await this.rotations.create(access, input);
      flash(res, { kind: 'success', key: answer.changed ? 'mentoring.work.flash.rotationSaved' : 'mentoring.work.flash.unchanged' });
    } catch (error) {
      const errors = formErrors(error, ROTATION_FIELDS, values, req.locale);
      if (!errors) throw error;
      return this.render(access, req, res, shanghaiDate(), { values: { ...blankForm(ROTATION_FIELDS).values, ...values }, errors }, null, (error as DomainError).status);
    }
    res.redirect(303, '/rotations');
  }

  @Post(':id/end')
  @Authorize('rotation.manage')
  async end(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body ?? {}, ['endedEarlyOn']);
    try {
      await this.rotations.endEarly(access, id, await validated(EndRotationDto, values));
    } catch (error) {
      if (!(error instanceof DomainError) || error.status === 404 || error.status >= 500) throw error;
      const message = formErrors(error, ['endedEarlyOn'], values, req.locale)?.endedEarlyOn ?? refusal(error, req.locale);
      return this.render(access, req, res, shanghaiDate(), null, { id, message }, error.status);
    }
    flash(res, { kind: 'success', key: 'mentoring.work.flash.rotationEnded' });
    res.redirect(303, '/rotations');
  }

  private async render(access: AccessContext, req: Request, res: Response, on: string, form: FormState | null, rowError: { id: string; message: string } | null, status: number) {
    const paths = access.scopePaths('rotation.manage');
    const [list, headcount, people, kindergartens] = await Promise.all([
      this.rotations.list(access, { page: 1, pageSize: 200 }),
      this.rotations.headcount(access, on),
      this.query.peopleUnder(paths),
      this.query.kindergartens(),
    ]);
    res.status(status).render('pages/mentoring/work-rotations', {
      title: translate(req.locale, 'mentoring.work.rotations.title'),
      on,
      rows: list.items.map((r) => ({ ...r, running: r.startsOn <= on && r.lastDay >= on, canEnd: !r.endedEarlyOn && r.endsOn > shanghaiDate(),
        error: rowError?.id === r.id ? rowError.message : null })),
      headcount: headcount.filter((h) => h.rotatedIn || h.rotatedOut),
      form: form ?? blankForm(ROTATION_FIELDS, { countAt: 'both', kind: 'support' }),
      formOpen: !!form,
      people, kindergartens, kinds: ROTATION_KINDS, countAts: COUNT_AT, today: shanghaiDate(),
    });
  }
}
