import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { shanghaiDate } from '../../common/dates.js';
import { translate, type Locale } from '../../common/i18n/i18n.js';
import { JobHandlerRegistry } from '../../queue/job-queue.js';
import { NotificationService } from '../notifications/notification.service.js';
import { ComplianceService } from './compliance.service.js';
import type { ComplianceResult } from './compliance.types.js';
import { dueReminder, type DueReminder } from './compliance-reminder-rules.js';
import { missingLines, neededLines } from './transcript-views.js';

interface Recipient {
  personId: string;
  userId: string;
  locale: Locale;
}

const BATCH = 200;
const MAX_MISSING_SHOWN = 3;

/**
 * 'compliance.remind' (every six hours): people behind or at risk hear of it 12, 6 and 3 months
 * before their cycle ends, once per threshold and scheme. The compliance_reminder row is the
 * record that it was sent: it is inserted first and the notice goes out only when the insert
 * took, inside one transaction, so a second run (or a concurrent one, which waits on the row
 * lock) sends nothing; a failed notice rolls the row back for the next run to retry.
 */
@Injectable()
export class ComplianceReminderService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly registry: JobHandlerRegistry,
    private readonly compliance: ComplianceService,
    private readonly notifications: NotificationService,
  ) {}

  onModuleInit(): void {
    this.registry.register('compliance.remind', async () => {
      await this.remind();
    });
  }

  /** Answers how many reminders were sent. `asOf` is a Shanghai date (default today); `personIds` narrows the run. */
  async remind(options: { asOf?: string; personIds?: string[] } = {}): Promise<number> {
    const asOf = options.asOf ?? shanghaiDate();
    const recipients = await this.recipients(options.personIds);
    let sent = 0;
    for (let i = 0; i < recipients.length; i += BATCH) {
      const batch = recipients.slice(i, i + BATCH);
      const standings = await this.compliance.standings(batch.map((r) => r.personId), { asOf });
      for (const recipient of batch) {
        for (const result of standings.get(recipient.personId) ?? []) {
          const due = dueReminder(result, asOf);
          if (due && (await this.sendOnce(recipient, result, due))) sent += 1;
        }
      }
    }
    return sent;
  }

  private async sendOnce(to: Recipient, result: ComplianceResult, due: DueReminder): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO compliance_reminder (person_id, scheme_id, cycle_ends_on, months_before) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING person_id`, [to.personId, due.schemeId, due.cycleEndsOn, due.months]);
      if (!inserted.length) return false;
      const missing = [...neededLines(result, to.locale), ...missingLines(result, to.locale)];
      const params = {
        months: due.months, cycle: due.cycleName[to.locale], scheme: due.schemeName[to.locale], endsOn: due.cycleEndsOn,
        missing: missing.slice(0, MAX_MISSING_SHOWN).join(to.locale === 'en' ? '; ' : '；') + (missing.length > MAX_MISSING_SHOWN ? '…' : ''),
      };
      await this.notifications.notify({
        userId: to.userId,
        kind: 'compliance.reminder',
        title: translate(to.locale, 'transcript.reminder.title', params),
        body: translate(to.locale, 'transcript.reminder.body', params),
        link: '/me/transcript',
        dedupeKey: `compliance-reminder:${to.personId}:${due.schemeId}:${due.cycleEndsOn}:${due.months}`,
      });
      return true;
    });
  }

  /** Staff with an active sign-in: a reminder nobody can read is not sent (nor recorded as sent). */
  private async recipients(personIds?: string[]): Promise<Recipient[]> {
    return this.db.query(
      `SELECT p.id AS "personId", u.id AS "userId", u.locale
         FROM person p JOIN app_user u ON u.person_id = p.id AND u.disabled_at IS NULL
        WHERE p.current_org_unit_id IS NOT NULL AND ($1::uuid[] IS NULL OR p.id = ANY($1::uuid[]))
        ORDER BY p.id`, [personIds ?? null]);
  }
}
