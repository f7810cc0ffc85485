import { Logger } from '@nestjs/common';
import { JobHandlerRegistry, JobQueue, type EnqueueOptions } from './job-queue.js';
import { JOB_QUEUES, type JobName, type JobPayloads, type QueueName } from './jobs.js';

/** Queues of long jobs (a 50,000-row import, a large export): run in the background, one at a time per queue, never inside the request that queued them. */
const BACKGROUND_QUEUES: readonly QueueName[] = ['imports', 'exports'];

/**
 * Runs each job in-process as it is submitted (the "sync driver"), retrying a failed job a few times.
 * Used when no REDIS_URL is set; jobs are idempotent, so a retry is harmless.
 */
export class InlineJobQueue extends JobQueue {
  readonly driver = 'inline' as const;
  private readonly logger = new Logger('InlineJobQueue');

  constructor(private readonly registry: JobHandlerRegistry, private readonly attempts = 3) {
    super();
  }

  private readonly background = new Map<QueueName, Promise<void>>();

  /** `options.jobId` needs no bookkeeping here: jobs are idempotent, so running a duplicate changes nothing. */
  async enqueue<N extends JobName>(name: N, data: JobPayloads[N], _options: EnqueueOptions = {}): Promise<void> {
    const queue = JOB_QUEUES[name];
    if (!BACKGROUND_QUEUES.includes(queue)) return this.run(name, data);
    this.background.set(queue, (this.background.get(queue) ?? Promise.resolve()).then(() => this.run(name, data)));
  }

  /** Waits for the background jobs queued so far (on shutdown, before the database closes). */
  async drain(): Promise<void> {
    while (this.background.size) {
      const pending = [...this.background.values()];
      await Promise.all(pending);
      for (const [queue, promise] of this.background) if (pending.includes(promise)) this.background.delete(queue);
    }
  }

  private async run<N extends JobName>(name: N, data: JobPayloads[N]): Promise<void> {
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        await this.registry.run(name, data);
        return;
      } catch (error) {
        this.logger.error(`job ${name} failed (attempt ${attempt}/${this.attempts}): ${(error as Error).message}`);
      }
    }
  }

  private readonly timers: NodeJS.Timeout[] = [];

  async startSchedules(schedules: ReadonlyArray<{ name: JobName; everyMs: number }>): Promise<void> {
    for (const { name, everyMs } of schedules) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        void this.enqueue(name, {} as JobPayloads[typeof name]).finally(() => (running = false));
      }, everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  stopSchedules(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  async health() {
    return { status: 'up' as const, driver: this.driver };
  }

  async backlog() {
    return { pending: 0, oldestAt: null };
  }
}
