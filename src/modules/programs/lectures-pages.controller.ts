import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { DomainError, ValidationFailed } from '../../common/errors.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { validateInput } from '../people/people.dto.js';
import { CREDIT_CATEGORIES } from '../catalog/catalog.entities.js';
import { CreateSeriesDto, SessionDto, UpdateSeriesDto, UpdateSessionDto } from './lecture.dto.js';
import { LectureDeadlinesService } from './lecture-deadlines.service.js';
import { LectureReads, type SeriesView } from './lecture-reads.service.js';
import { LectureSeriesService } from './lecture-series.service.js';
import { LectureSessionsService } from './lecture-sessions.service.js';
import {
  filingView, formErrors, monthLabel, semesterLabel, sessionFormOf, sessionFormValues, sessionInput, sessionView, type SessionFormValues,
} from './lecture-views.js';

type Form = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const SESSION_FIELDS = ['month', 'topic', 'speakerPersonId', 'date', 'startTime', 'endTime', 'place'];
const SETTINGS_FIELDS = ['title', 'hours', 'credits', 'category'];

interface SessionForm { sessionId: string | null; values: SessionFormValues; errors: Record<string, string>; message: string | null }
interface SettingsForm { values: Record<string, string>; errors: Record<string, string>; message: string | null }
interface PageState { session?: SessionForm; settings?: SettingsForm; actionError?: string | null }

/** The district's pages: its semesters (/lectures) and a series' schedule with its sessions and filing (/lectures/series/:id). */
@ApiExcludeController()
@Controller('lectures')
export class LecturesPagesController {
  constructor(
    private readonly reads: LectureReads,
    private readonly series: LectureSeriesService,
    private readonly sessions: LectureSessionsService,
    private readonly deadlines: LectureDeadlinesService,
  ) {}

  @Get()
  @Authorize('lectures.file')
  async index(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    await this.renderIndex(access, req.locale, res, 200, null);
  }

  @Post('series')
  @Authorize('lectures.file')
  async create(@Access() access: AccessContext, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    try {
      const { value, problems } = await validateInput(CreateSeriesDto, { semester: text(body.semester), districtId: text(body.districtId) || undefined });
      if (problems.length) throw new ValidationFailed(problems);
      const { series, created } = await this.series.create(access, value);
      if (created) flash(res, { kind: 'success', key: 'lectures.flash.created' });
      return res.redirect(303, `/lectures/series/${series.id}`);
    } catch (error) {
      const shown = formErrors(error, req.locale);
      if (!shown) throw error;
      const message = Object.values(shown.fields)[0] ?? shown.message;
      await this.renderIndex(access, req.locale, res, (error as DomainError).status, message);
    }
  }

  @Get('series/:id')
  @Authorize('signed_in')
  async show(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query() query: Form, @Req() req: Request, @Res() res: Response) {
    const view = await this.reads.get(access, id);
    const editing = view.sessions.find((s) => s.id === text(query.edit));
    const session = editing ? { sessionId: editing.id, values: sessionFormOf(editing), errors: {}, message: null } : undefined;
    await this.renderSeries(access, req.locale, res, 200, view, { session });
  }

  @Post('series/:id/sessions')
  @Authorize('lectures.file')
  addSession(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    return this.saveSession(access, id, null, body, req, res);
  }

  @Post('series/:id/sessions/:sessionId')
  @Authorize('lectures.file')
  editSession(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('sessionId', RecordIdPipe) sessionId: string,
    @Body() body: Form, @Req() req: Request, @Res() res: Response,
  ) {
    return this.saveSession(access, id, sessionId, body, req, res);
  }

  @Post('series/:id/sessions/:sessionId/remove')
  @Authorize('lectures.file')
  removeSession(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('sessionId', RecordIdPipe) sessionId: string,
    @Req() req: Request, @Res() res: Response,
  ) {
    return this.act(access, id, req, res, 'lectures.flash.removed', () => this.sessions.remove(access, id, sessionId));
  }

  @Post('series/:id/file')
  @Authorize('lectures.file')
  file(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    return this.act(access, id, req, res, 'lectures.flash.filed', () => this.series.file(access, id));
  }

