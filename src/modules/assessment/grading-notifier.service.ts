import { Injectable, Logger } from '@nestjs/common';
import { translate } from '../../common/i18n/i18n.js';
import { NotificationService } from '../notifications/notification.service.js';
import { CompletionService } from './completion.service.js';
import { GradingQuery } from './grading.query.js';

export interface GradeNews {
  kind: 'released' | 'changed';
  item: { id: string; title: string; offeringId: string };
  courseTitle: string;
  learners: Array<{ enrollmentId: string; personId: string; version?: number }>;
}

/**
 * What follows a committed release or change of released grades: one in-app notification per
 * learner (deduplicated, so a retry sends nothing twice) and completion evaluated at once. Both run
 * after commit; a failure here is logged and never undoes the grades (the completion sweep catches up).
 */
@Injectable()
export class GradingNotifier {
  private readonly logger = new Logger('GradingNotifier');

  constructor(private readonly query: GradingQuery, private readonly notifications: NotificationService, private readonly completion: CompletionService) {}

  async announce(news: GradeNews): Promise<void> {
    if (!news.learners.length) return;
    try {
      const enrollmentOf = new Map(news.learners.map((l) => [l.personId, l]));
      for (const recipient of await this.query.recipients([...enrollmentOf.keys()])) {
        const learner = enrollmentOf.get(recipient.personId)!;
        const params = { course: news.courseTitle, item: news.item.title };
        await this.notifications.notify({
          userId: recipient.userId, kind: `grade.${news.kind}`,
          title: translate(recipient.locale, `grading.notice.${news.kind}.title`, params),
          body: translate(recipient.locale, `grading.notice.${news.kind}.body`, params),
          link: `/learning/items/${news.item.id}`,
          dedupeKey: news.kind === 'released' ? `grade-released:${news.item.id}:${learner.enrollmentId}` : `grade-changed:${news.item.id}:${learner.enrollmentId}:${learner.version}`,
        });
      }
    } catch (error) {
      this.logger.warn(`could not notify learners of grades of item ${news.item.id}: ${(error as Error).message}`);
    }
    await this.evaluate(news.learners.map((l) => l.enrollmentId));
  }

  async evaluate(enrollmentIds: string[]): Promise<void> {
    if (!enrollmentIds.length) return;
    try {
      await this.completion.evaluate([...new Set(enrollmentIds)]);
    } catch (error) {
      this.logger.warn(`completion evaluation after grading failed: ${(error as Error).message}`);
    }
  }
}
