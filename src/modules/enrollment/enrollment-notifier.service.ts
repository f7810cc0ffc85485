import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { JobHandlerRegistry, JobQueue } from '../../queue/job-queue.js';
import { NotificationService } from '../notifications/notification.service.js';
import type { EnrollmentEvent } from './enrollment.entities.js';

interface EventToSend {
  id: string;
  to_status: string;
  reason: string | null;
  offering_id: string;
  course_title: string;
  offer_expires_at: Date | null;
  user_id: string | null;
  locale: Locale | null;
}

/**
 * Tells learners what happened to their enrolment. The events are written in the same transaction
 * as the change (an outbox), sent after commit, and marked sent; the sweep re-sends any a crash left behind.
 */
@Injectable()
export class EnrollmentNotifier implements OnModuleInit {
  private readonly logger = new Logger('EnrollmentNotifier');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: JobHandlerRegistry,
    private readonly queue: JobQueue,
    private readonly notifications: NotificationService,
  ) {}

  onModuleInit(): void {
    this.registry.register('enrollment.notify', ({ eventId }) => this.send(eventId));
  }

  /** Queues a notification job per event that asks for one. A failure to queue loses nothing: the sweep finds the event. */
  async dispatch(events: EnrollmentEvent[]): Promise<void> {
    for (const event of events) {
      if (!event.notify) continue;
      try {
        await this.queue.enqueue('enrollment.notify', { eventId: String(event.id) }, { jobId: `event-${event.id}` });
      } catch (error) {
        this.logger.warn(`could not queue the notification of enrolment event ${event.id}: ${(error as Error).message}`);
      }
    }
  }

  async send(eventId: string): Promise<void> {
    const [event]: EventToSend[] = await this.db.query(
      `SELECT ev.id, ev.to_status, ev.reason, e.offering_id, c.title AS course_title, e.offer_expires_at, u.id AS user_id, u.locale
         FROM enrollment_event ev
         JOIN enrollment e ON e.id = ev.enrollment_id
         JOIN course c ON c.id = e.course_id
         LEFT JOIN app_user u ON u.person_id = e.person_id AND u.disabled_at IS NULL
        WHERE ev.id = $1 AND ev.notify AND ev.notified_at IS NULL`, [eventId]);
    if (!event) return;
    if (event.user_id) {
      const locale = event.locale ?? 'zh-CN';
      const key = noticeKey(event.to_status, event.reason);
      const params = {
        course: event.course_title,
        expires: event.offer_expires_at ? event.offer_expires_at.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' }) : '',
        reason: event.reason ?? '',
      };
      await this.notifications.notify({
        userId: event.user_id, kind: `enrollment.${key}`,
        title: translate(locale, `enrollment.notice.${key}.title`, params),
        body: translate(locale, `enrollment.notice.${key}.body`, params),
        link: `/offerings/${event.offering_id}`,
        dedupeKey: `enrollment-event:${event.id}`,
      });
    }
    await this.db.query(`UPDATE enrollment_event SET notified_at = now() WHERE id = $1 AND notified_at IS NULL`, [eventId]);
  }

  /** Events still unsent a minute after they happened (a crash, a queue outage): send them now. */
  async resendStale(olderThanMs = 60_000): Promise<number> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM enrollment_event WHERE notify AND notified_at IS NULL AND at < now() - make_interval(secs => $1) ORDER BY id LIMIT 1000`,
      [olderThanMs / 1000]);
    for (const row of rows) await this.send(String(row.id));
    return rows.length;
  }
}

function noticeKey(toStatus: string, reason: string | null): string {
  if (reason === 'PROMOTED_FROM_WAITLIST') return toStatus === 'offered' ? 'offered' : 'promoted';
  if (reason === 'OFFER_EXPIRED') return 'offerExpired';
  if (reason === 'KINDERGARTEN_APPROVED') return 'kindergartenApproved';
  return toStatus;
}
