import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.schema.js';
import { TemplateRegistry } from '../../common/views/handlebars.js';
import { JobHandlerRegistry, JobQueue } from '../../queue/job-queue.js';
import { JOBS } from '../../queue/jobs.js';
import type { Locale } from '../../common/i18n/i18n.js';
import { MailOutbox } from './notification.entities.js';

/** Deliveries of one mail before it is left in the outbox with its error (a BullMQ job's attempts). */
const MAIL_ATTEMPTS = 5;

/**
 * Renders mail from `templates/mail/<name>.subject.hbs` and `<name>.hbs`, records it in the outbox,
 * and delivers it through a job. Without SMTP_URL the mail is kept in the outbox for district admins.
 */
@Injectable()
export class MailService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('MailService');
  private readonly transport: Transporter | null;

  constructor(
    @InjectRepository(MailOutbox) private readonly outbox: Repository<MailOutbox>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly templates: TemplateRegistry,
    private readonly queue: JobQueue,
    private readonly jobs: JobHandlerRegistry,
  ) {
    this.transport = config.SMTP_URL ? nodemailer.createTransport(config.SMTP_URL) : null;
  }

  onModuleInit(): void {
    this.jobs.register(JOBS.deliverMail, ({ mailId }) => this.deliver(mailId));
  }

  /** The re-submission of the mail a stopped process left unsent, started with the process (tests wait for it). */
  resubmitted: Promise<void> = Promise.resolve();

  /**
   * Mail not yet sent (with SMTP configured) is submitted again at start, as imports and exports are
   * (JobQueue.resubmit); the mail's id is its job id. A mail whose delivery has failed as many times as a job is
   * tried stays in the outbox with its last error instead of being tried at every start.
   */
  onApplicationBootstrap(): void {
    if (!this.transport) return;
    this.resubmitted = this.queue.resubmit('mail', async () =>
      (await this.outbox.find({ select: { id: true }, where: { status: 'pending', attempts: LessThan(MAIL_ATTEMPTS) }, order: { createdAt: 'ASC' } }))
        .map(({ id }) => ({ name: JOBS.deliverMail, data: { mailId: id }, jobId: id })));
  }

  /** Queues one mail; the same dedupe key never produces a second one. */
  async send(to: string, template: string, data: Record<string, unknown>, locale: Locale, dedupeKey?: string): Promise<string> {
    const context = { ...data, locale };
    const subject = this.templates.render(`mail/${template}.subject`, context).trim();
    const html = this.templates.render(`mail/${template}`, context);
    const textBody = html.replace(/<[^>]+>/g, '').replace(/\n{3,}/g, '\n\n').trim();
    const inserted = await this.outbox.createQueryBuilder().insert().values({
      toAddress: to, subject, html, textBody, template, status: this.transport ? 'pending' : 'kept', attempts: 0, dedupeKey: dedupeKey ?? null,
    }).orIgnore().returning('id').execute();
    const id = (inserted.raw as { id: string }[])[0]?.id ?? (await this.outbox.findOneByOrFail({ dedupeKey: dedupeKey! })).id;
    if (this.transport) await this.queue.enqueue(JOBS.deliverMail, { mailId: id }, { jobId: id });
    return id;
  }

  /** Idempotent: a mail already sent is not sent again when the job is retried or delivered twice. */
  async deliver(mailId: string): Promise<void> {
    if (!this.transport) return;
    const claimed = await this.outbox.createQueryBuilder().update()
      .set({ attempts: () => 'attempts + 1' }).where('id = :mailId AND status = :status', { mailId, status: 'pending' })
      .returning('*').execute();
    const mail = (claimed.raw as Record<string, string>[])[0];
    if (!mail) return;
    try {
      await this.transport.sendMail({ from: this.config.MAIL_FROM, to: mail.to_address, subject: mail.subject, html: mail.html, text: mail.text_body });
      await this.outbox.update({ id: mailId }, { status: 'sent', sentAt: new Date(), lastError: null });
    } catch (error) {
      this.logger.warn(`mail ${mailId} failed: ${(error as Error).message}`);
      await this.outbox.update({ id: mailId }, { lastError: (error as Error).message.slice(0, 500) });
      throw error;
    }
  }

  async list(page: number, pageSize: number): Promise<{ items: MailOutbox[]; total: number }> {
    const [items, total] = await this.outbox.findAndCount({ order: { createdAt: 'DESC' }, skip: (page - 1) * pageSize, take: pageSize });
    return { items, total };
  }

  async get(id: string): Promise<MailOutbox | null> {
    return this.outbox.findOneBy({ id });
  }
}
