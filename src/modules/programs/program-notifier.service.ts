import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { NotificationService } from '../notifications/notification.service.js';
import type { Program } from './programs.entities.js';

interface Recipient {
  personId: string | null;
  userId: string;
  locale: Locale;
}

type Notice = { kind: string; title: string; body: string; link: string; dedupeKey: string };

const programName = (program: Program, locale: Locale) => (locale === 'en' ? program.nameEn : program.nameZh);

/**
 * In-app notices after a committed change: a nomination to the nominee, an assignment to the
 * reviewer, the round's result to each applicant. Dedupe keys make a retry send nothing twice; a
 * failure is logged and never undoes the change.
 */
@Injectable()
export class ProgramNotifier {
  private readonly logger = new Logger('ProgramNotifier');

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly notifications: NotificationService) {}

  async nominated(program: Program, application: { id: string; personId: string }): Promise<void> {
    await this.send(() => this.people([application.personId]), (r) => ({
      kind: 'programs.nominated',
      title: translate(r.locale, 'programs.notice.nominated.title', { program: programName(program, r.locale) }),
      body: translate(r.locale, 'programs.notice.nominated.body'),
      link: `/programs/${program.id}`,
      dedupeKey: `program-nominated:${application.id}:${r.userId}`,
    }), `nomination ${application.id}`);
  }

  async assigned(program: Program, reviewerUserIds: string[], applicationIds: string[]): Promise<void> {
    const batch = createHash('sha256').update([...applicationIds].sort().join(',')).digest('hex').slice(0, 16);
    const recipients = (): Promise<Recipient[]> => this.db.query(
      `SELECT person_id AS "personId", id AS "userId", coalesce(locale, 'zh-CN') AS locale FROM app_user WHERE id = ANY($1::uuid[]) AND disabled_at IS NULL`,
      [reviewerUserIds]);
    await this.send(recipients, (r) => ({
      kind: 'programs.review.assigned',
      title: translate(r.locale, 'programs.notice.assigned.title', { program: programName(program, r.locale) }),
      body: translate(r.locale, 'programs.notice.assigned.body', { count: applicationIds.length }),
      link: '/program-reviews',
      dedupeKey: `program-review-assigned:${program.id}:${r.userId}:${batch}`,
    }), `assignments of ${program.id}`);
  }

  /** Each applicant hears their result once the round is closed (or when a reserve place turns into a selection). */
  async results(program: Program, applications: Array<{ id: string; personId: string; status: string; reserveRank: number | null }>): Promise<void> {
    for (const app of applications) {
      await this.send(() => this.people([app.personId]), (r) => ({
        kind: `programs.result.${app.status}`,
        title: translate(r.locale, 'programs.notice.result.title', { program: programName(program, r.locale) }),
        body: translate(r.locale, `programs.notice.result.${app.status}`, { rank: app.reserveRank ?? '' }),
        link: `/programs/${program.id}`,
        dedupeKey: `program-result:${app.id}:${app.status}:${r.userId}`,
      }), `result of ${app.id}`);
    }
  }

  private async people(personIds: string[]): Promise<Recipient[]> {
    return this.db.query(
      `SELECT person_id AS "personId", id AS "userId", coalesce(locale, 'zh-CN') AS locale FROM app_user WHERE person_id = ANY($1::uuid[]) AND disabled_at IS NULL`,
      [personIds]);
  }

  private async send(recipients: () => Promise<Recipient[]>, notice: (r: Recipient) => Notice, what: string) {
    try {
      for (const r of await recipients()) await this.notifications.notify({ userId: r.userId, ...notice(r) });
    } catch (error) {
      this.logger.warn(`could not send the program notice for ${what}: ${(error as Error).message}`);
    }
  }
}
