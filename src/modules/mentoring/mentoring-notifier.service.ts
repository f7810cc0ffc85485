import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { NotificationService } from '../notifications/notification.service.js';
import type { ActivityView } from './activities.query.js';
import type { PairingContext } from './pairings-directory.service.js';

interface Recipient {
  personId: string;
  userId: string;
  locale: Locale;
}

/**
 * In-app notices after a committed change: a log waits for the other side, a term review was
 * returned (lead mentor) or accepted (mentee and mentors). Dedupe keys make a retry or a repeated
 * call send nothing twice; a failure is logged and never undoes the change.
 */
@Injectable()
export class MentoringNotifier {
  private readonly logger = new Logger('MentoringNotifier');

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly notifications: NotificationService) {}

  /** The mentee's log waits for the mentors; a mentor's log for the mentee. */
  async activityLogged(context: PairingContext, activity: ActivityView): Promise<void> {
    const mentorIds = context.links.map((l) => l.mentorPersonId);
    const waiting = activity.loggedByPersonId === context.pairing.menteePersonId ? mentorIds : [context.pairing.menteePersonId];
    await this.send(waiting, (r) => ({
      kind: 'mentoring.activity.logged',
      title: translate(r.locale, 'mentoring.notice.logged.title', { name: activity.loggedByName }),
      body: translate(r.locale, 'mentoring.notice.logged.body', { kind: translate(r.locale, `mentoring.work.kind.${activity.kind}`), date: activity.occurredOn }),
      link: '/me/mentoring',
      dedupeKey: `mentoring-activity-logged:${activity.id}:${r.userId}`,
    }), `activity ${activity.id}`);
  }

  async reviewReturned(context: PairingContext, review: { id: string; term: string; version: number; comment: string }): Promise<void> {
    const lead = context.links.filter((l) => l.role === 'lead').map((l) => l.mentorPersonId);
    const mentee = await this.menteeName(context);
    await this.send(lead, (r) => ({
      kind: 'mentoring.review.returned',
      title: translate(r.locale, 'mentoring.notice.reviewReturned.title', { term: review.term }),
      body: translate(r.locale, 'mentoring.notice.reviewReturned.body', { mentee, comment: review.comment }),
      link: `/mentoring/pairings/${context.pairing.id}/reviews`,
      dedupeKey: `mentoring-review-returned:${review.id}:${review.version}:${r.userId}`,
    }), `review ${review.id}`);
  }

  async reviewAccepted(context: PairingContext, review: { id: string; term: string }): Promise<void> {
    const people = [context.pairing.menteePersonId, ...context.links.map((l) => l.mentorPersonId)];
    const mentee = await this.menteeName(context);
    await this.send(people, (r) => ({
      kind: 'mentoring.review.accepted',
      title: translate(r.locale, 'mentoring.notice.reviewAccepted.title', { term: review.term }),
      body: translate(r.locale, 'mentoring.notice.reviewAccepted.body', { mentee }),
      link: `/mentoring/pairings/${context.pairing.id}/reviews`,
      dedupeKey: `mentoring-review-accepted:${review.id}:${r.userId}`,
    }), `review ${review.id}`);
  }

  private async send(personIds: string[], notice: (r: Recipient) => { kind: string; title: string; body: string; link: string; dedupeKey: string }, what: string) {
    try {
      if (!personIds.length) return;
      const recipients: Recipient[] = await this.db.query(
        `SELECT person_id AS "personId", id AS "userId", coalesce(locale, 'zh-CN') AS locale FROM app_user WHERE person_id = ANY($1::uuid[]) AND disabled_at IS NULL`,
        [personIds]);
      for (const r of recipients) await this.notifications.notify({ userId: r.userId, ...notice(r) });
    } catch (error) {
      this.logger.warn(`could not send the mentoring notice for ${what}: ${(error as Error).message}`);
    }
  }

  private async menteeName(context: PairingContext): Promise<string> {
    const rows: Array<{ full_name: string }> = await this.db.query('SELECT full_name FROM person WHERE id = $1', [context.pairing.menteePersonId]);
    return rows[0]?.full_name ?? '';
  }
}
