import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { ValidationFailed } from '../../common/errors.js';
import { pageLinks } from '../../common/pagination.js';
import { translate } from '../../common/i18n/i18n.js';
import { flash } from '../../common/web/flash.js';
import { OrgService, type OrgUnitDetail } from './org.service.js';
import { CreateOrgUnitDto, MoveOrgUnitDto, NewOrgUnitQuery, OrgUnitListQuery, UpdateOrgUnitDto } from './org.dto.js';
import type { OrgUnitKind } from './org-unit.entity.js';
import { childKindsOf } from './org-rules.js';
import { fieldProblemsOf } from './org-errors.js';
import { fieldErrors, formInputs, ORG_CHOICES, requestFromForm, typedValues, unitFormFields, validated, valuesOf, type FormValues } from './org-forms.js';

type FormBody = Record<string, unknown>;
interface DetailForms {
  form: FormValues;
  errors: Record<string, string>;
  moveParentId: string;
  moveErrors: Record<string, string>;
}

/** The org tree's pages: list with filters and navigation, a unit's detail with edit and move forms, the create form. */
@ApiExcludeController()
@Controller('org')
export class OrgPagesController {
  constructor(private readonly org: OrgService) {}

  @Get()
  @Authorize('org.read')
  async list(@Access() access: AccessContext, @Query() query: OrgUnitListQuery, @Req() req: Request, @Res() res: Response) {
    const { page, pageSize, lang: _lang, ...filters } = query;
    const [result, nav, parent] = await Promise.all([
      this.org.list(access, filters, page, pageSize),
      this.org.navigation(access),
      filters.parentId ? this.org.detail(access, filters.parentId) : Promise.resolve(null),
    ]);
    res.render('pages/org/list', {
      title: translate(req.locale, 'org.title'),
      items: result.items,
      filters: { q: query.q ?? '', kind: query.kind ?? '', grade: query.grade ?? '', ownership: query.ownership ?? '', status: query.status ?? '', parentId: query.parentId ?? '' },
      choices: ORG_CHOICES,
      areas: nav.map((n) => ({ ...n, active: n.id === filters.parentId, indent: `ps-${Math.min(2 + n.level * 2, 5)}` })),
      parent: parent && { id: parent.id, name: parent.name, kind: parent.kind, ancestors: parent.ancestors },
      canWrite: access.can('org.write'),
      newHref: filters.parentId ? `/org/new?parentId=${filters.parentId}` : '/org/new',
      pager: pageLinks('/org', { ...query }, result.total, page, pageSize),
    });
  }

  @Get('new')
  @Authorize('org.write')
  async newPage(@Access() access: AccessContext, @Query() query: NewOrgUnitQuery, @Req() req: Request, @Res() res: Response) {
    const values: FormValues = { parentId: query.parentId ?? '', kind: query.kind ?? '' };
    await this.renderNew(access, req, res, query.kind ?? null, values, {}, 200);
  }

  @Post()
  @Authorize('org.write')
  async create(@Access() access: AccessContext, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    const kind = (ORG_CHOICES.kinds as string[]).includes(body.kind as string) ? (body.kind as OrgUnitKind) : null;
    if (!kind) throw ValidationFailed.field('kind', 'isIn', 'kind must be one of the creatable kinds');
    const values = typedValues(body, unitFormFields(kind, 'create'));
    try {
      const unit = await this.org.create(access, await validated(CreateOrgUnitDto, requestFromForm(values, 'create'), kind));
      flash(res, { kind: 'success', key: 'org.created' });
      res.redirect(303, `/org/${unit.id}`);
    } catch (error) {
      const problems = fieldProblemsOf(error);
      if (!problems) throw error;
      await this.renderNew(access, req, res, kind, values, fieldErrors(problems, values, req.locale), error instanceof ValidationFailed ? 400 : 409);
    }
  }

