import type { StaffMember } from './demo-careers.js';
import { demoUuid } from './demo-random.js';
import type { DemoCatalog, DemoEnrollment, DemoEnrollmentEvent, DemoUser } from './demo-types.js';
import { DEMO_USERNAMES } from './demo-users.js';

/**
 * A few enrolments so the demo's pages are not empty: the demo teacher holds two seats, and
 * three colleagues at the same kindergarten wait for the kindergarten admin's approval.
 */
export function buildEnrollments(members: StaffMember[], users: DemoUser[], catalog: DemoCatalog): { enrollments: DemoEnrollment[]; enrollmentEvents: DemoEnrollmentEvent[] } {
  const teacherUser = users.find((u) => u.username === DEMO_USERNAMES.teacher)!;
  const teacher = members.find((m) => m.person.id === teacherUser.personId)!;
  const courses = new Map(catalog.courses.map((c) => [c.id, c]));
  const open = catalog.offerings.filter((o) => {
    const course = courses.get(o.courseId)!;
    return o.status === 'published' && course.status === 'published' && Object.keys(course.audience).length === 0 && course.level !== 'kindergarten';
  });
  const byApproval = catalog.offerings.find((o) => o.status === 'published' && o.approvalMode === 'kindergarten');
  const colleagues = members.filter((m) => m.kindergarten.unit.id === teacher.kindergarten.unit.id && m.post === 'teacher' && m !== teacher).slice(0, 3);

  const enrollments: DemoEnrollment[] = [];
  const enrollmentEvents: DemoEnrollmentEvent[] = [];
  const add = (member: StaffMember, offering: DemoCatalog['offerings'][number], status: 'enrolled' | 'pending_approval', minute: number): void => {
    const course = courses.get(offering.courseId)!;
    const at = `2026-11-10T09:${String(minute).padStart(2, '0')}:00+08:00`;
    const id = demoUuid(`enrollment:${offering.id}:${member.person.id}`);
    enrollments.push({
      id, offeringId: offering.id, courseId: course.id, personId: member.person.id, districtId: offering.districtId,
      kindergartenId: member.kindergarten.unit.id, level: course.level, status, approvalStep: status === 'pending_approval' ? 'kindergarten' : null,
      priorityTier: 0, requestedAt: at, statusChangedAt: at,
    });
    enrollmentEvents.push({ enrollmentId: id, districtId: offering.districtId, toStatus: status, at });
  };
  open.slice(0, 2).forEach((offering, i) => add(teacher, offering, 'enrolled', i));
  if (byApproval) colleagues.forEach((member, i) => add(member, byApproval, 'pending_approval', 10 + i));
  return { enrollments, enrollmentEvents };
}
