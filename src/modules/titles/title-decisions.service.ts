import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError, NotFound, ValidationFailed } from '../../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import type { DistrictDecisionDto, KindergartenDecisionDto } from './promotion.dto.js';
import { TitleApplicationsQuery, type ApplicationView } from './title-applications.query.js';
import { currentTitle } from './title-applications.service.js';
import { titleRank } from './title-rules.js';
import { TitleApplication, type ApplicationStatus } from './titles.entities.js';

const refuse = (code: string, message: string, details?: unknown) => new DomainError(code, 422, message, details);

/**
 * The two reviews: the kindergarten's ('titles.review' over the person's kindergarten), then the
 * district's ('titles.decide'), whose approval writes the new title into the title history. The same
 * decision again (a double click) answers the application unchanged.
 */
@Injectable()
export class TitleDecisionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: TitleApplicationsQuery,
    private readonly audit: AuditService,
  ) {}

  async kindergartenDecision(access: AccessContext, id: string, input: KindergartenDecisionDto): Promise<ApplicationView> {
    const view = await this.query.view(id);
    if (!view || !access.canAt('titles.review', view.kindergartenPath)) throw new NotFound('title_application', id);
    this.notOwn(access, view);
    await this.db.transaction(async (manager) => {
      const app = await this.lock(manager, id);
      const outcome: ApplicationStatus = input.decision === 'approve' ? 'kindergarten_approved' : 'rejected';
      if (app.kindergartenDecidedAt && app.status === outcome) return;
      if (app.status !== 'submitted') throw refuse('APPLICATION_NOT_AWAITING', `The application is ${app.status}, not awaiting the kindergarten's review`);
      const before = { status: app.status };
      app.status = outcome;
      app.kindergartenDecidedBy = access.userId;
      app.kindergartenDecidedAt = new Date();
      app.kindergartenComment = input.comment || null;
      if (outcome === 'rejected') app.rejectionReasons = input.reasons!;
      await manager.save(app);
      await this.audit.record(access.userId, `kindergarten_${input.decision}`, 'title_application', app.id, app.districtId, before,
        { status: app.status, comment: app.kindergartenComment, reasons: app.rejectionReasons }, manager);
    });
    return (await this.query.view(id))!;
  }

  async districtDecision(access: AccessContext, id: string, input: DistrictDecisionDto): Promise<ApplicationView> {
    const view = await this.query.view(id);
    if (!view || !access.canAt('titles.decide', view.districtPath)) throw new NotFound('title_application', id);
    this.notOwn(access, view);
    await this.db.transaction(async (manager) => {
      const app = await this.lock(manager, id);
      const outcome: ApplicationStatus = input.decision === 'approve' ? 'approved' : 'rejected';
      if (app.districtDecidedAt && app.status === outcome) return;
      if (app.status !== 'kindergarten_approved') throw refuse('APPLICATION_NOT_AWAITING', `The application is ${app.status}, not awaiting the district's decision`);
      const before = { status: app.status };
      app.status = outcome;
      app.districtDecidedBy = access.userId;
      app.districtDecidedAt = new Date();
      app.districtComment = input.comment || null;
      if (outcome === 'rejected') app.rejectionReasons = input.reasons!;
      else {
        app.effectiveDate = input.effectiveDate!;
        app.titleRecordId = await this.recordTitle(manager, access, app, view.districtName);
      }
      await manager.save(app);
      await this.audit.record(access.userId, `district_${input.decision}`, 'title_application', app.id, app.districtId, before,
        { status: app.status, comment: app.districtComment, reasons: app.rejectionReasons, effectiveDate: app.effectiveDate, titleRecordId: app.titleRecordId }, manager);
    });
    return (await this.query.view(id))!;
  }

  /**
   * The new title in the person's history. The people module exports no writer for it, so the row is
   * inserted here, in the decision's transaction, under the person's row lock and the same checks.
   */
  private async recordTitle(manager: EntityManager, access: AccessContext, app: TitleApplication, approvingBody: string): Promise<string> {
    const person: Array<{ birth_date: string }> = await manager.query('SELECT birth_date::text AS birth_date FROM person WHERE id = $1 FOR UPDATE', [app.personId]);
    const current = await currentTitle(manager, app.personId);
    if (titleRank(app.toTitle) <= titleRank(current)) {
      throw refuse('TITLE_NOT_ABOVE_CURRENT', `The person already holds ${current}; the application is out of date`, { currentTitle: current });
    }
    const latest: Array<{ d: string | null }> = await manager.query('SELECT max(effective_date)::text AS d FROM title_record WHERE person_id = $1', [app.personId]);
    const effectiveDate = app.effectiveDate!;
    if (effectiveDate <= person[0]!.birth_date || (latest[0]?.d && effectiveDate < latest[0].d)) {
      throw ValidationFailed.field('effectiveDate', 'TITLE_DATE_BEFORE_CURRENT', `effectiveDate must not be before the current title's (${latest[0]?.d})`);
    }
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO title_record (person_id, title, effective_date, approving_body, is_correction, recorded_by)
       VALUES ($1, $2, $3, $4, false, $5) RETURNING id`, [app.personId, app.toTitle, effectiveDate, approvingBody, access.userId]);
    const recordId = rows[0]!.id;
    await this.audit.record(access.userId, 'create', 'title_record', recordId, app.districtId, null,
      { personId: app.personId, title: app.toTitle, effectiveDate, approvingBody, applicationId: app.id }, manager);
    return recordId;
  }

  /** Nobody decides on their own application (a kindergarten admin is often a teacher too). */
  private notOwn(access: AccessContext, view: ApplicationView) {
    if (access.isSelf(view.personId)) throw refuse('OWN_APPLICATION', 'You cannot review your own application');
  }

  private async lock(manager: EntityManager, id: string): Promise<TitleApplication> {
    const app = await manager.findOne(TitleApplication, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!app) throw new NotFound('title_application', id);
    return app;
  }
}
