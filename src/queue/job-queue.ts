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

export abstract class JobQueue {
  abstract readonly driver: 'inline' | 'bullmq';
  abstract enqueue<N extends JobName>(name: N, data: JobPayloads[N], options?: EnqueueOptions): Promise<void>;
  abstract health(): Promise<{ status: 'up' | 'down'; driver: string }>;
  /** Submissions kept in the job outbox because Redis could not take them (always none for the inline driver). */
  abstract backlog(): Promise<{ pending: number; oldestAt: Date | null }>;
  /** Runs each scheduled job every `everyMs` from now on; jobs are idempotent, so an extra run is harmless. */
  abstract startSchedules(schedules: ReadonlyArray<{ name: JobName; everyMs: number }>): Promise<void>;
}
