import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { GradeDto, ReconcileDto, ReleaseDto } from './grading.dto.js';
import { GradingService } from './grading.service.js';

/** Grading one learner at a time, second marking, release. Only trainers of the item's offering (else 404). */
@ApiTags('grading')
@ApiBearerAuth()
@Controller('api/items/:itemId')
export class GradingController {
  constructor(private readonly grading: GradingService) {}

  /** The queue: every gradable learner with submission state, marks and the agreed grade. */
  @Get('grades')
  @Authorize('offering.teach')
  queue(@Access() access: AccessContext, @Param('itemId', RecordIdPipe) itemId: string) {
    return this.grading.queue(access, itemId);
  }

  /** One learner: submissions (newest first), each marker's mark, the agreed grade and the history of changes after release. */
  @Get('grades/:enrollmentId')
  @Authorize('offering.teach')
  get(@Access() access: AccessContext, @Param('itemId', RecordIdPipe) itemId: string, @Param('enrollmentId', RecordIdPipe) enrollmentId: string) {
    return this.grading.view(access, itemId, enrollmentId);
  }

  /** Without second marking: the agreed grade. With it: the caller's first or second mark (a third trainer: 409). */
  @Put('grades/:enrollmentId')
  @Authorize('offering.teach')
  save(
    @Access() access: AccessContext, @Param('itemId', RecordIdPipe) itemId: string, @Param('enrollmentId', RecordIdPipe) enrollmentId: string,
    @Body() body: GradeDto,
  ) {
    return this.grading.saveAndView(access, itemId, enrollmentId, body);
  }

  @Post('grades/:enrollmentId/reconcile')
  @Authorize('offering.teach')
  @HttpCode(200)
  reconcile(
    @Access() access: AccessContext, @Param('itemId', RecordIdPipe) itemId: string, @Param('enrollmentId', RecordIdPipe) enrollmentId: string,
    @Body() body: ReconcileDto,
  ) {
    return this.grading.reconcileAndView(access, itemId, enrollmentId, body);
  }

  /** Releases agreed grades not yet released; learners are notified once each. Idempotent. */
  @Post('release')
  @Authorize('offering.teach')
  @HttpCode(200)
  release(@Access() access: AccessContext, @Param('itemId', RecordIdPipe) itemId: string, @Body() body: ReleaseDto) {
    return this.grading.release(access, itemId, body.enrollmentIds);
  }
}
