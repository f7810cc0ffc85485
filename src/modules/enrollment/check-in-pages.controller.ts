import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { flash } from '../../common/web/flash.js';
import { CheckInService, type LearnerMeeting } from './check-in.service.js';
import { checkInMessage, meetingWhen } from './teaching-views.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^\d{6}$/;

/** The learner's check-in page: opened from the QR code (meeting and code filled in) or typed by hand. */
@ApiExcludeController()
@Controller('check-in')
export class CheckInPagesController {
  constructor(private readonly checkIns: CheckInService) {}

  @Get()
  @Authorize('signed_in')
  async form(@Access() access: AccessContext, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const meetingId = typeof query.meeting === 'string' && UUID.test(query.meeting) ? query.meeting.toLowerCase() : null;
    const code = typeof query.code === 'string' && CODE.test(query.code) ? query.code : '';
    await this.render(access, req, res, 200, { meetingId, code, error: null });
  }

  @Post()
  @Authorize('signed_in')
  async submit(@Access() access: AccessContext, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const meetingId = typeof body.meeting === 'string' && UUID.test(body.meeting) ? body.meeting.toLowerCase() : null;
    const code = typeof body.code === 'string' ? body.code.trim() : '';
    if (!meetingId) return this.render(access, req, res, 400, { meetingId: null, code, error: translate(req.locale, 'attendance.checkIn.chooseMeeting') });
    if (!CODE.test(code)) return this.render(access, req, res, 400, { meetingId, code, error: translate(req.locale, 'attendance.checkIn.badCode') });
    try {
      await this.checkIns.checkIn(access, meetingId, code);
    } catch (error) {
      const message = checkInMessage(error, req.locale);
      if (!message || !(error instanceof DomainError)) throw error;
      return this.render(access, req, res, error.status, { meetingId, code, error: message });
    }
    flash(res, { kind: 'success', key: 'attendance.checkIn.success' });
    res.redirect(303, `/check-in?meeting=${meetingId}`);
  }

  private async render(
    access: AccessContext, req: Request, res: Response, status: number,
    input: { meetingId: string | null; code: string; error: string | null },
  ) {
    const chosen = input.meetingId ? await this.checkIns.learnerMeeting(access, input.meetingId) : null;
    const open = chosen ? [] : await this.checkIns.openMeetings(access);
    const view = (m: LearnerMeeting) => ({
      id: m.id, courseTitle: m.courseTitle, title: m.title, when: meetingWhen(m), open: m.open,
      mark: m.mark ? { status: m.mark.status, hours: m.mark.hours.toFixed(1) } : null,
    });
    res.status(status).render('pages/attendance/check-in', {
      title: translate(req.locale, 'attendance.checkIn.title'),
      meeting: chosen ? view(chosen) : null,
      alreadyMarked: !!chosen?.mark,
      // A meeting given in the link but not the caller's: still submitted, so the answer says why.
      meetingId: input.meetingId,
      openMeetings: open.map(view),
      code: input.code,
      error: input.error,
    });
  }
}
