import { Body, Controller, Get, Next, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { AccessContext } from '../../common/access-context.js';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { UploadedFileList, type FilesUpload } from '../files/upload-parser.js';
import { PROGRAM_STATUSES } from './programs.entities.js';
import { ApplicationFactsQuery } from './application-facts.query.js';
import { ApplicationsQuery } from './applications.query.js';
import { ApplicationsService } from './applications.service.js';
import { ProgramListQuery as ProgramListDto } from './program-definition.dto.js';
import { ProgramDefinitionsService } from './program-definitions.service.js';
import { blankValues, formChoices, formErrors, formValues, programInput, programValues, TIER_CHOICES, type ProgramFormValues } from './program-form.js';
import { ProgramListQuery } from './program-list.query.js';
import { applicationRow, listRow, programFacts, refusal, shownInPlace } from './program-views.js';
import { applicationFor } from './application-views.js';
import { ProgramsDirectory } from './programs-directory.service.js';

type Form = Record<string, unknown>;
interface ApplyForm { statement: string; personId: string; error: string | null; errors: Record<string, string | null> }
/** Every field a form error can name (the template is strict: each needs a value, null when fine). */
const FORM_FIELDS = ['tier', 'customTier', 'tierNameZh', 'tierNameEn', 'code', 'nameZh', 'nameEn', 'description', 'round', 'cycleYears', 'startsOn', 'endsOn',
  'applicationsOpenAt', 'applicationsCloseAt', 'maxAge', 'minAge', 'minTitle', 'minYearsOfService', 'posts', 'stages', 'honours', 'noEthicsBlock', 'criteria',
  'trimFromReviewers', 'districtQuota', 'kindergartenQuota', 'groupQuota', 'reserveSize', 'credits', 'hours', 'creditCategory', 'creditLevel', 'honourName',
  'contestPosts', 'previousProgramId', 'kind', 'districtId', 'eligibility'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** Pages: the program list, the definition form, the program page with eligibility, apply and nominate. */
@ApiExcludeController()
@Controller('programs')
export class ProgramPagesController {
  constructor(
    private readonly programs: ProgramDefinitionsService,
    private readonly directory: ProgramsDirectory,
    private readonly applications: ApplicationsService,
    private readonly applicationsQuery: ApplicationsQuery,
    private readonly facts: ApplicationFactsQuery,
    private readonly listQuery: ProgramListQuery,
  ) {}

  @Get()
  @Authorize('signed_in')
  async list(@Access() access: AccessContext, @Query() query: ProgramListDto, @Req() req: Request, @Res() res: Response) {
    const rows = await this.programs.list(access, query);
    const managing = access.can('programs.manage');
    res.render('pages/programs/list', {
      title: translate(req.locale, 'programs.list.title'),
      managing, rows: rows.map((r) => listRow(r, req.locale)),
      mine: (await this.applications.mine(access)).map((a) => applicationRow(a, req.locale)),
      filter: { tier: query.tier ?? '', status: query.status ?? '', round: query.round ?? '' },
      tiers: TIER_CHOICES.filter((t) => t !== 'custom'), statuses: PROGRAM_STATUSES,
    });
  }

  @Get('new')
  @Authorize('programs.manage')
  async newForm(@Req() req: Request, @Res() res: Response) {
    await this.renderForm(req, res, 200, null, blankValues(), {});
  }

  @Post('new')
  @Authorize('programs.manage')
  async create(@Access() access: AccessContext, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = formValues(body ?? {});
    try {
      const program = await this.programs.create(access, programInput(values, false));
      flash(res, { kind: 'success', key: 'programs.flash.created' });
      return res.redirect(303, `/programs/${program.id}`);
    } catch (error) {
      const errors = formErrors(error, values, req.locale);
      if (!errors) throw error;
      return this.renderForm(req, res, (error as { status: number }).status, null, values, errors);
    }
  }

  /** Not an id (e.g. `/programs/alumni`): left to the pages of the other program modules registered after this one. */
  @Get(':id')
  @Authorize('signed_in')
  async detail(@Access() access: AccessContext, @Param('id') id: string, @Req() req: Request, @Res() res: Response, @Next() next: NextFunction) {
    if (!UUID.test(id)) return next();
    await this.renderDetail(access, id.toLowerCase(), req, res, 200, { statement: '', personId: '', error: null, errors: {} });
  }

  @Get(':id/edit')
  @Authorize('programs.manage')
  async editForm(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const program = await this.directory.forManager(access, id);
    await this.renderForm(req, res, 200, id, programValues(program), {});
  }

  @Post(':id/edit')
  @Authorize('programs.manage')
  async update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = formValues(body ?? {});
    try {
      await this.programs.update(access, id, programInput(values, true));
      flash(res, { kind: 'success', key: 'programs.flash.saved' });
      return res.redirect(303, `/programs/${id}`);
    } catch (error) {
      const errors = formErrors(error, values, req.locale);
      if (!errors) throw error;
      return this.renderForm(req, res, (error as { status: number }).status, id, values, errors);
    }
  }

  @Post(':id/publish')
  @Authorize('programs.manage')
  publish(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    return this.act(res, `/programs/${id}`, 'programs.flash.published', () => this.programs.publish(access, id));
  }

  @Post(':id/start')
  @Authorize('programs.manage')
  start(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    return this.act(res, `/programs/${id}`, 'programs.flash.started', () => this.programs.start(access, id));
  }

  @Post(':id/close')
  @Authorize('programs.manage')
  close(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    return this.act(res, `/programs/${id}`, 'programs.flash.programClosed', () => this.programs.close(access, id));
  }

  /** Apply for oneself, or (with personId) nominate; multipart with the attachments as `files`. A refusal shows the form again as sent. */
  @Post(':id/apply')
  @Authorize('signed_in')
  async apply(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @UploadedFileList() upload: FilesUpload,
    @Req() req: Request, @Res() res: Response) {
    const form = { statement: text(body?.statement), personId: text(body?.personId) };
    try {
      await this.applications.apply(access, id, { statement: form.statement, ...(form.personId ? { personId: form.personId } : {}) }, upload);
      flash(res, { kind: 'success', key: form.personId ? 'programs.flash.nominated' : 'programs.flash.applied' });
      return res.redirect(303, `/programs/${id}`);
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      const fields = 'problems' in error ? (error as { problems: Array<{ field: string }> }).problems.map((p) => p.field.replace(/\[\d+\]$/, '')) : [];
      const errors = Object.fromEntries(['statement', 'files', 'personId'].map((f) => [f, fields.includes(f) ? translate(req.locale, `programs.apply.problem.${f}`) : null]));
      await this.renderDetail(access, id, req, res, error.status, { ...form, error: refusal(error, req.locale), errors });
    }
  }

  @Post(':id/applications/:applicationId/withdraw')
  @Authorize('signed_in')
  withdraw(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('applicationId', RecordIdPipe) applicationId: string, @Res() res: Response) {
    return this.act(res, `/programs/${id}`, 'programs.flash.withdrawn', () => this.applications.withdraw(access, applicationId));
  }

  private async renderDetail(access: AccessContext, id: string, req: Request, res: Response, status: number, form: ApplyForm) {
    const locale = req.locale;
    const program = await this.directory.forViewer(access, id);
    const path = await this.directory.districtPath(program);
    const managing = access.canAt('programs.manage', path);
    const cohort = program.kind === 'cohort';
    const mine = access.personId && cohort ? await this.applicationsQuery.current(program.id, access.personId) : null;
    const past = access.personId && cohort ? (await this.applicationsQuery.ofPerson(access.personId)).filter((a) => a.programId === id && a.status === 'withdrawn') : [];
    const eligibility = access.personId && cohort && !managing ? await this.applications.eligibilityOf(access, id, null) : null;
    const open = program.status === 'published' && programFacts(program, new Map(), locale).windowState === 'open';
    const nominating = cohort && !managing && access.scopePaths('programs.nominate').some((p) => p.split('/').filter(Boolean).length > 2);
    const nominees = nominating ? await this.applications.nominees(access, program) : [];
    const nominated = nominating ? (await this.applications.ofProgram(access, id)).filter((a) => a.source === 'nomination' || a.personId !== access.personId) : [];
    res.status(status).render('pages/programs/detail', {
      title: translate(locale, 'programs.detail.title'),
      program: programFacts(program, await this.facts.stageNames(), locale),
      managing, cohort,
      actions: {
        edit: managing && (program.status === 'draft' || program.status === 'published'),
        publish: managing && program.status === 'draft', start: managing && program.status === 'selection_closed',
        close: managing && cohort && program.status === 'running',
        selection: managing && cohort && program.status !== 'draft', cohortLink: cohort && (program.status === 'running' || program.status === 'closed' || program.status === 'selection_closed'),
        contestLink: !cohort,
      },
      eligibility,
      mine: mine && { ...applicationRow(applicationFor(mine, 'applicant'), locale), canWithdraw: open },
      withdrawnBefore: past.length > 0 && !mine,
      canApply: !!access.personId && cohort && open && !mine && !!eligibility?.eligible,
      closedNotice: cohort && !open && !mine && !managing,
      nominating: nominating && open, nominees, nominated: nominated.map((a) => applicationRow(a, locale)),
      form,
    });
  }

  private async renderForm(req: Request, res: Response, status: number, id: string | null, values: ProgramFormValues, errors: Record<string, string>) {
    const locale = req.locale;
    const stages = await this.listQuery.stages();
    const err = (field: string) => errors[field] ?? null;
    res.status(status).render('pages/programs/form', {
      title: translate(locale, id ? 'programs.form.editTitle' : 'programs.form.newTitle'),
      id, action: id ? `/programs/${id}/edit` : '/programs/new',
      values: { ...values, criteria: values.criteria.map((c) => ({ ...c, errors: Object.fromEntries(['code', 'nameZh', 'nameEn', 'maxScore', 'weight'].map((f) => [f, err(`criteria.${c.index}.${f}`)])) })) },
      choices: formChoices(values, stages, locale),
      errors: Object.fromEntries(FORM_FIELDS.map((f) => [f, err(f)])),
      hasErrors: Object.keys(errors).length > 0,
    });
  }

  /** Runs a button's action; a refusal is flashed on the page it came from. */
  private async act(res: Response, back: string, key: string, action: () => Promise<unknown>) {
    try {
      await action();
      flash(res, { kind: 'success', key });
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      flash(res, { kind: 'danger', key: `errors.${error.code}` });
    }
    return res.redirect(303, back);
  }
}
