import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { PeopleService } from './people.service.js';
import { StageDefinitionsService } from './stage-definitions.service.js';
import { recordView } from './people-views.js';

/** A staff member's own record (我的档案): read-only, identifiers masked. */
@ApiTags('people')
@Controller()
export class MeController {
  constructor(private readonly people: PeopleService, private readonly stages: StageDefinitionsService) {}

  @Get('api/me/profile')
  @Authorize('signed_in')
  @ApiBearerAuth()
  profile(@Access() access: AccessContext) {
    return this.people.ownRecord(access);
  }

  @Get('me')
  @Authorize('signed_in')
  @ApiExcludeEndpoint()
  async page(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    const [record, stages] = await Promise.all([this.people.ownRecord(access), this.stages.list(undefined, true)]);
    res.render('pages/people/record', recordView(record, { locale: req.locale, stages, kindergartens: [], self: true, canReveal: false }));
  }
}
