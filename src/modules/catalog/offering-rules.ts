import type { FieldProblem } from '../../common/errors.js';
import type { WaitlistMode } from './catalog.entities.js';

/** The fields of an offering that must agree with each other, as they will be stored. */
export interface OfferingShape {
  capacity: number;
  kindergartenQuota: number | null;
  enrolOpensAt: Date;
  enrolClosesAt: Date;
  withdrawDeadline: Date;
  waitlistMode: WaitlistMode;
  offerExpiryHours: number | null;
}

/** Cross-field rules: the window runs forward, withdrawal is possible once enrolment opens, an offered seat expires. */
export function offeringProblems(offering: OfferingShape): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (offering.enrolClosesAt.getTime() <= offering.enrolOpensAt.getTime()) {
    problems.push({ field: 'enrolClosesAt', code: 'CLOSES_BEFORE_OPENS', message: 'enrolClosesAt must be after enrolOpensAt' });
  }
  if (offering.withdrawDeadline.getTime() < offering.enrolOpensAt.getTime()) {
    problems.push({ field: 'withdrawDeadline', code: 'WITHDRAW_BEFORE_OPENS', message: 'withdrawDeadline must not be before enrolOpensAt' });
  }
  if (offering.waitlistMode === 'offer' && offering.offerExpiryHours === null) {
    problems.push({ field: 'offerExpiryHours', code: 'OFFER_EXPIRY_REQUIRED', message: "offerExpiryHours is required when waitlistMode is 'offer'" });
  }
  if (offering.kindergartenQuota !== null && offering.kindergartenQuota > offering.capacity) {
    problems.push({ field: 'kindergartenQuota', code: 'QUOTA_ABOVE_CAPACITY', message: 'kindergartenQuota must not exceed the capacity' });
  }
  return problems;
}

export interface MeetingShape {
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  onlineUrl: string | null;
  hours: number;
}

/**
 * A meeting runs forward, happens somewhere, and counts no more hours than it lasts when hours
 * are given (the default, the duration to the nearest half hour, may round up).
 */
export function meetingProblems(meeting: MeetingShape, hoursGiven: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const duration = (meeting.endsAt.getTime() - meeting.startsAt.getTime()) / 3600_000;
  if (duration <= 0) problems.push({ field: 'endsAt', code: 'ENDS_BEFORE_START', message: 'endsAt must be after startsAt' });
  else if (hoursGiven && meeting.hours > duration + 1e-9) problems.push({ field: 'hours', code: 'HOURS_EXCEED_DURATION', message: 'hours must not exceed the meeting\'s duration' });
  if (!meeting.place && !meeting.onlineUrl) problems.push({ field: 'place', code: 'PLACE_REQUIRED', message: 'Give a place or an online link' });
  return problems;
}
