import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { AccessContext } from '../../common/access-context.js';
import { NotFound } from '../../common/errors.js';
import { translate } from '../../common/i18n/i18n.js';
import type { Meeting } from '../catalog/catalog.entities.js';
import { OfferingDirectory, type OfferingContext } from '../catalog/offering-directory.service.js';
import { PeopleDirectory } from '../people/people-directory.service.js';
import { meetingsCalendar, type CalendarEntry } from './calendar-ics.js';
import { ATTENDING, Enrollment } from './enrollment.entities.js';
import { TeachingAccess } from './teaching-access.service.js';

/** The meetings a learner or trainer should have in their own calendar app, as iCalendar files. */
@Injectable()
export class CalendarService {
  constructor(
    @InjectRepository(Enrollment) private readonly enrollments: Repository<Enrollment>,
    private readonly offerings: OfferingDirectory,
    private readonly teaching: TeachingAccess,
    private readonly people: PeopleDirectory,
  ) {}

  /** Every meeting of the offerings the caller is enrolled in. */
  async myCalendar(access: AccessContext): Promise<string> {
    const mine = access.personId ? await this.enrollments.find({ where: { personId: access.personId, status: In(ATTENDING) } }) : [];
    const entries: CalendarEntry[] = [];
    for (const enrollment of mine) {
      const context = await this.offerings.context(enrollment.offeringId);
      if (context.offering.status === 'cancelled') continue;
      entries.push(...this.entries(context, await this.offerings.meetings(enrollment.offeringId), access.locale));
    }
    entries.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    return meetingsCalendar(translate(access.locale, 'attendance.calendar.mine'), entries);
  }

  /** Every meeting of one offering, for whoever may see the offering. */
  async offeringCalendar(access: AccessContext, offeringId: string): Promise<{ ics: string; code: string }> {
    const context = await this.offerings.context(offeringId);
    if (!(await this.maySee(access, context))) throw new NotFound('offering', offeringId);
    const ics = meetingsCalendar(`${context.course.title} ${context.offering.label || context.offering.code}`.trim(),
      this.entries(context, await this.offerings.meetings(offeringId), access.locale));
    return { ics, code: `${context.course.code}-${context.offering.code}` };
  }

  /** Trainers and managers; learners enrolled in it; staff under the course's owner once the offering is out. */
  async maySee(access: AccessContext, context: OfferingContext): Promise<boolean> {
    if (await this.teaching.canTeach(access, context)) return true;
    if (!access.personId) return false;
    if (await this.enrollments.existsBy({ offeringId: context.offering.id, personId: access.personId })) return true;
    const published = ['published', 'closed'].includes(context.offering.status) && context.course.status === 'published';
    if (!published) return false;
    const home = await this.people.personOrgPath(access.personId);
    return !!home && home.path.startsWith(context.ownerPath);
  }

  private entries(context: OfferingContext, meetings: Meeting[], locale: AccessContext['locale']): CalendarEntry[] {
    const stamp = new Date();
    const course = context.course.title;
    return meetings.map((m, i) => ({
      id: m.id,
      summary: m.title ? `${course}: ${m.title}` : course,
      description: translate(locale, 'attendance.calendar.description', {
        course, offering: context.offering.label || context.offering.code, number: i + 1, count: meetings.length, hours: m.hours,
      }),
      startsAt: m.startsAt,
      endsAt: m.endsAt,
      place: m.place,
      onlineUrl: m.onlineUrl,
      url: null,
      stamp,
    }));
  }
}
