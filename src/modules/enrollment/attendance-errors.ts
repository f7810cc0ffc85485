import { DomainError } from '../../common/errors.js';

export const checkInClosed = (opensAt: Date, closesAt: Date) =>
  new DomainError('CHECK_IN_CLOSED', 422, 'Check-in is open from 30 minutes before the meeting starts until it ends',
    { opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString() });
export const checkInCodeExpired = () => new DomainError('CHECK_IN_CODE_EXPIRED', 422, 'The check-in code has expired; use the one on the screen now');
export const checkInCodeUsed = () => new DomainError('CHECK_IN_CODE_USED', 409, 'Someone else has already checked in with this code; use the new one on the screen');
export const checkInCodeInvalid = () => new DomainError('CHECK_IN_CODE_INVALID', 422, 'The check-in code is not right for this meeting');
export const notEnrolledInOffering = () => new DomainError('NOT_ENROLLED_IN_OFFERING', 403, 'You are not enrolled in this offering');
