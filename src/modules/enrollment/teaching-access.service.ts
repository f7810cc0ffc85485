import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import type { Meeting } from '../catalog/catalog.entities.js';
import { OfferingDirectory, type OfferingContext } from '../catalog/offering-directory.service.js';

/**
 * Who may act on an offering as its trainer: the users listed on it (with `offering.teach`), and
 * whoever manages the catalog where the course's owner sits. Everyone else sees nothing (404).
 */
@Injectable()
export class TeachingAccess {
  constructor(private readonly offerings: OfferingDirectory) {}

  async canTeach(access: AccessContext, context: OfferingContext): Promise<boolean> {
    if (access.canAt('catalog.manage', context.ownerPath)) return true;
    return access.can('offering.teach') && this.offerings.isTrainer(context.offering.id, access.userId);
  }

  async offering(access: AccessContext, offeringId: string): Promise<OfferingContext> {
    const context = await this.offerings.context(offeringId);
    if (!(await this.canTeach(access, context))) throw new NotFound('offering', offeringId);
    return context;
  }

  async meeting(access: AccessContext, meetingId: string): Promise<{ meeting: Meeting; context: OfferingContext }> {
    const meeting = await this.offerings.meeting(meetingId);
    if (!meeting) throw new NotFound('meeting', meetingId);
    const context = await this.offerings.context(meeting.offeringId);
    if (!(await this.canTeach(access, context))) throw new NotFound('meeting', meetingId);
    return { meeting, context };
  }
}
