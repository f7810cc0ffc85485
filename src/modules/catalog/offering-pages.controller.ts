import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError } from '../../common/errors.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { CatalogChoices } from './catalog-choices.service.js';
import { offeringNotFound } from './catalog-errors.js';
import { emptyForm, formErrors, formValues, requestFromForm, validated, type FormName, type FormValues } from './catalog-forms.js';
import { CatalogService } from './catalog.service.js';
import { materialRow, meetingRow, offeringFormValues } from './catalog-views.js';
import { formInputs, type InputSpec } from './catalog-inputs.js';
import { materialSpecs, meetingSpecs, offeringSpecs } from './catalog-form-specs.js';
import { CreateMaterialDto, CreateMeetingDto, UpdateOfferingDto } from './offering.dto.js';
import { OfferingContentService } from './offering-content.service.js';
import { OfferingService } from './offering.service.js';

type FormBody = Record<string, unknown>;
interface Form { values: FormValues; errors: Record<string, string> }
type PageForms = Partial<Record<'edit' | 'meeting' | 'material', Form>>;

/** Managing one offering: its fields, meetings and materials, and publishing it. Every form answers 303 on success. */
@ApiExcludeController()
@Controller('courses/offerings')
export class OfferingPagesController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly offerings: OfferingService,
    private readonly content: OfferingContentService,
    private readonly choices: CatalogChoices,
  ) {}

  @Get(':id')
  @Authorize('catalog.manage')
  async show(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, id, {}, 200);
  }

  @Post(':id')
  @Authorize('catalog.manage')
  async update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    await this.submit(access, req, res, id, 'offering', 'edit', body, async (request) => {
      await this.offerings.update(access, id, await validated(UpdateOfferingDto, request));
    }, 'catalog.flash.offeringSaved', 'update');
  }

  @Post(':id/publish')
  @Authorize('catalog.manage')
  async publish(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    await this.afterAction(res, id, () => this.offerings.publish(access, id), 'catalog.flash.offeringPublished');
  }

  @Post(':id/meetings')
  @Authorize('catalog.manage')
  async addMeeting(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    await this.submit(access, req, res, id, 'meeting', 'meeting', body, async (request) => {
      await this.content.addMeeting(access, id, await validated(CreateMeetingDto, request));
    }, 'catalog.flash.meetingAdded', 'create');
  }

  @Post(':id/meetings/:meetingId/delete')
  @Authorize('catalog.manage')
  async deleteMeeting(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('meetingId', RecordIdPipe) meetingId: string, @Res() res: Response,
  ) {
    await this.afterAction(res, id, () => this.content.deleteMeeting(access, meetingId), 'catalog.flash.meetingDeleted');
  }

  @Post(':id/materials')
  @Authorize('catalog.manage')
  async addMaterial(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    await this.submit(access, req, res, id, 'material', 'material', body, async (request) => {
      await this.content.addMaterial(access, id, await validated(CreateMaterialDto, request));
    }, 'catalog.flash.materialAdded', 'create');
  }

  @Post(':id/materials/:materialId/delete')
  @Authorize('catalog.manage')
  async deleteMaterial(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('materialId', RecordIdPipe) materialId: string, @Res() res: Response,
  ) {
    await this.afterAction(res, id, () => this.content.deleteMaterial(access, materialId), 'catalog.flash.materialDeleted');
  }

  /** Runs one form: a flash and 303 back on success; the page again with the form's field errors and what was typed on bad input. */
  private async submit(
    access: AccessContext, req: Request, res: Response, id: string, form: FormName, slot: keyof PageForms, body: FormBody,
    action: (request: Record<string, unknown>) => Promise<void>, flashKey: string, mode: 'create' | 'update',
  ) {
    const values = formValues(form, body);
    try {
      await action(requestFromForm(form, values, mode));
    } catch (error) {
      const errors = formErrors(error, values, req.locale);
      if (errors) return this.render(access, req, res, id, { [slot]: { values, errors } }, error instanceof DomainError ? error.status : 400);
      if (!(error instanceof DomainError) || error.status !== 409) throw error;
      flash(res, { kind: 'danger', key: `errors.${error.code}` });
      return res.redirect(303, `/courses/offerings/${id}`);
    }
    flash(res, { kind: 'success', key: flashKey });
    res.redirect(303, `/courses/offerings/${id}`);
  }

  /** A button's action: on a refusal of state (409) the page shows why; anything else is an error page. */
  private async afterAction(res: Response, id: string, action: () => Promise<void>, flashKey: string) {
    try {
      await action();
      flash(res, { kind: 'success', key: flashKey });
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 409) throw error;
      flash(res, { kind: 'danger', key: `errors.${error.code}` });
    }
    res.redirect(303, `/courses/offerings/${id}`);
  }

  private async render(access: AccessContext, req: Request, res: Response, id: string, forms: PageForms, status: number) {
    const offering = await this.catalog.offering(access, id);
    if (!offering.viewerCanManage) throw offeringNotFound(id);
    const choices = await this.choices.courseForm(access, req.locale);
    res.status(status).render('pages/courses/offering', {
      title: `${offering.course.title} · ${offering.label || offering.code}`,
      offering: {
        ...offering, meetings: offering.meetings.map(meetingRow), materials: offering.materials.map(materialRow),
        totalHours: offering.meetings.reduce((sum, m) => sum + m.hours, 0),
      },
      edit: this.form('edit', offeringSpecs(choices.trainers, choices, req.locale, 'update'), forms.edit, offeringFormValues(offering)),
      meetingForm: this.form('meeting', meetingSpecs(), forms.meeting, emptyForm('meeting')),
      materialForm: this.form('material', materialSpecs(choices, req.locale), forms.material, emptyForm('material', { kind: 'document', required: true })),
      isDraft: offering.status === 'draft',
    });
  }

  private form(prefix: string, specs: InputSpec[], sent: Form | undefined, initial: FormValues) {
    const form = sent ?? { values: initial, errors: {} };
    return { open: !!sent, hasErrors: !!sent, errors: form.errors, inputs: formInputs(prefix, specs, form.values, form.errors) };
  }
}