  @Post('series/:id/settings')
  @Authorize('lectures.file')
  async settings(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, text(body[f])]));
    try {
      const current = await this.reads.get(access, id);
      const number = (v: string) => (v === '' || Number.isNaN(Number(v)) ? v : Number(v));
      const keepRule = current.course?.creditsFromRule && values.credits === String(current.course.credits);
      const plain = {
        title: values.title || undefined, hours: values.hours === '' ? undefined : number(values.hours),
        credits: keepRule ? undefined : values.credits === '' ? null : number(values.credits), category: values.category || undefined,
      };
      const { value, problems } = await validateInput(UpdateSeriesDto, plain);
      if (problems.length) throw new ValidationFailed(problems);
      await this.series.update(access, id, value);
    } catch (error) {
      const shown = formErrors(error, req.locale);
      if (!shown) throw error;
      const view = await this.reads.get(access, id);
      return this.renderSeries(access, req.locale, res, (error as DomainError).status, view, { settings: { values, ...shown, errors: shown.fields } });
    }
    flash(res, { kind: 'success', key: 'lectures.flash.settingsSaved' });
    res.redirect(303, `/lectures/series/${id}`);
  }

  private async saveSession(access: AccessContext, id: string, sessionId: string | null, body: Form, req: Request, res: Response) {
    const values = sessionFormValues(body);
    try {
      const { input, problems: pageProblems } = sessionInput(values);
      const { value, problems } = sessionId
        ? await validateInput(UpdateSessionDto, input) : await validateInput(SessionDto, input);
      const all = [...pageProblems, ...problems.filter((p) => !pageProblems.length || !['startsAt', 'endsAt'].includes(p.field))];
      if (all.length) throw new ValidationFailed(all);
      if (sessionId) await this.sessions.update(access, id, sessionId, value as UpdateSessionDto);
      else await this.sessions.add(access, id, value as SessionDto);
    } catch (error) {
      const shown = formErrors(error, req.locale);
      if (!shown) throw error;
      const view = await this.reads.get(access, id);
      return this.renderSeries(access, req.locale, res, (error as DomainError).status, view,
        { session: { sessionId, values, errors: shown.fields, message: shown.message } });
    }
    flash(res, { kind: 'success', key: sessionId ? 'lectures.flash.sessionSaved' : 'lectures.flash.sessionAdded' });
    res.redirect(303, `/lectures/series/${id}`);
  }

  private async act(access: AccessContext, id: string, req: Request, res: Response, flashKey: string, work: () => Promise<unknown>) {
    try {
      await work();
    } catch (error) {
      const shown = formErrors(error, req.locale);
      if (!shown) throw error;
      const view = await this.reads.get(access, id);
      return this.renderSeries(access, req.locale, res, (error as DomainError).status, view, { actionError: shown.message });
    }
    flash(res, { kind: 'success', key: flashKey });
    res.redirect(303, `/lectures/series/${id}`);
  }

  private async renderIndex(access: AccessContext, locale: Locale, res: Response, status: number, error: string | null) {
    const districts = await this.reads.districts(access);
    res.status(status).render('pages/lectures/index', {
      title: translate(locale, 'lectures.index.title'), error,
      cityLink: this.deadlines.overseenCityPaths(access).length > 0,
      districts: districts.map((d) => ({
        ...d.district,
        semesters: d.semesters.map((s) => ({ semester: s.semester, label: semesterLabel(s.semester, locale), filing: filingView(s.filing, locale), series: s.series })),
      })),
    });
  }

  private async renderSeries(access: AccessContext, locale: Locale, res: Response, status: number, view: SeriesView, state: PageState) {
    const editing = state.session?.sessionId ? view.sessions.find((s) => s.id === state.session!.sessionId) ?? null : null;
    const form: SessionForm = state.session ?? { sessionId: null, values: sessionFormValues({}), errors: {}, message: null };
    const months = editing ? view.months.filter((m) => m === editing.month || view.freeMonths.includes(m)) : view.freeMonths;
    const speakers = view.canFile ? await this.reads.speakers(access, view.id) : [];
    const course = view.course;
    const settings = state.settings ?? {
      values: { title: view.title, hours: course ? String(course.hours) : '', credits: course ? String(course.credits) : '', category: course?.category ?? '' },
      errors: {}, message: null,
    };
    res.status(status).render('pages/lectures/series', {
      title: view.title,
      series: { ...view, semesterLabel: semesterLabel(view.semester, locale), filing: filingView(view.filing, locale), filed: view.status === 'filed' },
      sessions: view.sessions.map((s) => ({ ...sessionView(s, locale), editing: s.id === editing?.id })),
      course,
      actionError: state.actionError ?? null,
      form: {
        editing: !!editing, action: editing ? `/lectures/series/${view.id}/sessions/${editing.id}` : `/lectures/series/${view.id}/sessions`,
        values: form.values, message: form.message,
        errors: Object.fromEntries(SESSION_FIELDS.map((f) => [f, form.errors[f] ?? null])),
        months: months.map((m) => ({ value: m, label: monthLabel(m, locale), selected: m === form.values.month })),
        speakers: speakers.map((p) => ({
          value: p.personId, label: `${p.fullName}（${p.kindergartenName} · ${translate(locale, `lectures.post.${p.post}`)}）`, selected: p.personId === form.values.speakerPersonId,
        })),
        open: !!state.session || view.sessions.length === 0,
      },
      // Not `settings`: Express passes its own settings under that name, and the page engine drops it.
      setup: {
        values: settings.values, message: settings.message,
        errors: Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, settings.errors[f] ?? null])),
        categories: CREDIT_CATEGORIES.map((c) => ({ value: c, selected: c === settings.values.category })),
        open: !!state.settings,
      },
    });
  }
}
