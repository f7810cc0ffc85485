import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { pageLinks } from '../../common/pagination.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { CatalogChoices, CATALOG_CHOICES } from './catalog-choices.service.js';
import { formErrors, formValues, requestFromForm, validated, emptyForm, type FormValues } from './catalog-forms.js';
import { courseFormValues, newOfferingValues, offeringRow } from './catalog-views.js';
import { formInputs } from './catalog-inputs.js';
import { courseSpecs, offeringSpecs } from './catalog-form-specs.js';
import { CourseListQueryDto, CreateCourseDto, UpdateCourseDto } from './course.dto.js';
import { CourseService } from './course.service.js';
import { CreateOfferingDto } from './offering.dto.js';
import { OfferingService } from './offering.service.js';

type FormBody = Record<string, unknown>;
interface Form { values: FormValues; errors: Record<string, string> }
const fresh = (values: FormValues): Form => ({ values, errors: {} });

/** Course management pages: the managed list, the new-course form, and a course with its edit form, offerings and new-offering form. */
@ApiExcludeController()
@Controller('courses')
export class CoursePagesController {
  constructor(private readonly courses: CourseService, private readonly offerings: OfferingService, private readonly choices: CatalogChoices) {}

  @Get()
  @Authorize('catalog.manage')
  async list(@Access() access: AccessContext, @Query() query: CourseListQueryDto, @Req() req: Request, @Res() res: Response) {
    const result = await this.courses.list(access, query);
    res.render('pages/courses/list', {
      title: translate(req.locale, 'catalog.courses.title'),
      items: result.items,
      filters: { q: query.q ?? '', category: query.category ?? '', level: query.level ?? '', mode: query.mode ?? '', status: query.status ?? '', tag: query.tag ?? '' },
      choices: CATALOG_CHOICES,
      pager: pageLinks('/courses', { ...query, lang: undefined }, result.total, result.page, result.pageSize),
    });
  }

  @Get('new')
  @Authorize('catalog.manage')
  async newForm(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    const choices = await this.choices.courseForm(access, req.locale);
    const values = emptyForm('course', {
      level: choices.canOwnDistrict ? 'district' : 'kindergarten', mode: 'offline', category: 'knowledge_skills',
      ownerOrgUnitId: choices.canOwnDistrict ? '' : choices.owners[0]?.id ?? '',
    });
    await this.renderNew(access, req, res, fresh(values), 200);
  }

  @Post()
  @Authorize('catalog.manage')
  async create(@Access() access: AccessContext, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    const values = formValues('course', body);
    try {
      const request = requestFromForm('course', values, 'create');
      if (values.level !== 'kindergarten') delete request.ownerOrgUnitId;
      const course = await this.courses.create(access, await validated(CreateCourseDto, request));
      flash(res, { kind: 'success', key: 'catalog.flash.courseCreated' });
      res.redirect(303, `/courses/${course.id}`);
    } catch (error) {
      const errors = formErrors(error, values, req.locale);
      if (!errors) throw error;
      await this.renderNew(access, req, res, { values, errors }, error instanceof DomainError ? error.status : 400);
    }
  }

  @Get(':id')
  @Authorize('catalog.manage')
  async show(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.renderCourse(access, req, res, id, {}, 200);
  }

  @Post(':id')
  @Authorize('catalog.manage')
  async update(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    const values = formValues('course', body);
    try {
      await this.courses.update(access, id, await validated(UpdateCourseDto, requestFromForm('course', values, 'update')));
    } catch (error) {
      const errors = formErrors(error, values, req.locale);
      if (!errors) throw error;
      return this.renderCourse(access, req, res, id, { edit: { values, errors } }, error instanceof DomainError ? error.status : 400);
    }
    flash(res, { kind: 'success', key: 'catalog.flash.courseSaved' });
    res.redirect(303, `/courses/${id}`);
  }

  @Post(':id/publish')
  @Authorize('catalog.manage')
  async publish(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    await this.courses.publish(access, id);
    flash(res, { kind: 'success', key: 'catalog.flash.coursePublished' });
    res.redirect(303, `/courses/${id}`);
  }

  @Post(':id/archive')
  @Authorize('catalog.manage')
  async archive(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Res() res: Response) {
    await this.courses.archive(access, id);
    flash(res, { kind: 'success', key: 'catalog.flash.courseArchived' });
    res.redirect(303, `/courses/${id}`);
  }

  @Post(':id/offerings')
  @Authorize('catalog.manage')
  async createOffering(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: FormBody, @Req() req: Request, @Res() res: Response) {
    const values = formValues('offering', body);
    let offeringId: string;
    try {
      offeringId = await this.offerings.create(access, id, await validated(CreateOfferingDto, requestFromForm('offering', values, 'create')));
    } catch (error) {
      const errors = formErrors(error, values, req.locale);
      if (errors) return this.renderCourse(access, req, res, id, { offering: { values, errors } }, error instanceof DomainError ? error.status : 400);
      if (!(error instanceof DomainError) || error.status !== 409) throw error;
      flash(res, { kind: 'danger', key: `errors.${error.code}` });
      return res.redirect(303, `/courses/${id}`);
    }
    flash(res, { kind: 'success', key: 'catalog.flash.offeringCreated' });
    res.redirect(303, `/courses/offerings/${offeringId}`);
  }

  private async renderNew(access: AccessContext, req: Request, res: Response, form: Form, status: number) {
    const choices = await this.choices.courseForm(access, req.locale);
    res.status(status).render('pages/courses/course', {
      title: translate(req.locale, 'catalog.courses.new'),
      course: null,
      edit: { ...form, open: true, hasErrors: Object.keys(form.errors).length > 0, inputs: formInputs('course', courseSpecs(choices, req.locale, 'create'), form.values, form.errors) },
      offeringForm: null,
    });
  }

  private async renderCourse(access: AccessContext, req: Request, res: Response, id: string, forms: { edit?: Form; offering?: Form }, status: number) {
    const [course, choices] = await Promise.all([this.courses.get(access, id), this.choices.courseForm(access, req.locale)]);
    const edit = forms.edit ?? fresh(courseFormValues(course));
    const offering = forms.offering ?? fresh(newOfferingValues(course));
    res.status(status).render('pages/courses/course', {
      title: course.title,
      course: {
        ...course, offerings: course.offerings.map(offeringRow), trainerNames: course.trainers.map((t) => t.displayName).join('、'),
        canPublish: course.status !== 'published', canArchive: course.status !== 'archived',
      },
      edit: { ...edit, open: !!forms.edit, hasErrors: !!forms.edit, inputs: formInputs('course', courseSpecs(choices, req.locale, 'update'), edit.values, edit.errors) },
      offeringForm: {
        ...offering, open: !!forms.offering, hasErrors: !!forms.offering,
        inputs: formInputs('offering', offeringSpecs(choices.trainers, choices, req.locale, 'create'), offering.values, offering.errors),
      },
    });
  }
}
