import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Logger } from '@nestjs/common';
import { JobHandlerRegistry, JobQueue, type EnqueueOptions } from './job-queue.js';
import { JOB_QUEUES, QUEUES, type JobName, type JobPayloads, type QueueName } from './jobs.js';

/** BullMQ on Redis: any number of HTTP and worker processes share the queues. */
export class BullmqJobQueue extends JobQueue {
  readonly driver = 'bullmq' as const;
  private readonly logger = new Logger('BullmqJobQueue');
  private readonly connection: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly workerConnections: Redis[] = [];

  constructor(redisUrl: string, private readonly prefix: string, private readonly registry: JobHandlerRegistry) {
    super();
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.connection.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
    for (const name of QUEUES) this.queues.set(name, new Queue(name, { connection: this.connection, prefix }));
  }

  async enqueue<N extends JobName>(name: N, data: JobPayloads[N], options: EnqueueOptions = {}): Promise<void> {
    await this.queues.get(JOB_QUEUES[name])!.add(name, data, {
      jobId: options.jobId ? `${name}:${options.jobId}`.replace(/:/g, '_') : undefined,
      delay: options.delayMs,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 24 * 3600, count: 10000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** Starts consuming every queue in this process. */
  startWorkers(concurrency = 4): void {
    for (const name of QUEUES) {
      const connection = this.connection.duplicate();
      this.workerConnections.push(connection);
      const worker = new Worker(name, (job) => this.registry.run(job.name, job.data), {
        connection,
        prefix: this.prefix,
        // Imports are long and heavy: one at a time per worker, and a lock that outlives a slow batch, so a
        // running import is not taken for stalled; a dead worker's import is re-delivered once its lock lapses.
        ...(name === 'imports' ? { concurrency: 1, lockDuration: 120_000, maxStalledCount: 3 } : { concurrency }),
      });
      worker.on('failed', (job, error) => this.logger.error(`job ${job?.name} ${job?.id} failed: ${error.message}`));
      this.workers.push(worker);
    }
  }

  async startSchedules(schedules: ReadonlyArray<{ name: JobName; everyMs: number }>): Promise<void> {
    for (const { name, everyMs } of schedules) {
      await this.queues.get(JOB_QUEUES[name])!.upsertJobScheduler(name, { every: everyMs }, {
        name,
        data: {},
        opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      });
    }
  }

  async health() {
    try {
      await this.connection.ping();
      return { status: 'up' as const, driver: this.driver };
    } catch {
      return { status: 'down' as const, driver: this.driver };
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await Promise.all(this.workerConnections.map((c) => c.quit().catch(() => undefined)));
    await this.connection.quit().catch(() => undefined);
  }
}
