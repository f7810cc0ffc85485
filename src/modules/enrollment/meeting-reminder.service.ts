import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { addDays, shanghaiDate, shanghaiDateTime } from '../../common/dates.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { JobHandlerRegistry } from '../../queue/job-queue.js';
import { OfferingDirectory } from '../catalog/offering-directory.service.js';
import { NotificationService } from '../notifications/notification.service.js';

interface Recipient {
  personId: string;
  userId: string;
  locale: Locale;
}

/**
 * The day-before reminder ('meeting.remind', every 15 minutes): each enrolled learner of a meeting
 * that starts tomorrow (Shanghai's calendar day) hears of it once. The dedupe key makes a retried
 * notification a no-op, and the meeting is marked reminded only after everyone was notified.
 */
@Injectable()
export class MeetingReminderService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: JobHandlerRegistry,
    private readonly offerings: OfferingDirectory,
    private readonly notifications: NotificationService,
  ) {}

  onModuleInit(): void {
    this.registry.register('meeting.remind', async () => {
      await this.remindTomorrow();
    });
  }

  /** Answers how many meetings were reminded of. */
  async remindTomorrow(now: Date = new Date()): Promise<number> {
    const from = new Date(`${shanghaiDate(addDays(now, 1))}T00:00:00+08:00`);
    const meetings = await this.offerings.meetingsToRemind(from, addDays(from, 1));
    for (const meeting of meetings) {
      const { course, offering } = await this.offerings.context(meeting.offeringId);
      for (const to of await this.recipients(meeting.offeringId)) {
        const params = {
          course: course.title,
          title: meeting.title || offering.label || offering.code,
          time: `${shanghaiDateTime(meeting.startsAt)}–${shanghaiDateTime(meeting.endsAt).slice(11)}`,
          place: meeting.place ?? meeting.onlineUrl ?? '',
        };
        await this.notifications.notify({
          userId: to.userId,
          kind: 'meeting.reminder',
          title: translate(to.locale, 'attendance.reminder.title', params),
          body: translate(to.locale, 'attendance.reminder.body', params),
          link: `/offerings/${meeting.offeringId}`,
          dedupeKey: `meeting-reminder:${meeting.id}:${to.personId}`,
        });
      }
      await this.offerings.markReminded(this.db.manager, meeting.id);
    }
    return meetings.length;
  }

  /** Enrolled learners who can sign in (a person without an active account has nowhere to read it). */
  private async recipients(offeringId: string): Promise<Recipient[]> {
    return this.db.query(
      `SELECT e.person_id AS "personId", u.id AS "userId", u.locale
         FROM enrollment e JOIN app_user u ON u.person_id = e.person_id AND u.disabled_at IS NULL
        WHERE e.offering_id = $1 AND e.status = 'enrolled'`, [offeringId]);
  }
}
