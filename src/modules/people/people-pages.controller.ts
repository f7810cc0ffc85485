import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { pageLinks } from '../../common/pagination.js';
import { flash } from '../../common/web/flash.js';
import { CreatePersonDto, PeopleListQueryDto, RecordIdPipe, UpdatePersonDto, validateInput } from './people.dto.js';
import { AddCertificateDto, AddEmploymentDto, AddTitleDto } from './person-records.dto.js';
import { PeopleService } from './people.service.js';
import { PersonRecordsService } from './person-records.service.js';
import { OrgScopeService } from '../org/org-scope.service.js';
import { StageDefinitionsService } from './stage-definitions.service.js';
import { choices, emptyForm, formErrors, formStatus, formInput, formValues, listRows, recordView, stageNamer, type FormState, type RecordFormName } from './people-views.js';

type Form = Record<string, unknown>;

/** The staff pages: list, record with its forms, and the create form. Every form answers 303 on success. */
@ApiExcludeController()
@Controller('people')
export class PeoplePagesController {
  constructor(
    private readonly people: PeopleService,
    private readonly records: PersonRecordsService,
    private readonly stages: StageDefinitionsService,
    private readonly org: OrgScopeService,
  ) {}

  @Get()
  @Authorize('people.read')
  async list(@Access() access: AccessContext, @Query() query: PeopleListQueryDto, @Req() req: Request, @Res() res: Response) {
    const [result, stages, kindergartens] = await Promise.all([
      this.people.search(access, query),
      this.stages.list(undefined, true),
      this.org.kindergartensUnder(access.scopePaths('people.read')),
    ]);
    res.render('pages/people/list', {
      title: translate(req.locale, 'people.list.title'),
      items: listRows(result.items, stageNamer(stages, req.locale)),
      filters: { q: query.q ?? '', orgUnitId: query.orgUnitId ?? '', post: query.post ?? '', title: query.title ?? '' },
      canCreate: access.can('people.write'),
      pager: pageLinks('/people', { ...query }, result.total, result.page, result.pageSize),
      ...choices(kindergartens),
    });
  }

  @Get('new')
  @Authorize('people.write')
  async newForm(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    await this.renderCreate(access, req, res, emptyForm('create', { post: 'teacher' }), 200);
  }

  @Post()
  @Authorize('people.write')
  async create(@Access() access: AccessContext, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const input = formInput('create', body);
    try {
      const record = await this.people.create(access, await this.checked(CreatePersonDto, input));
      flash(res, { kind: 'success', key: 'people.flash.created' });
      res.redirect(303, `/people/${record.id}`);
    } catch (error) {
      const errors = formErrors(error, req.locale, input);
      if (!errors) throw error;
      await this.renderCreate(access, req, res, { values: formValues('create', body), errors, open: true }, formStatus(error));
    }
  }

  @Get(':id')
  @Authorize('people.read')
  async show(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query('reveal') reveal: unknown, @Req() req: Request, @Res() res: Response) {
    await this.renderRecord(access, req, res, id, {}, 200, reveal === '1');
  }

  @Post(':id')
  @Authorize('people.write')
  async edit(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    await this.submit(access, req, res, id, 'edit', body, async (input) => {
      await this.people.update(access, id, await this.checked(UpdatePersonDto, input));
    }, 'people.flash.updated');
  }

  @Post(':id/titles')
  @Authorize('people.write')
  async addTitle(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    await this.submit(access, req, res, id, 'title', body, async (input) => {
      await this.records.addTitle(access, id, await this.checked(AddTitleDto, input));
    }, 'people.flash.titleAdded');
  }

  @Post(':id/certificates')
  @Authorize('people.write')
  async addCertificate(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    await this.submit(access, req, res, id, 'certificate', body, async (input) => {
      await this.records.addCertificate(access, id, await this.checked(AddCertificateDto, input));
    }, 'people.flash.certificateAdded');
  }

  @Post(':id/employments')
  @Authorize('people.write')
  async move(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    await this.submit(access, req, res, id, 'move', body, async (input) => {
      await this.records.addEmployment(access, id, await this.checked(AddEmploymentDto, input));
    }, 'people.flash.moved');
  }

  /** Runs one record form: on success a flash and 303 back to the record; on a field error the record again with the form open. */
  private async submit(
    access: AccessContext, req: Request, res: Response, id: string, form: RecordFormName, body: Form,
    action: (input: Form) => Promise<void>, flashKey: string,
  ) {
    const input = formInput(form, body);
    try {
      await action(input);
    } catch (error) {
      const errors = formErrors(error, req.locale, input);
      if (!errors) throw error;
      return this.renderRecord(access, req, res, id, { [form]: { values: formValues(form, body), errors, open: true } }, formStatus(error), false);
    }
    flash(res, { kind: 'success', key: flashKey });
    res.redirect(303, `/people/${id}`);
  }

  /** Validates form input against the API's DTO, so pages and API share one set of rules. */
  private async checked<T extends object>(cls: new () => T, input: Form): Promise<T> {
    const { value, problems } = await validateInput(cls, input);
    if (problems.length) throw new ValidationFailed(problems);
    return value;
  }

  private async renderRecord(
    access: AccessContext, req: Request, res: Response, id: string,
    forms: Partial<Record<RecordFormName, FormState>>, status: number, reveal: boolean,
  ) {
    const record = await this.people.record(access, id, { reveal });
    const [stages, kindergartens] = await Promise.all([
      this.stages.list(undefined, true),
      record.viewerCanEdit ? this.org.kindergartensUnder(access.scopePaths('people.write')) : Promise.resolve([]),
    ]);
    const view = recordView(record, { locale: req.locale, stages, kindergartens, self: false, canReveal: access.can('people.sensitive'), forms });
    res.status(status).render('pages/people/record', view);
  }

  private async renderCreate(access: AccessContext, req: Request, res: Response, form: FormState, status: number) {
    const kindergartens = await this.org.kindergartensUnder(access.scopePaths('people.write'));
    res.status(status).render('pages/people/new', {
      title: translate(req.locale, 'people.new.title'),
      form,
      ...choices(kindergartens),
    });
  }
}
