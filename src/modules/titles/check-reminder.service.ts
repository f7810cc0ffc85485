import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Role } from '../auth/auth.entities.js';
import { ROLE_PERMISSIONS } from '../../common/permissions.js';
import { shanghaiDate } from '../../common/dates.js';
import { translate } from '../../common/i18n/i18n.js';
import { JobHandlerRegistry } from '../../queue/job-queue.js';
import { NotificationService } from '../notifications/notification.service.js';
import { ChecksQuery } from './checks.query.js';
import { ChecksService } from './checks.service.js';

/** Roles whose holders manage background checks (district HR). */
const CHECK_ROLES = (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((role) => ROLE_PERMISSIONS[role].includes('checks.manage'));

/**
 * 'checks.remind' (daily): every district HR user over a person hears once per person and due
 * date of a yearly re-check that has fallen due, or of a hire starting within 30 days without a
 * clear pre-employment check. The notification's dedupe key is the record that it was sent, so a
 * second run (or a retried job) sends nothing again.
 */
@Injectable()
export class CheckReminderService implements OnModuleInit {
  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly checks: ChecksService,
    private readonly query: ChecksQuery,
    private readonly notifications: NotificationService,
  ) {}

  onModuleInit(): void {
    this.registry.register('checks.remind', async () => {
      await this.remind();
    });
  }

  /** Answers how many (recipient, person, due date) notices were due; sending one twice stores it once. */
  async remind(asOf = shanghaiDate()): Promise<number> {
    const holders = await this.query.holders(CHECK_ROLES);
    if (!holders.length) return 0;
    const { items } = await this.checks.dueUnder([...new Set(holders.map((h) => h.path))], asOf);
    let notices = 0;
    for (const item of items) {
      if (item.reason === 'yearly' && item.dueOn > asOf) continue;
      for (const to of holders.filter((h) => item.kindergartenPath.startsWith(h.path))) {
        const params = { name: item.fullName, kindergarten: item.kindergartenName ?? '—', dueOn: item.dueOn };
        await this.notifications.notify({
          userId: to.userId,
          kind: 'background_check.due',
          title: translate(to.locale, `checks.reminder.title.${item.reason}`, params),
          body: translate(to.locale, `checks.reminder.body.${item.reason}`, params),
          link: `/people/${item.personId}/background-checks`,
          dedupeKey: `background-check-due:${to.userId}:${item.personId}:${item.dueOn}`,
        });
        notices += 1;
      }
    }
    return notices;
  }
}
