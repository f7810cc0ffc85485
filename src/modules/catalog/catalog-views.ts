import { emptyForm, type FormValues } from './catalog-forms.js';
import { shanghaiDate, shanghaiDateTime, shanghaiInputValue, shanghaiTime } from '../../common/dates.js';
import type { CatalogItem, OfferingView } from './catalog.service.js';
import type { CourseView, OfferingSummary } from './course.service.js';
import type { MaterialView, MeetingView } from './offering-content.service.js';

const span = (from: Date | null, to: Date | null): string => {
  if (!from || !to) return '';
  const a = shanghaiDate(from);
  const b = shanghaiDate(to);
  return a === b ? a : `${a} – ${b}`;
};

/** A catalog card: the offering's course, dates, seats and, for a person, why they may not enrol. */
export function catalogCard(item: CatalogItem) {
  return {
    ...item,
    dates: span(item.firstMeetingAt, item.lastMeetingAt),
    enrolWindow: `${shanghaiDate(item.enrolOpensAt)} – ${shanghaiDateTime(item.enrolClosesAt)}`,
    full: item.seatsLeft === 0,
    eligibility: item.eligibility ?? null,
  };
}

export function offeringRow(offering: OfferingSummary) {
  return {
    ...offering,
    dates: span(offering.firstMeetingAt, offering.lastMeetingAt),
    enrolWindow: `${shanghaiDate(offering.enrolOpensAt)} – ${shanghaiDate(offering.enrolClosesAt)}`,
  };
}

export function meetingRow(meeting: MeetingView) {
  return {
    ...meeting,
    day: shanghaiDate(meeting.startsAt),
    time: `${shanghaiTime(meeting.startsAt)}–${shanghaiTime(meeting.endsAt)}`,
    where: meeting.place ?? meeting.onlineUrl ?? '',
  };
}

export function materialRow(material: MaterialView) {
  return { ...material, link: material.url ?? '' };
}

/** The course's current values as its edit form shows them. */
export function courseFormValues(course: CourseView): FormValues {
  return emptyForm('course', {
    code: course.code, title: course.title, description: course.description, provider: course.provider, category: course.category,
    level: course.level, ownerOrgUnitId: course.owner.id, mode: course.mode, hours: String(course.hours),
    credits: course.creditsFromRule ? '' : String(course.credits), tags: course.tags.join('，'),
    trainerUserIds: course.trainers.map((t) => t.userId), version: String(course.version),
    posts: course.audience.posts ?? [], teacherStages: course.audience.teacherStages ?? [], principalStages: course.audience.principalStages ?? [],
    titles: course.audience.titles ?? [], kindergartenGrades: course.audience.kindergartenGrades ?? [], ownerships: course.audience.ownerships ?? [],
    kindergartenIds: course.audience.kindergartenIds ?? [], groupIds: course.audience.groupIds ?? [],
  });
}

/** A new offering's form: the enrolment window open from now, the course's trainers. */
export function newOfferingValues(course: CourseView): FormValues {
  return emptyForm('offering', {
    code: `${new Date().getFullYear()}-${String(course.offerings.length + 1).padStart(2, '0')}`, capacity: '60',
    approvalMode: course.level === 'city' ? 'kindergarten_then_district' : 'none', waitlistMode: 'auto', minAttendanceShare: '0.8',
    trainerUserIds: course.trainers.map((t) => t.userId),
  });
}

export function offeringFormValues(offering: OfferingView): FormValues {
  return emptyForm('offering', {
    code: offering.code, label: offering.label, capacity: String(offering.capacity),
    kindergartenQuota: offering.kindergartenQuota === null ? '' : String(offering.kindergartenQuota),
    enrolOpensAt: shanghaiInputValue(offering.enrolOpensAt), enrolClosesAt: shanghaiInputValue(offering.enrolClosesAt),
    withdrawDeadline: shanghaiInputValue(offering.withdrawDeadline), approvalMode: offering.approvalMode, waitlistMode: offering.waitlistMode,
    offerExpiryHours: offering.offerExpiryHours === null ? '' : String(offering.offerExpiryHours),
    minAttendanceShare: String(offering.minAttendanceShare), trainerUserIds: offering.trainers.map((t) => t.userId), version: String(offering.version),
  });
}
