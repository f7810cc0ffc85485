import { Global, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationShutdown, type OnApplicationBootstrap, Inject } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { JobHandlerRegistry, JobQueue } from './job-queue.js';
import { InlineJobQueue } from './inline.driver.js';
import { BullmqJobQueue } from './bullmq.driver.js';
import { JobOutbox } from './job-outbox.js';
import { SCHEDULES } from './jobs.js';

export const QUEUE_OPTIONS = Symbol('QUEUE_OPTIONS');

export interface QueueOptions {
  redisUrl?: string;
  prefix: string;
  /** Whether this process consumes jobs (always true for the worker; HTTP processes may opt out). */
  processJobs: boolean;
  /** Whether this process keeps the recurring jobs (sweeps, reminders) running; tests turn it off and call the services. */
  scheduledJobs: boolean;
}

@Global()
@Module({})
export class QueueModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(QUEUE_OPTIONS) private readonly options: QueueOptions,
  ) {}

  /** Consumers start only once every module has registered its job handlers; every process relays the job outbox. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.queue instanceof BullmqJobQueue) {
      if (this.options.processJobs) this.queue.startWorkers();
      this.queue.startRelay();
    }
    if (this.options.processJobs && this.options.scheduledJobs) await this.queue.startSchedules(SCHEDULES);
  }

  static forRoot(options: QueueOptions): DynamicModule {
    return {
      module: QueueModule,
      providers: [
        JobHandlerRegistry,
        { provide: QUEUE_OPTIONS, useValue: options },
        {
          provide: JobQueue,
          inject: [JobHandlerRegistry, APP_CONFIG, getDataSourceToken()],
          useFactory: (registry: JobHandlerRegistry, config: AppConfig, db: DataSource) => {
            if (!options.redisUrl) return new InlineJobQueue(registry);
            return new BullmqJobQueue(options.redisUrl, options.prefix, registry, new JobOutbox(db), {
              enqueueTimeoutMs: config.QUEUE_ENQUEUE_TIMEOUT_MS, relayEveryMs: config.QUEUE_OUTBOX_RELAY_MS,
              lockMs: config.QUEUE_LOCK_MS, importLockMs: config.QUEUE_IMPORT_LOCK_MS, stalledCheckMs: config.QUEUE_STALLED_CHECK_MS,
            });
          },
        },
      ],
      exports: [JobHandlerRegistry, JobQueue],
    };
  }

  /** Background jobs of the inline driver finish, and the outbox relay stops, while the database is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.queue instanceof InlineJobQueue) await this.queue.drain();
    if (this.queue instanceof BullmqJobQueue) await this.queue.stopRelay();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.queue instanceof InlineJobQueue) this.queue.stopSchedules();
    if (this.queue instanceof BullmqJobQueue) await this.queue.close();
  }
}
