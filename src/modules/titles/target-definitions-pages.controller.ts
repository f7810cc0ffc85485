import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { ValidationFailed } from '../../common/errors.js';
import { hasTranslation, translate, type Locale } from '../../common/i18n/i18n.js';
import { flash } from '../../common/web/flash.js';
import { RecordIdPipe, validateInput } from '../people/people.dto.js';
import { TargetDefinitionsService } from './target-definitions.service.js';
import { TargetsService } from './targets.service.js';
import { UpdateTargetDto } from './targets.dto.js';

type Form = Record<string, unknown>;
/** A row sent back with errors: its id, the entered values and a message per field. */
interface RowForm { id: string; values: { threshold: string; deadline: string }; errors: Record<string, string> }

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** /targets/definitions: district HR changes a target's threshold and deadline, or archives it (a default gets the district's override). */
@ApiExcludeController()
@Controller('targets/definitions')
export class TargetDefinitionsPagesController {
  constructor(private readonly targets: TargetsService, private readonly definitions: TargetDefinitionsService) {}

  @Get()
  @Authorize('targets.manage')
  async list(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, null, 200);
  }

  @Post(':id')
  @Authorize('targets.manage')
  async change(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = { threshold: text(body.threshold), deadline: text(body.deadline) };
    try {
      const { value, problems } = await validateInput(UpdateTargetDto, values);
      if (problems.length) throw new ValidationFailed(problems);
      await this.definitions.update(access, id, value);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      return this.render(access, req, res, { id, values, errors: fieldErrors(error, req.locale) }, 400);
    }
    flash(res, { kind: 'success', key: 'targets.definitions.flash.updated' });
    res.redirect(303, '/targets/definitions');
  }

  @Post(':id/archive')
  @Authorize('targets.manage')
  async archive(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    await this.definitions.archive(access, id);
    flash(res, { kind: 'success', key: 'targets.definitions.flash.archived' });
    res.redirect(303, '/targets/definitions');
  }

  private async render(access: AccessContext, req: Request, res: Response, sent: RowForm | null, status: number) {
    const rows = await this.targets.definitions(access.districtIdFor('targets.manage'));
    res.status(status).render('pages/titles/targets-definitions', {
      title: translate(req.locale, 'targets.definitions.title'),
      rows: rows.map((row) => {
        const own = sent?.id === row.id ? sent : null;
        return {
          id: row.id, code: row.code, name: req.locale === 'en' ? row.nameEn : row.nameZh, unit: row.unit,
          override: !!row.districtId, archived: row.archived, source: row.source ?? null,
          values: own?.values ?? { threshold: String(row.threshold), deadline: row.deadline },
          errors: { threshold: own?.errors.threshold ?? null, deadline: own?.errors.deadline ?? null },
        };
      }),
      hasErrors: !!sent,
    });
  }
}

function fieldErrors(error: ValidationFailed, locale: Locale): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const problem of error.problems) {
    if (errors[problem.field]) continue;
    const key = `targets.problem.${problem.code}`;
    errors[problem.field] = translate(locale, hasTranslation(locale, key) ? key : 'targets.problem.invalid');
  }
  return errors;
}
