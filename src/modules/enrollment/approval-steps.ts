import type { AccessContext } from '../../common/access-context.js';
import type { OfferingContext } from '../catalog/offering-directory.service.js';
import type { LearnerProfile } from '../people/people-directory.service.js';

/** Kindergarten step: an approver over the learner's kindergarten. District step: an approver over the offering's district. */
export function mayApprove(access: AccessContext, step: 'kindergarten' | 'district', context: OfferingContext, person: LearnerProfile): boolean {
  if (step === 'kindergarten') return access.canAt('enrollment.approve', person.orgPath);
  const districtPath = context.ownerPath.split('/').slice(0, 3).join('/') + '/';
  return access.canAt('enrollment.approve', districtPath);
}

/** The approval still needed, skipping the steps the caller could give themselves (an admin enrolling their own staff). */
export function firstApprovalStep(context: OfferingContext, person: LearnerProfile, access: AccessContext): 'kindergarten' | 'district' | null {
  const mode = context.offering.approvalMode;
  if (mode === 'none') return null;
  const self = access.isSelf(person.personId);
  if (self || !mayApprove(access, 'kindergarten', context, person)) return 'kindergarten';
  if (mode === 'kindergarten_then_district' && !mayApprove(access, 'district', context, person)) return 'district';
  return null;
}
