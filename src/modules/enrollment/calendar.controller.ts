import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { CalendarService } from './calendar.service.js';

const CALENDAR_TYPE = 'text/calendar; charset=utf-8';

/** Meetings as iCalendar files for phones' and desktops' calendar apps. */
@ApiTags('attendance')
@ApiBearerAuth()
@Controller('api')
export class CalendarController {
  constructor(private readonly calendars: CalendarService) {}

  @Get('me/calendar.ics')
  @Authorize('signed_in')
  @ApiProduces('text/calendar')
  async mine(@Access() access: AccessContext, @Res() res: Response) {
    const ics = await this.calendars.myCalendar(access);
    res.type(CALENDAR_TYPE).setHeader('Content-Disposition', 'inline; filename="my-meetings.ics"');
    res.send(ics);
  }

  @Get('offerings/:id/calendar.ics')
  @Authorize('signed_in')
  @ApiProduces('text/calendar')
  async ofOffering(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    const { ics, code } = await this.calendars.offeringCalendar(access, id);
    res.type(CALENDAR_TYPE).setHeader('Content-Disposition', `inline; filename="${code.replace(/[^A-Za-z0-9_.-]/g, '_')}.ics"`);
    res.send(ics);
  }
}
