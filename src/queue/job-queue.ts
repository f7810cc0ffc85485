import { Logger } from '@nestjs/common';
import type { JobName, JobPayloads } from './jobs.js';

export type JobHandler<N extends JobName> = (data: JobPayloads[N]) => Promise<void>;

/** Services register the handler of each job they own; both drivers dispatch through it. */
export class JobHandlerRegistry {
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    this.handlers.set(name, handler as JobHandler<JobName>);
  }

  async run(name: string, data: unknown): Promise<void> {
    const handler = this.handlers.get(name as JobName);
    if (!handler) throw new Error(`No handler registered for job ${name}`);
    await handler(data as never);
  }
}

export interface EnqueueOptions {
  /** A stable id makes a duplicate submission of the same job a no-op. */
  jobId?: string;
  delayMs?: number;
}

/** A job to submit again, with the id it was first submitted under. */
export type Resubmission = { [N in JobName]: { name: N; data: JobPayloads[N]; jobId: string } }[JobName];

export abstract class JobQueue {
  abstract readonly driver: 'inline' | 'bullmq';
  abstract enqueue<N extends JobName>(name: N, data: JobPayloads[N], options?: EnqueueOptions): Promise<void>;
  abstract health(): Promise<{ status: 'up' | 'down'; driver: string }>;
  /** Submissions kept in the job outbox because Redis could not take them (always none for the inline driver). */
  abstract backlog(): Promise<{ pending: number; oldestAt: Date | null }>;
  /** Runs each scheduled job every `everyMs` from now on; jobs are idempotent, so an extra run is harmless. */
  abstract startSchedules(schedules: ReadonlyArray<{ name: JobName; everyMs: number }>): Promise<void>;

  /**
   * Submits again, in the background, the jobs of work a stopped process left unfinished (`find` reads them from
   * the records): inline, their jobs died with the process; with BullMQ, the process may have died between saving
   * the work and submitting its job. Each keeps its first id, so a job the queue still holds runs once. Start-up
   * does not wait: with Redis away each submission waits QUEUE_ENQUEUE_TIMEOUT_MS before going to the job outbox,
   * and inline a job may run long. Answers when all are submitted (a failure is logged, not thrown).
   */
  resubmit(what: string, find: () => Promise<Resubmission[]>): Promise<void> {
    return (async () => {
      for (const job of await find()) await this.enqueue(job.name, job.data as never, { jobId: job.jobId });
    })().catch((error: Error) => new Logger('JobQueue').error(`queuing the unfinished ${what} again failed: ${error.message}`));
  }
}
