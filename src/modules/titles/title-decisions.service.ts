import { PersonRecordsService } from '../people/person-records.service.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { DomainError, NotFound } from '../../common/errors.js';
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
    private readonly records: PersonRecordsService,
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

  /** The new title in the person's history, written by the people module in the decision's transaction. */
  private async recordTitle(manager: EntityManager, access: AccessContext, app: TitleApplication, approvingBody: string): Promise<string> {
    const current = await currentTitle(manager, app.personId);
    if (titleRank(app.toTitle) <= titleRank(current)) {
      throw refuse('TITLE_NOT_ABOVE_CURRENT', `The person already holds ${current}; the application is out of date`, { currentTitle: current });
    }
    const record = await this.records.grantTitle(manager, app.personId, { title: app.toTitle, effectiveDate: app.effectiveDate!, approvingBody },
      access.userId, { applicationId: app.id });
    return record.id;
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
