import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { shanghaiDateTime } from '../../common/dates.js';
import { translate } from '../../common/i18n/i18n.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { shownInPlace } from '../enrollment/enrollment-views.js';
import { formErrors, refusal } from './assessment-views.js';
import { ItemsService } from './items.service.js';
import { SubmissionsService } from './submissions.service.js';
import { SurveysService } from './surveys.service.js';
import {
  BLANK_ITEM, formField, inputOfValues, itemFormChoices, itemRow, resultsView, valuesOfForm, valuesOfItem, type ItemFormValues,
} from './teaching-item-views.js';

type Form = Record<string, unknown>;

interface FormState {
  values: ItemFormValues;
  errors: Record<string, string>;
  error: string | null;
}

/** The trainer's pages: an offering's items with the create form, one item's edit form, who handed in, and survey results. */
@ApiExcludeController()
@Controller('teaching')
export class TeachingItemsPagesController {
  constructor(private readonly items: ItemsService, private readonly submissions: SubmissionsService, private readonly surveys: SurveysService) {}

  @Get('offerings/:id/items')
  @Authorize('offering.teach')
  async list(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.render(access, req, res, id, null, { values: BLANK_ITEM, errors: {}, error: null }, 200);
  }

  @Post('offerings/:id/items')
  @Authorize('offering.teach')
  async create(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = valuesOfForm(body ?? {});
    try {
      await this.items.create(access, id, inputOfValues(values, false));
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      return this.render(access, req, res, id, null, this.refused(error, values, req), error.status);
    }
    flash(res, { kind: 'success', key: 'assessment.flash.itemCreated' });
    res.redirect(303, `/teaching/offerings/${id}/items`);
  }

  @Get('items/:id')
  @Authorize('offering.teach')
  async edit(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const { item } = await this.items.forTeaching(access, id);
    await this.render(access, req, res, item.offeringId, id, { values: valuesOfItem(item), errors: {}, error: null }, 200);
  }

  @Post('items/:id')
  @Authorize('offering.teach')
  async update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const { item } = await this.items.forTeaching(access, id);
    const values = { ...valuesOfForm(body ?? {}), kind: item.kind };
    try {
      await this.items.update(access, id, inputOfValues(values, true));
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      return this.render(access, req, res, item.offeringId, id, this.refused(error, values, req), error.status);
    }
    flash(res, { kind: 'success', key: 'assessment.flash.itemSaved' });
    res.redirect(303, `/teaching/offerings/${item.offeringId}/items`);
  }

  @Post('items/:id/archive')
  @Authorize('offering.teach')
  async archive(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    const item = await this.items.archive(access, id);
    flash(res, { kind: 'success', key: 'assessment.flash.itemArchived' });
    res.redirect(303, `/teaching/offerings/${item.offeringId}/items`);
  }

  @Get('items/:id/submissions')
  @Authorize('offering.teach')
  async roster(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const roster = await this.submissions.roster(access, id);
    const submitted = roster.learners.filter((l) => l.latest).length;
    res.render('pages/assessment/teaching-submissions', {
      title: roster.item.title, item: { ...roster.item, dueAt: shanghaiDateTime(roster.item.dueAt), isSurvey: roster.item.kind === 'survey' },
      offering: roster.offering, counts: { submitted, total: roster.learners.length },
      learners: roster.learners.map((l) => ({
        ...l, kindergarten: l.kindergarten ?? '',
        latest: l.latest && { ...l.latest, submittedAt: shanghaiDateTime(l.latest.submittedAt) },
        gradeLink: roster.item.kind === 'survey' ? null : `/teaching/items/${id}/grade/${l.enrollmentId}`,
      })),
    });
  }

  @Get('items/:id/survey-results')
  @Authorize('offering.teach')
  async results(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    const results = await this.surveys.results(access, id);
    res.render('pages/assessment/survey-results', {
      title: translate(req.locale, 'assessment.results.title'), item: results.item, courseTitle: results.courseTitle, ...resultsView(results),
    });
  }

  private refused(error: Parameters<typeof refusal>[0], values: ItemFormValues, req: Request): FormState {
    const errors = formErrors(error, req.locale, formField) ?? {};
    return { values, errors, error: Object.keys(errors).length ? null : refusal(error, req.locale) };
  }

  private async render(access: AccessContext, req: Request, res: Response, offeringId: string, editingId: string | null, form: FormState, status: number) {
    const { context, items } = await this.items.listing(access, offeringId);
    const rubrics = await this.items.rubricChoices(context);
    const courseTitle = context.course.title;
    res.status(status).render('pages/assessment/teaching-items', {
      title: courseTitle, offeringId, courseTitle, editingId,
      items: editingId ? [] : items.map(itemRow),
      form: { ...form, open: !!form.error || Object.keys(form.errors).length > 0, action: editingId ? `/teaching/items/${editingId}` : `/teaching/offerings/${offeringId}/items` },
      ...itemFormChoices(rubrics, req.locale),
    });
  }
}
