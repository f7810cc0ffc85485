import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Access, Authorize } from '../../common/authorize.decorator.js';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound, ValidationFailed, type DomainError } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import { pageLinks } from '../../common/pagination.js';
import { RecordIdPipe } from '../../common/record-id.pipe.js';
import { flash } from '../../common/web/flash.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { OfferingDirectory } from '../catalog/offering-directory.service.js';
import type { EnrollmentStatus } from './enrollment.entities.js';
import { ApprovalsQuery, CancelOfferingDto, CapacityDto, DeclineDto, RequestEnrollmentDto, WithdrawDto } from './enrollment.dto.js';
import { EnrollmentQuery } from './enrollment.query.js';
import { EnrollmentService } from './enrollment.service.js';
import { EnrollmentListsService } from './enrollment-lists.service.js';
import { OfferingSeatsService } from './offering-seats.service.js';
import {
  approvalRow, errorMessage, fieldMessages, myLearning, offeringPage, pick, refusalText, rosterSections, shownInPlace, validated,
  type ApprovalState, type LearnerState,
} from './enrollment-views.js';

type Form = Record<string, unknown>;

/** What the roster page shows again after a refusal: a form's values with its field errors, or why an action was refused. */
interface RosterForms {
  capacity?: { values: Record<string, string | boolean>; errors: Record<string, string> };
  cancel?: { values: Record<string, string>; errors: Record<string, string> };
  error?: string;
}

/** The enrolment pages: the learner's offering page, my learning, the approvals inbox and the manager's roster. */
@ApiExcludeController()
@Controller()
export class EnrollmentPagesController {

  constructor(
    private readonly enrollments: EnrollmentService,
    private readonly lists: EnrollmentListsService,
    private readonly seats: OfferingSeatsService,
    private readonly catalog: CatalogService,
    private readonly query: EnrollmentQuery,
    private readonly directory: OfferingDirectory,
  ) {
  }

  // ---- the learner ----------------------------------------------------------------------------

  @Get('offerings/:id')
  @Authorize('signed_in')
  async offering(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.renderOffering(access, res, id, 200, null);
  }

  @Post('offerings/:id/enrol')
  @Authorize('signed_in')
  async enrol(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.learnerSubmit(access, req, res, id, {}, async () => {
      const answer = await this.enrollments.request(access, id);
      return answer.created ? `enrollment.flash.${answer.status}` : 'enrollment.flash.already';
    });
  }

