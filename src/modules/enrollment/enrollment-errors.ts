import { DomainError } from '../../common/errors.js';

/** Why a person may not enrol; `message` is filled in the caller's language. */
export interface IneligibleReason {
  code: string;
  message: string;
  params?: Record<string, string | number>;
}

/** 422 with the first reason's stable code and every reason in `details.reasons`. */
export class NotEligible extends DomainError {
  constructor(readonly reasons: IneligibleReason[]) {
    super(reasons[0].code, 422, reasons.map((r) => r.message).join('; '), { reasons }, reasons[0].params ?? {});
  }
}

export const offeringCancelled = () => new DomainError('OFFERING_CANCELLED', 409, 'The offering has been cancelled');
export const offeringNotOpen = () => new DomainError('OFFERING_NOT_PUBLISHED', 409, 'The offering is not open for enrolment');
export const enrollmentFull = () => new DomainError('ENROLLMENT_FULL', 409, 'The offering is full and has no waitlist');
export const quotaFull = () => new DomainError('KINDERGARTEN_QUOTA_FULL', 409, "Your kindergarten's seats in this offering are taken and it has no waitlist");
export const noPersonRecord = () => new DomainError('NO_PERSON_RECORD', 403, 'Only staff with a person record can enrol');
export const withdrawalDeadlinePassed = (deadline: string) =>
  new DomainError('WITHDRAWAL_DEADLINE_PASSED', 422, `Withdrawal closed on ${deadline}; ask an administrator`, { deadline }, { deadline });
export const wrongStatus = (action: string, status: string) =>
  new DomainError('ENROLLMENT_WRONG_STATUS', 409, `Cannot ${action} an enrolment that is ${status}`, { action, status }, { status });
export const offerExpired = () => new DomainError('OFFER_EXPIRED', 409, 'The seat offer has expired');
export const capacityBelowEnrolled = (held: number) =>
  new DomainError('CAPACITY_BELOW_ENROLLED', 409, `${held} seats are taken; choose bumpToWaitlist to move the latest enrolments to the waitlist`,
    { field: 'capacity', held, fields: [{ field: 'capacity', code: 'CAPACITY_BELOW_ENROLLED', message: `${held} seats are taken` }] }, { held });
export const noShowTooEarly = () => new DomainError('NO_SHOW_TOO_EARLY', 409, 'A no-show can be recorded once the first meeting has started');
