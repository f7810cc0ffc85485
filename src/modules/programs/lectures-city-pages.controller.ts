import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { shanghaiDate, shanghaiDateTime } from '../../common/dates.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { flash } from '../../common/web/flash.js';
import { validateInput } from '../people/people.dto.js';
import { SetDeadlineDto } from './lecture.dto.js';
import { LectureDeadlinesService } from './lecture-deadlines.service.js';
import { LectureOverviewService } from './lecture-overview.service.js';
import { nextSemester, parseSemester, semesterOf } from './lecture-rules.js';
import { STATE_COLOURS, filingView, formErrors, semesterLabel } from './lecture-views.js';

type Form = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** /lectures/city: the city's overview of every district's filing for a semester, and the semester's deadline. */
@ApiExcludeController()
@Controller('lectures/city')
export class LecturesCityPagesController {
  constructor(private readonly overviews: LectureOverviewService, private readonly deadlines: LectureDeadlinesService) {}

  @Get()
  @Authorize('lectures.oversee')
  async show(@Access() access: AccessContext, @Query() query: Form, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req.locale, res, 200, this.semesterOf(query.semester), null);
  }

  @Post('deadline')
  @Authorize('lectures.oversee')
  async setDeadline(@Access() access: AccessContext, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const semester = this.semesterOf(body.semester);
    const dueOn = text(body.dueOn);
    try {
      const { value, problems } = await validateInput(SetDeadlineDto, { dueOn });
      if (problems.length) throw new ValidationFailed(problems);
      await this.deadlines.set(access, semester, value);
    } catch (error) {
      const shown = formErrors(error, req.locale);
      if (!shown) throw error;
      return this.render(access, req.locale, res, (error as DomainError).status, semester, { dueOn, error: shown.fields.dueOn ?? shown.message });
    }
    flash(res, { kind: 'success', key: 'lectures.flash.deadlineSaved' });
    res.redirect(303, `/lectures/city?semester=${semester}`);
  }

  /** The semester asked for, else the coming one (the one whose schedules are being filed). */
  private semesterOf(value: unknown): string {
    const asked = text(value);
    return parseSemester(asked) ? asked : nextSemester(semesterOf(shanghaiDate()));
  }

  private async render(access: AccessContext, locale: Locale, res: Response, status: number, semester: string, failed: { dueOn: string; error: string } | null) {
    const overview = await this.overviews.overview(access, semester);
    const current = semesterOf(shanghaiDate());
    const choices = [...new Set([nextSemester(current), current, semester])];
    res.status(status).render('pages/lectures/city', {
      title: translate(locale, 'lectures.city.title'),
      city: overview.city, semester, semesterLabel: semesterLabel(semester, locale),
      semesters: choices.map((s) => ({ value: s, label: semesterLabel(s, locale), selected: s === semester })),
      deadline: {
        ...filingView({ state: 'not_due', dueOn: overview.deadline.dueOn, isDefaultDeadline: overview.deadline.isDefault, daysLeft: overview.deadline.daysLeft, filedAt: null, changedAfterFilingAt: null }, locale),
        defaultDueOn: overview.deadline.defaultDueOn,
      },
      form: { dueOn: failed?.dueOn ?? overview.deadline.dueOn, error: failed?.error ?? null },
      totals: Object.entries(overview.totals).map(([state, count]) => ({ state, count, colour: STATE_COLOURS[state as keyof typeof STATE_COLOURS] })),
      districts: overview.districts.map((d) => ({
        ...d, colour: STATE_COLOURS[d.state], filedAt: d.filedAt ? shanghaiDateTime(d.filedAt) : null,
        changedAfterFilingAt: d.changedAfterFilingAt ? shanghaiDateTime(d.changedAfterFilingAt) : null,
      })),
    });
  }
}
