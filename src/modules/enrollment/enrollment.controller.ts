import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import {
  ApprovalsQuery, CancelOfferingDto, CapacityDto, DeclineDto, MyEnrollmentsQuery, RequestEnrollmentDto, RosterQuery, WithdrawDto,
} from './enrollment.dto.js';
import { EnrollmentService, type EnrollmentAnswer } from './enrollment.service.js';
import { EnrollmentListsService } from './enrollment-lists.service.js';
import { OfferingSeatsService } from './offering-seats.service.js';

const shape = ({ created: _created, ...answer }: EnrollmentAnswer) => answer;

@ApiTags('enrollment')
@ApiBearerAuth()
@Controller('api')
export class EnrollmentController {
  constructor(
    private readonly enrollments: EnrollmentService,
    private readonly lists: EnrollmentListsService,
    private readonly seats: OfferingSeatsService,
  ) {}

  /** 201 with a new enrolment; 200 with the existing one when the same person asks again. */
  @Post('offerings/:id/enrollments')
  @Authorize('signed_in')
  async request(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: RequestEnrollmentDto, @Res({ passthrough: true }) res: Response) {
    const answer = await this.enrollments.request(access, id, body.personId);
    res.status(answer.created ? 201 : 200);
    return shape(answer);
  }

  @Get('offerings/:id/eligibility')
  @Authorize('signed_in')
  eligibility(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.lists.myEligibility(access, id);
  }

  @Get('offerings/:id/roster')
  @Authorize('offering.teach')
  roster(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: RosterQuery) {
    return this.lists.roster(access, id, query.status);
  }

  @Post('offerings/:id/capacity')
  @Authorize('catalog.manage')
  @HttpCode(200)
  async capacity(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: CapacityDto) {
    const { offering } = await this.seats.changeCapacity(access, id, body.capacity, body.bumpToWaitlist ?? false);
    return { id: offering.id, capacity: offering.capacity, status: offering.status };
  }

  @Post('offerings/:id/cancel')
  @Authorize('catalog.manage')
  @HttpCode(200)
  async cancel(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: CancelOfferingDto) {
    const { offering } = await this.seats.cancel(access, id, body.reason);
    return { id: offering.id, status: offering.status, cancelledReason: offering.cancelledReason };
  }

  @Get('enrollments/:id')
  @Authorize('signed_in')
  get(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.enrollments.get(access, id);
  }

  @Post('enrollments/:id/withdraw')
  @Authorize('signed_in')
  @HttpCode(200)
  async withdraw(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: WithdrawDto) {
    return shape(await this.enrollments.withdraw(access, id, body.reason));
  }

  @Post('enrollments/:id/accept')
  @Authorize('signed_in')
  @HttpCode(200)
  async accept(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return shape(await this.enrollments.acceptOffer(access, id));
  }

  @Post('enrollments/:id/approve')
  @Authorize('enrollment.approve')
  @HttpCode(200)
  async approve(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return shape(await this.enrollments.approve(access, id));
  }

  @Post('enrollments/:id/decline')
  @Authorize('enrollment.approve')
  @HttpCode(200)
  async decline(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: DeclineDto) {
    return shape(await this.enrollments.decline(access, id, body.reason));
  }

  @Post('enrollments/:id/no-show')
  @Authorize('offering.teach')
  @HttpCode(200)
  async noShow(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return shape(await this.enrollments.markNoShow(access, id));
  }

  @Get('me/enrollments')
  @Authorize('signed_in')
  mine(@Access() access: AccessContext, @Query() query: MyEnrollmentsQuery) {
    return this.lists.mine(access, query);
  }

  @Get('approvals')
  @Authorize('enrollment.approve')
  approvals(@Access() access: AccessContext, @Query() query: ApprovalsQuery) {
    return this.lists.approvals(access, query.page, query.pageSize);
  }
}
