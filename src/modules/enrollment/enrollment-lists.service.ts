import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { OfferingDirectory } from '../catalog/offering-directory.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { noPersonRecord } from './enrollment-errors.js';
import type { EnrollmentStatus } from './enrollment.entities.js';
import { EligibilityService } from './eligibility.service.js';
import { EnrollmentQuery } from './enrollment.query.js';

/** The read side: my learning, the approvals inbox, an offering's roster, and "may I enrol here?". */
@Injectable()
export class EnrollmentListsService {
  constructor(
    private readonly query: EnrollmentQuery,
    private readonly offerings: OfferingDirectory,
    private readonly people: PeopleDirectory,
    private readonly eligibility: EligibilityService,
  ) {}

  async mine(access: AccessContext, filter: { status?: EnrollmentStatus; offeringId?: string; page: number; pageSize: number }) {
    if (!access.personId) throw noPersonRecord();
    if (filter.offeringId) {
      const row = await this.query.forPersonInOffering(access.personId, filter.offeringId);
      return { items: row ? [row] : [], total: row ? 1 : 0, page: 1, pageSize: filter.pageSize };
    }
    return this.query.forPerson(access.personId, filter.status ? [filter.status] : null, filter.page, filter.pageSize);
  }

  /** Kindergarten-step requests of the caller's staff and, for district approvers, district-step requests. */
  async approvals(access: AccessContext, page: number, pageSize: number) {
    const paths = access.scopePaths('enrollment.approve');
    const districtPaths = paths.filter((p) => p.split('/').filter(Boolean).length <= 2);
    return this.query.pendingApprovals(paths, districtPaths, page, pageSize);
  }

  async roster(access: AccessContext, offeringId: string, status?: EnrollmentStatus) {
    const context = await this.offerings.context(offeringId);
    const manages = access.canAt('catalog.manage', context.ownerPath);
    if (!manages && !(await this.offerings.isTrainer(offeringId, access.userId))) throw new NotFound('offering', offeringId);
    const [items, seats] = await Promise.all([this.query.roster(offeringId, status ? [status] : null), this.query.seatSummary(offeringId)]);
    return { offering: { id: offeringId, capacity: context.offering.capacity, status: context.offering.status }, seats, items };
  }

  /** Whether the caller may enrol, with every reason they may not, in their language. */
  async myEligibility(access: AccessContext, offeringId: string) {
    if (!access.personId) throw noPersonRecord();
    const [context, person] = await Promise.all([this.offerings.context(offeringId), this.people.learnerProfile(access.personId)]);
    if (!person || !person.orgPath.startsWith(context.ownerPath)) throw new NotFound('offering', offeringId);
    return this.eligibility.check(context, person, access.locale);
  }
}