  @Get(':id')
  @Authorize('org.read')
  async detail(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const unit = await this.org.detail(access, id);
    const forms = { form: valuesOf(unit, unitFormFields(unit.kind, 'update')), errors: {}, moveParentId: unit.parentId ?? '', moveErrors: {} };
    await this.renderDetail(access, req, res, unit, forms, 200);
  }

  @Post(':id')
  @Authorize('org.write')
  async update(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    const unit = await this.org.detail(access, id);
    const values = typedValues(body, unitFormFields(unit.kind, 'update'));
    try {
      await this.org.update(access, id, await validated(UpdateOrgUnitDto, requestFromForm(values, 'update'), unit.kind));
      flash(res, { kind: 'success', key: 'common.saved' });
      res.redirect(303, `/org/${id}`);
    } catch (error) {
      const problems = fieldProblemsOf(error);
      if (!problems) throw error;
      const forms = { form: values, errors: fieldErrors(problems, values, req.locale), moveParentId: unit.parentId ?? '', moveErrors: {} };
      await this.renderDetail(access, req, res, unit, forms, error instanceof ValidationFailed ? 400 : 409);
    }
  }

  @Post(':id/move')
  @Authorize('org.write')
  async move(@Access() access: AccessContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    const unit = await this.org.detail(access, id);
    const values = typedValues(body, ['parentId']);
    try {
      await this.org.move(access, id, (await validated(MoveOrgUnitDto, requestFromForm(values, 'create'))).parentId);
      flash(res, { kind: 'success', key: 'org.moved' });
      res.redirect(303, `/org/${id}`);
    } catch (error) {
      const problems = fieldProblemsOf(error);
      if (!problems) throw error;
      const forms = { form: valuesOf(unit, unitFormFields(unit.kind, 'update')), errors: {}, moveParentId: values.parentId, moveErrors: fieldErrors(problems, values, req.locale) };
      await this.renderDetail(access, req, res, unit, forms, 400);
    }
  }

  private async renderDetail(access: AccessContext, req: Request, res: Response, unit: OrgUnitDetail, forms: DetailForms, status: number) {
    const targets = unit.canWrite ? await this.org.moveTargets(access, unit) : [];
    res.status(status).render('pages/org/detail', {
      title: unit.name,
      unit,
      isKindergarten: unit.kind === 'kindergarten',
      choices: ORG_CHOICES,
      childKinds: unit.canWrite ? childKindsOf(unit.kind) : [],
      moveTargets: targets.map((t) => ({ id: t.id, name: t.name, kind: t.kind, selected: t.id === forms.moveParentId })),
      ...forms,
      inputs: formInputs(unitFormFields(unit.kind, 'update'), forms.form, forms.errors),
      hasErrors: Object.keys(forms.errors).length > 0,
    });
  }

  private async renderNew(access: AccessContext, req: Request, res: Response, kind: OrgUnitKind | null, values: FormValues, errors: Record<string, string>, status: number) {
    // The parent only narrows the kind picker, shown before a kind is chosen.
    const parent = !kind && values.parentId ? await this.org.detail(access, values.parentId) : null;
    const parents = kind ? await this.org.parentOptions(access, kind) : [];
    const form = { ...typedValues({}, unitFormFields(kind ?? 'town', 'create')), ...values };
    res.status(status).render('pages/org/new', {
      title: translate(req.locale, 'org.new.title'),
      kind,
      isKindergarten: kind === 'kindergarten',
      kindChoices: (parent ? childKindsOf(parent.kind) : ORG_CHOICES.kinds).map((k) => ({ kind: k, href: `/org/new?kind=${k}${parent ? `&parentId=${parent.id}` : ''}` })),
      parents: parents.map((p) => ({ id: p.id, name: p.name, kind: p.kind, selected: p.id === values.parentId })),
      choices: ORG_CHOICES,
      form,
      errors,
      inputs: kind ? formInputs(unitFormFields(kind, 'create'), form, errors) : [],
      hasErrors: Object.keys(errors).length > 0,
    });
  }
}
