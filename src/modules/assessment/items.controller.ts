import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { ItemChangeDoc, ItemInputDoc } from './item.dto.js';
import { ItemsService } from './items.service.js';
import { SurveysService } from './surveys.service.js';

/** An offering's assessment items, for its trainers. */
@ApiTags('assessment')
@ApiBearerAuth()
@Controller('api')
export class ItemsController {
  constructor(private readonly items: ItemsService, private readonly surveys: SurveysService) {}

  @Post('offerings/:id/items')
  @Authorize('offering.teach')
  @ApiBody({ type: ItemInputDoc })
  create(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>) {
    return this.items.create(access, id, body ?? {});
  }

  @Get('offerings/:id/items')
  @Authorize('offering.teach')
  list(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.items.list(access, id);
  }

  /** Any fields with the `version` read; grading settings are frozen once grades exist (409 ITEM_GRADED). */
  @Patch('items/:id')
  @Authorize('offering.teach')
  @ApiBody({ type: ItemChangeDoc })
  update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Record<string, unknown>) {
    return this.items.update(access, id, body ?? {});
  }

  @Post('items/:id/archive')
  @Authorize('offering.teach')
  @HttpCode(200)
  archive(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.items.archive(access, id);
  }

  /** Response count and rate, and per question the aggregate; no learner is named. */
  @Get('items/:id/survey-results')
  @Authorize('offering.teach')
  results(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.surveys.results(access, id);
  }
}
