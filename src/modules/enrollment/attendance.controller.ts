import { Body, Controller, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { AttendanceService } from './attendance.service.js';
import { CheckInService } from './check-in.service.js';
import { CheckInDto, MarkAttendanceDto } from './attendance.dto.js';

/** Attendance per meeting, self check-in, and hours attended. */
@ApiTags('attendance')
@ApiBearerAuth()
@Controller('api')
export class AttendanceController {
  constructor(private readonly attendance: AttendanceService, private readonly checkIns: CheckInService) {}

  @Get('meetings/:id/attendance')
  @Authorize('offering.teach')
  sheet(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.attendance.sheet(access, id);
  }

  @Put('meetings/:id/attendance')
  @Authorize('offering.teach')
  mark(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: MarkAttendanceDto) {
    return this.attendance.mark(access, id, body.records);
  }

  @Post('meetings/:id/check-in-code')
  @Authorize('offering.teach')
  @HttpCode(200)
  code(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request) {
    return this.checkIns.currentCode(access, id, this.checkIns.baseUrl(`${req.protocol}://${req.get('host')}`));
  }

  @Post('meetings/:id/check-in')
  @Authorize('signed_in')
  @HttpCode(200)
  checkIn(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: CheckInDto) {
    return this.checkIns.checkIn(access, id, body.code);
  }

  @Get('enrollments/:id/attendance')
  @Authorize('signed_in')
  ofEnrollment(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.attendance.enrollmentAttendance(access, id);
  }

  @Get('offerings/:id/attendance')
  @Authorize('offering.teach')
  roster(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string) {
    return this.attendance.roster(access, id);
  }
}