  @Post('offerings/:id/withdraw')
  @Authorize('signed_in')
  async withdraw(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body, ['reason']);
    await this.learnerSubmit(access, req, res, id, values, async () => {
      const { reason } = await validated(WithdrawDto, values);
      await this.enrollments.withdraw(access, await this.myEnrollmentId(access, id), reason || undefined);
      return 'enrollment.flash.withdrawn';
    });
  }

  @Post('offerings/:id/accept')
  @Authorize('signed_in')
  async accept(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.learnerSubmit(access, req, res, id, {}, async () => {
      await this.enrollments.acceptOffer(access, await this.myEnrollmentId(access, id));
      return 'enrollment.flash.accepted';
    });
  }

  @Get('my-learning')
  @Authorize('signed_in')
  async myLearning(@Access() access: AccessContext, @Req() req: Request, @Res() res: Response) {
    const { items } = await this.lists.mine(access, { page: 1, pageSize: 500 });
    res.render('pages/enrollment/my-learning', { title: translate(req.locale, 'enrollment.myLearning.title'), ...myLearning(items, new Date()) });
  }

  // ---- approvals ------------------------------------------------------------------------------

  @Get('approvals')
  @Authorize('enrollment.approve')
  async approvals(@Access() access: AccessContext, @Query() query: ApprovalsQuery, @Req() req: Request, @Res() res: Response) {
    await this.renderApprovals(access, req, res, query.page, query.pageSize, new Map(), 200);
  }

  @Post('approvals/:id/approve')
  @Authorize('enrollment.approve')
  async approve(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Req() req: Request, @Res() res: Response) {
    await this.approvalSubmit(access, req, res, id, '', async () => (await this.enrollments.approve(access, id)).status);
  }

  @Post('approvals/:id/decline')
  @Authorize('enrollment.approve')
  async decline(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body, ['reason']);
    await this.approvalSubmit(access, req, res, id, values.reason ?? '', async () =>
      (await this.enrollments.decline(access, id, (await validated(DeclineDto, values)).reason)).status);
  }

  // ---- the manager's roster -------------------------------------------------------------------

  @Get('courses/offerings/:id/roster')
  @Authorize('catalog.manage')
  async roster(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Query('q') q: unknown, @Req() req: Request, @Res() res: Response) {
    await this.renderRoster(access, req, res, id, typeof q === 'string' ? q.trim().slice(0, 50) : '', {}, 200);
  }

  @Post('courses/offerings/:id/roster/enrol')
  @Authorize('catalog.manage')
  async enrolPerson(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const values = pick(body, ['personId']);
    await this.rosterSubmit(access, req, res, id, values, null, async () => {
      // Without a person the API would enrol the caller; the roster form always names someone.
      if (!values.personId) throw ValidationFailed.field('personId', 'isNotEmpty', 'personId is required');
      await this.enrollments.request(access, id, (await validated(RequestEnrollmentDto, values)).personId);
      return 'enrollment.flash.personEnrolled';
    });
  }

  @Post('courses/offerings/:id/roster/:enrollmentId/withdraw')
  @Authorize('catalog.manage')
  async withdrawPerson(
    @Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Param('enrollmentId', RecordIdPipe) enrollmentId: string,
    @Body() body: Form, @Req() req: Request, @Res() res: Response,
  ) {
    const values = pick(body, ['reason']);
    await this.rosterSubmit(access, req, res, id, values, null, async () => {
      const { reason } = await validated(WithdrawDto, values);
      if ((await this.enrollments.get(access, enrollmentId)).offeringId !== id) throw new NotFound('enrollment', enrollmentId);
      await this.enrollments.withdraw(access, enrollmentId, reason || undefined);
      return 'enrollment.flash.personWithdrawn';
    });
  }

  @Post('courses/offerings/:id/capacity')
  @Authorize('catalog.manage')
  async capacity(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const { capacity = '' } = pick(body, ['capacity']);
    const bumpToWaitlist = body.bumpToWaitlist === 'on' || body.bumpToWaitlist === 'true';
    await this.rosterSubmit(access, req, res, id, { capacity }, { capacity: { capacity, bumpToWaitlist } }, async () => {
      const input = await validated(CapacityDto, { capacity: /^\d+$/.test(capacity) ? Number(capacity) : capacity, bumpToWaitlist });
      await this.seats.changeCapacity(access, id, input.capacity, input.bumpToWaitlist ?? false);
      return 'enrollment.flash.capacityChanged';
    });
  }

  @Post('courses/offerings/:id/cancel')
  @Authorize('catalog.manage')
  async cancel(@Access() access: AccessContext, @Param('id', RecordIdPipe) id: string, @Body() body: Form, @Req() req: Request, @Res() res: Response) {
    const { reason = '' } = pick(body, ['reason']);
    await this.rosterSubmit(access, req, res, id, { reason }, { cancel: { reason } }, async () => {
      await this.seats.cancel(access, id, (await validated(CancelOfferingDto, { reason })).reason);
      return 'enrollment.flash.offeringCancelled';
    });
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Runs a form's action: a flash and 303 on success; a refusal the page can show goes to `refused` (nothing changed). */
  private async submit(res: Response, back: string, action: () => Promise<string>, refused: (error: DomainError) => Promise<void>) {
    let flashKey: string;
    try {
      flashKey = await action();
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      return refused(error);
    }
    flash(res, { kind: 'success', key: flashKey });
    res.redirect(303, back);
  }

  private async learnerSubmit(access: AccessContext, req: Request, res: Response, id: string, values: Record<string, string>, action: () => Promise<string>) {
    await this.submit(res, `/offerings/${id}`, action, (error) => this.renderOffering(access, res, id, error.status, refusalText(error, values, req.locale)));
  }

  private async myEnrollmentId(access: AccessContext, offeringId: string): Promise<string> {
    const [mine] = (await this.lists.mine(access, { offeringId, page: 1, pageSize: 1 })).items;
    if (!mine) throw new NotFound('enrollment');
    return mine.id;
  }

  private async renderOffering(access: AccessContext, res: Response, id: string, status: number, error: string | null) {
    const offering = await this.catalog.offering(access, id);
    const state: LearnerState = { offering, mine: null, eligibility: null, blocked: null, waitlisted: 0, now: new Date() };
    state.waitlisted = (await this.query.seatSummary(id)).waitlisted ?? 0;
    if (!access.personId) state.blocked = 'noPerson';
    else {
      state.mine = (await this.lists.mine(access, { offeringId: id, page: 1, pageSize: 1 })).items[0] ?? null;
      try {
        state.eligibility = await this.lists.myEligibility(access, id);
      } catch (problem) {
        if (!(problem instanceof NotFound)) throw problem;
        state.blocked = 'notForYou';
      }
    }
    res.status(status).render('pages/enrollment/offering', { ...offeringPage(state, error), canManage: offering.viewerCanManage });
  }

  /** An approver's button: with htmx the row answers in place (outcome or refusal); without, 303 to the inbox or the inbox again. */
  private async approvalSubmit(access: AccessContext, req: Request, res: Response, id: string, reason: string, action: () => Promise<EnrollmentStatus>) {
    const htmx = req.get('HX-Request') === 'true';
    let done: EnrollmentStatus;
    try {
      done = await action();
    } catch (error) {
      if (!shownInPlace(error)) throw error;
      const messages = fieldMessages(error, { reason }, req.locale, 'enrollment.approvals.reasonRequired');
      const state: ApprovalState = messages?.reason ? { reasonError: messages.reason, reason } : { error: errorMessage(error, req.locale), reason };
      if (htmx) return this.renderApprovalRow(access, res, id, state, error.status);
      return this.renderApprovals(access, req, res, 1, 50, new Map([[id, state]]), error.status);
    }
    if (htmx) return this.renderApprovalRow(access, res, id, { done }, 200);
    flash(res, { kind: 'success', key: done === 'declined' ? 'enrollment.flash.declined' : `enrollment.flash.approved.${done}` });
    res.redirect(303, '/approvals');
  }

  private async renderApprovalRow(access: AccessContext, res: Response, id: string, state: ApprovalState, status: number) {
    const row = await this.enrollments.get(access, id);
    res.status(status).render('pages/enrollment/approvals', { onlyRow: approvalRow(row, state), layout: false });
  }

  private async renderApprovals(access: AccessContext, req: Request, res: Response, page: number, pageSize: number, states: Map<string, ApprovalState>, status: number) {
    const result = await this.lists.approvals(access, page, pageSize);
    res.status(status).render('pages/enrollment/approvals', {
      title: translate(req.locale, 'enrollment.approvals.title'),
      rows: result.items.map((row) => approvalRow(row, states.get(row.id))),
      pager: pageLinks('/approvals', { pageSize }, result.total, result.page, result.pageSize),
      onlyRow: null,
    });
  }

  /** A roster form: on a refusal about its fields the form shows them beside the fields with what was typed; otherwise an alert. */
  private async rosterSubmit(
    access: AccessContext, req: Request, res: Response, id: string, values: Record<string, string>,
    form: { capacity: Record<string, string | boolean> } | { cancel: Record<string, string> } | null, action: () => Promise<string>,
  ) {
    await this.submit(res, `/courses/offerings/${id}/roster`, action, (error) => {
      const errors = form && fieldMessages(error, values, req.locale);
      const [name, shown] = form ? Object.entries(form)[0] : [];
      const forms: RosterForms = errors && name ? { [name]: { values: shown, errors } } : { error: refusalText(error, values, req.locale) };
      return this.renderRoster(access, req, res, id, '', forms, error.status);
    });
  }

  private async renderRoster(access: AccessContext, req: Request, res: Response, id: string, q: string, forms: RosterForms, status: number) {
    const offering = await this.catalog.offering(access, id);
    if (!offering.viewerCanManage) throw new NotFound('offering', id);
    const [roster, { ownerPath }] = await Promise.all([this.lists.roster(access, id), this.directory.context(id)]);
    const found = await this.query.enrollableStaff(q, access.scopePaths('enrollment.manage'), ownerPath, id);
    const { course, code, label, capacity, cancelledReason } = offering;
    res.status(status).render('pages/enrollment/roster', {
      title: `${translate(req.locale, 'enrollment.roster.title')} · ${course.title}`,
      offering: { id, code, label, status: offering.status, courseTitle: course.title, capacity, cancelledReason },
      ...rosterSections(roster.items, roster.seats),
      search: { q, searched: q !== '', found },
      capacityForm: forms.capacity ?? { values: { capacity: String(capacity), bumpToWaitlist: false }, errors: {} },
      cancelForm: forms.cancel ?? { values: { reason: '' }, errors: {} },
      error: forms.error ?? null,
      isCancelled: offering.status === 'cancelled',
      exportFilters: { offering: id },
    });
  }
}
