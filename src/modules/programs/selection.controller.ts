import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { DECISIONS, SelectionService } from './selection.service.js';

@ApiTags('programs')
@ApiBearerAuth()
@Controller('api')
export class SelectionController {
  constructor(private readonly selection: SelectionService) {}

  /** Applications ranked by aggregate score, quota use per district / kindergarten / group, and a suggestion within the quotas. */
  @Get('programs/:id/selection')
  @Authorize('programs.manage')
  board(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.selection.board(access, id);
  }

  /** The whole selection: `selected`, `reserve` (in rank order), `notSelected`; the rest undecided. Over a quota: 409, nothing written. */
  @Put('programs/:id/selection')
  @Authorize('programs.manage')
  @ApiBody({ schema: { type: 'object', properties: {
    selected: { type: 'array', items: { type: 'string', format: 'uuid' } }, reserve: { type: 'array', items: { type: 'string', format: 'uuid' } },
    notSelected: { type: 'array', items: { type: 'string', format: 'uuid' } } } } })
  set(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>) {
    return this.selection.setSelection(access, id, body ?? {});
  }

  @Post('program-applications/:id/decision')
  @Authorize('programs.manage')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', required: ['decision'], properties: { decision: { type: 'string', enum: [...DECISIONS] } } } })
  decide(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>) {
    return this.selection.decide(access, id, body ?? {});
  }

  /** Freezes scores, records the results, creates the cohort's members and tells each applicant. Again: unchanged. */
  @Post('programs/:id/close-selection')
  @Authorize('programs.manage')
  @HttpCode(200)
  close(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.selection.close(access, id);
  }
}
