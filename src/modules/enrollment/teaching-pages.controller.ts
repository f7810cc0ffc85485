import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { AttendanceService } from './attendance.service.js';
import { CheckInService } from './check-in.service.js';
import { TeachingQuery } from './teaching.query.js';
import { formRecords, meetingRow, meetingWhen, rowErrors, sheetRow, sheetView, type RowState } from './teaching-views.js';
import { shanghaiDateTime } from '../../common/dates.js';

type Form = Record<string, unknown>;

/** The trainer's pages: offerings taught, roster, the attendance sheet (htmx per row) and the check-in code screen. */
@ApiExcludeController()
@Controller('teaching')
export class TeachingPagesController {
  constructor(
    private readonly attendance: AttendanceService,
    private readonly checkIns: CheckInService,
    private readonly teaching: TeachingQuery,
  ) {}

  @Get()
  @Authorize('offering.teach')
  async index(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    const offerings = await this.teaching.offerings(access.userId, access.scopePaths('catalog.manage'));
    const meetings = await this.teaching.meetings(offerings.map((o) => o.id));
    const now = new Date();
    res.render('pages/teaching/index', {
      title: translate(req.locale, 'attendance.teaching.title'),
      offerings: offerings.map((o) => {
        const own = meetings.filter((m) => m.offeringId === o.id).map((m) => meetingRow({ ...m, onlineUrl: null }, now));
        const upcoming = own.filter((m) => !m.past);
        return { ...o, meetingCount: own.length, upcoming: upcoming.slice(0, 3), moreUpcoming: Math.max(0, upcoming.length - 3) };
      }),
    });
  }

  @Get('offerings/:id')
  @Authorize('offering.teach')
  async offering(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const roster = await this.attendance.roster(access, id);
    const now = new Date();
    res.render('pages/teaching/offering', {
      title: roster.offering.courseTitle,
      offering: { ...roster.offering, minSharePercent: Math.round(roster.offering.minAttendanceShare * 100) },
      meetings: roster.meetings.map((m) => meetingRow(m, now)),
      learners: roster.learners.map((l) => ({ ...l, sharePercent: Math.round(l.share * 100) })),
    });
  }

  @Get('meetings/:id/attendance')
  @Authorize('offering.teach')
  async sheet(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const sheet = await this.attendance.sheet(access, id);
    res.render('pages/teaching/attendance', { ...sheetView(sheet, req.locale), onlyRow: null });
  }

  /** The whole sheet at once (works without scripts), or "mark all present" for everyone not yet marked. */
  @Post('meetings/:id/attendance')
  @Authorize('offering.teach')
  async saveSheet(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const back = `/teaching/meetings/${id}/attendance`;
    if (body.markAll === 'present') {
      await this.attendance.markAllPresent(access, id);
      flash(res, { kind: 'success', key: 'attendance.flash.allPresent' });
      return res.redirect(303, back);
    }
    const records = formRecords(body);
    if (!records.length) {
      flash(res, { kind: 'info', key: 'attendance.flash.nothingToSave' });
      return res.redirect(303, back);
    }
    try {
      await this.attendance.mark(access, id, records);
    } catch (error) {
      const states = rowErrors(error, records, req.locale);
      if (!states) throw error;
      const sheet = await this.attendance.sheet(access, id);
      return res.status(400).render('pages/teaching/attendance', { ...sheetView(sheet, req.locale, states), onlyRow: null, formError: true });
    }
    flash(res, { kind: 'success', key: 'attendance.flash.saved' });
    res.redirect(303, back);
  }

  /** One learner's line, saved as soon as a button is pressed (htmx swaps the answer in place of the line). */
  @Post('meetings/:id/attendance/rows/:enrollmentId')
  @Authorize('offering.teach')
  async saveRow(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('enrollmentId', RecordIdPipe) enrollmentId: string,
    @Body() body: Form, @Req() req: Request, @Res() res: Response,
  ) {
    const records = formRecords(body, enrollmentId);
    let state: RowState = {};
    let status = 200;
    let sheet;
    try {
      sheet = records.length ? await this.attendance.mark(access, id, records) : await this.attendance.sheet(access, id);
      state = { saved: records.length > 0 };
    } catch (error) {
      const states = rowErrors(error, records, req.locale);
      if (!states) throw error;
      sheet = await this.attendance.sheet(access, id);
      state = states.get(enrollmentId) ?? {};
      status = 400;
    }
    const row = sheet.learners.find((l) => l.enrollmentId === enrollmentId);
    if (!row) throw new NotFound('enrollment', enrollmentId);
    res.status(status).render('pages/teaching/attendance', { ...sheetView(sheet, req.locale), onlyRow: sheetRow(row, sheet.meeting, state), layout: false });
  }

  @Get('meetings/:id/code')
  @Authorize('offering.teach')
  async codeScreen(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const [screen, sheet] = await Promise.all([this.screen(access, id, req), this.attendance.sheet(access, id)]);
    res.render('pages/teaching/code', {
      title: translate(req.locale, 'attendance.code.title'),
      meeting: { ...sheet.meeting, when: meetingWhen(sheet.meeting) }, offering: sheet.offering, panel: screen, onlyPanel: null,
    });
  }

  /** Polled every two seconds by the code screen: the same code until it is used or expires, then a fresh one. */
  @Post('meetings/:id/code')
  @Authorize('offering.teach')
  async codePanel(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    res.render('pages/teaching/code', { meeting: null, offering: null, panel: null, onlyPanel: await this.screen(access, id, req), layout: false });
  }

  private async screen(access: AccessContext, id: string, req: Request) {
    const screen = await this.checkIns.currentCode(access, id, this.checkIns.baseUrl(`${req.protocol}://${req.get('host')}`));
    return {
      ...screen,
      secondsLeft: Math.max(0, Math.round((screen.expiresAt.getTime() - Date.now()) / 1000)),
      opensAt: shanghaiDateTime(screen.opensAt),
      closesAt: shanghaiDateTime(screen.closesAt),
    };
  }
}
