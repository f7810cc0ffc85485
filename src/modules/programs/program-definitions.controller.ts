import { Body, Controller, Get, HttpCode, Next, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { NotFound } from '../../common/errors.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { ApplicationsService } from './applications.service.js';
import { ProgramInputDto, ProgramListQuery } from './program-definition.dto.js';
import { ProgramDefinitionsService } from './program-definitions.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('programs')
@ApiBearerAuth()
@Controller('api/programs')
export class ProgramDefinitionsController {
  constructor(private readonly programs: ProgramDefinitionsService, private readonly applications: ApplicationsService) {}

  /** District staff: every program of their districts; anyone else: the published programs of the district they work in. */
  @Get()
  @Authorize('signed_in')
  async list(@Access() access: AccessContext, @Query() query: ProgramListQuery) {
    return { items: await this.programs.list(access, query) };
  }

  /** Checked as a whole: every bad field listed (`eligibility.maxAge`, `criteria[0].maxScore` ...). */
  @Post()
  @Authorize('programs.manage')
  @ApiBody({ type: ProgramInputDto })
  create(@Access() access: AccessContext, @Body() body: Record<string, unknown>) {
    return this.programs.create(access, body ?? {});
  }

  /** Not an id (e.g. `alumni`): left to the routes of the other program modules registered after this one. */
  @Get(':id')
  @Authorize('signed_in')
  async get(@Access() access: AccessContext, @Param('id') id: string, @Res() res: Response, @Next() next: NextFunction) {
    if (!UUID.test(id)) return next();
    res.json(await this.programs.get(access, id.toLowerCase()));
  }

  /** Any subset of the fields (and optionally the `version` read); the result is checked as a whole. */
  @Patch(':id')
  @Authorize('programs.manage')
  update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>) {
    return this.programs.update(access, id, body ?? {});
  }

  @Post(':id/publish')
  @Authorize('programs.manage')
  @HttpCode(200)
  publish(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.programs.publish(access, id);
  }

  @Post(':id/start')
  @Authorize('programs.manage')
  @HttpCode(200)
  start(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.programs.start(access, id);
  }

  @Post(':id/close')
  @Authorize('programs.manage')
  @HttpCode(200)
  close(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.programs.close(access, id);
  }

  /** Whether the caller (or `personId`, a person a nominator reaches) may apply today, with every reason if not. */
  @Get(':id/eligibility')
  @Authorize('signed_in')
  eligibility(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query('personId') personId?: string) {
    if (personId !== undefined && !UUID.test(personId)) throw new NotFound('person');
    return this.applications.eligibilityOf(access, id, personId?.toLowerCase() ?? null);
  }
}
