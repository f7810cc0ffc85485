import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { MaterialProgressDto } from './attendance.dto.js';
import { MaterialProgressService } from './material-progress.service.js';

/** Learners' progress through an offering's online materials. */
@ApiTags('attendance')
@ApiBearerAuth()
@Controller('api')
export class MaterialProgressController {
  constructor(private readonly progress: MaterialProgressService) {}

  @Put('materials/:id/progress')
  @Authorize('signed_in')
  record(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: MaterialProgressDto) {
    return this.progress.record(access, id, body.percent);
  }

  @Get('offerings/:id/progress')
  @Authorize('offering.teach')
  ofOffering(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.progress.offeringProgress(access, id);
  }

  @Get('me/offerings/:id/progress')
  @Authorize('signed_in')
  mine(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.progress.myProgress(access, id);
  }
}
