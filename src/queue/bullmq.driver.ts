import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Logger } from '@nestjs/common';
import { JobHandlerRegistry, JobQueue, type EnqueueOptions } from './job-queue.js';
import { JOB_QUEUES, QUEUES, type JobName, type JobPayloads, type QueueName } from './jobs.js';
import type { JobOutbox } from './job-outbox.js';

export interface BullmqSettings {
  /** Longest wait for Redis to take a job; past it (or with Redis away) the job goes to the outbox. */
  enqueueTimeoutMs: number;
  /** How often the outbox relay runs (it also runs the moment Redis is back). */
  relayEveryMs: number;
  lockMs: number;
  importLockMs: number;
  stalledCheckMs: number;
}

export const DEFAULT_BULLMQ_SETTINGS: BullmqSettings = { enqueueTimeoutMs: 1500, relayEveryMs: 5000, lockMs: 30_000, importLockMs: 120_000, stalledCheckMs: 30_000 };

/** Repeated connection errors during an outage are logged once per this many ms. */
const QUIET_MS = 30_000;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis within ${ms} ms`)), ms); });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * BullMQ on Redis: any number of HTTP and worker processes share the queues. A submission Redis cannot
 * take at once (down, unreachable, too slow) is kept in the job outbox in PostgreSQL and sent by the
 * relay when Redis answers again, so no request fails or hangs because of Redis.
 */
export class BullmqJobQueue extends JobQueue {
  readonly driver = 'bullmq' as const;
  private readonly logger = new Logger('BullmqJobQueue');
  /** The queues' connection fails fast (no offline queue): a command while Redis is away errors at once. */
  private readonly producer: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly workerConnections: Redis[] = [];
  private schedules: ReadonlyArray<{ name: JobName; everyMs: number }> = [];
  private relayTimer: NodeJS.Timeout | null = null;
  private relaying: Promise<number> | null = null;
  private closing = false;
  private quietUntil = 0;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    private readonly registry: JobHandlerRegistry,
    private readonly outbox: JobOutbox,
    private readonly settings: BullmqSettings = DEFAULT_BULLMQ_SETTINGS,
  ) {
    super();
    this.producer = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000 });
    this.producer.on('error', (error) => this.outage(`redis: ${error.message}`));
    // Back after an outage: send what was kept, and put back the recurring jobs (a Redis restarted empty lost them).
    this.producer.on('ready', () => {
      void this.relayNow();
      if (this.schedules.length) void this.installSchedules();
    });
    for (const name of QUEUES) {
      const queue = new Queue(name, { connection: this.producer, prefix });
      queue.on('error', (error) => this.outage(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
  }

  async enqueue<N extends JobName>(name: N, data: JobPayloads[N], options: EnqueueOptions = {}): Promise<void> {
    // Every job gets an id, so a submission that reaches Redis late and its outbox copy run once.
    const jobId = options.jobId ? `${name}:${options.jobId}`.replace(/:/g, '_') : `${name}_${randomUUID()}`;
    const delayMs = options.delayMs ?? 0;
    // One time budget for connecting and adding: the request waits at most enqueueTimeoutMs for Redis.
    const deadline = Date.now() + this.settings.enqueueTimeoutMs;
    let reason = `Redis is ${this.producer.status}`;
    if (await this.connected(this.settings.enqueueTimeoutMs)) {
      try {
        await withTimeout(this.add(name, data, jobId, delayMs), Math.max(1, deadline - Date.now()), `queue ${name}`);
        return;
      } catch (error) {
        reason = (error as Error).message;
      }
    } else {
      reason = `Redis is ${this.producer.status}`;
    }
    await this.outbox.keep(name, data, jobId, delayMs, reason);
    this.logger.warn(`job ${jobId} kept in the outbox until Redis is back (${reason})`);
  }

  private add(name: string, data: unknown, jobId: string, delayMs: number) {
    return this.queues.get(JOB_QUEUES[name as JobName])!.add(name, data, {
      jobId,
      delay: delayMs > 0 ? delayMs : undefined,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 24 * 3600, count: 10000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** Sends the jobs kept in the outbox now (one relay at a time per process); answers how many were sent. */
  relayNow(): Promise<number> {
    if (this.relaying) return this.relaying;
    if (this.closing || this.producer.status !== 'ready') return Promise.resolve(0);
    this.relaying = this.outbox.relay((job) => withTimeout(this.add(job.name, job.payload, job.jobId, job.delayMs).then(() => undefined), this.settings.enqueueTimeoutMs, `queue ${job.name}`))
      .then((sent) => {
        if (sent) this.logger.log(`sent ${sent} job(s) kept in the outbox while Redis was away`);
        return sent;
      })
      .catch((error: Error) => {
        this.outage(`outbox relay: ${error.message}`);
        return 0;
      })
      .finally(() => { this.relaying = null; });
    return this.relaying;
  }

  startRelay(): void {
    if (this.relayTimer) return;
    this.relayTimer = setInterval(() => void this.relayNow(), this.settings.relayEveryMs);
    this.relayTimer.unref();
  }

  /** Stops the relay and waits for a running one (before the database closes). */
  async stopRelay(): Promise<void> {
    this.closing = true;
    if (this.relayTimer) clearInterval(this.relayTimer);
    this.relayTimer = null;
    await this.relaying;
  }

  /** Starts consuming every queue in this process. */
  startWorkers(concurrency = 4): void {
    for (const name of QUEUES) {
      const connection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
      connection.on('error', (error) => this.outage(`redis: ${error.message}`));
      this.workerConnections.push(connection);
      const worker = new Worker(name, (job) => this.registry.run(job.name, job.data), {
        connection,
        prefix: this.prefix,
        // A dead worker's job goes back to the queue once its lock lapses; workers look for such jobs this often.
        stalledInterval: this.settings.stalledCheckMs,
        // Imports are long and heavy: one at a time per worker, and a lock that outlives a slow batch, so a
        // running import is not taken for stalled; a dead worker's import is re-delivered once its lock lapses.
        ...(name === 'imports'
          ? { concurrency: 1, lockDuration: this.settings.importLockMs, maxStalledCount: 3 }
          : { concurrency, lockDuration: this.settings.lockMs }),
      });
      worker.on('error', (error) => this.outage(`worker ${name}: ${error.message}`));
      worker.on('failed', (job, error) => this.logger.error(`job ${job?.name} ${job?.id} failed: ${error.message}`));
      this.workers.push(worker);
    }
  }

  /** Keeps the recurring jobs; with Redis away they are installed when it is back. */
  async startSchedules(schedules: ReadonlyArray<{ name: JobName; everyMs: number }>): Promise<void> {
    this.schedules = schedules;
    await this.installSchedules();
  }

  private async installSchedules(): Promise<void> {
    // Not connected (yet): the 'ready' handler installs them, so a boot without Redis does not wait here.
    if (this.producer.status !== 'ready') return;
    try {
      for (const { name, everyMs } of this.schedules) {
        await withTimeout(this.queues.get(JOB_QUEUES[name])!.upsertJobScheduler(name, { every: everyMs }, {
          name,
          data: {},
          opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
        }), 5000, `schedule ${name}`);
      }
    } catch (error) {
      this.outage(`recurring jobs not installed yet, retried when Redis is back: ${(error as Error).message}`);
    }
  }

  async health() {
    try {
      if (!(await this.connected(1000))) throw new Error('not connected');
      await withTimeout(this.producer.ping(), 1000, 'ping');
      return { status: 'up' as const, driver: this.driver };
    } catch {
      return { status: 'down' as const, driver: this.driver };
    }
  }

  backlog() {
    return this.outbox.backlog();
  }

  async close(): Promise<void> {
    await this.stopRelay();
    // Bounded: with Redis away, closing must not hold the shutdown forever.
    const settle = (work: Promise<unknown>) => withTimeout(work, 10_000, 'close').catch(() => undefined);
    // With Redis away a graceful close waits for it; forced, the running jobs are re-delivered (they are idempotent).
    const force = this.producer.status !== 'ready';
    await settle(Promise.all(this.workers.map((w) => w.close(force))));
    await settle(Promise.all([...this.queues.values()].map((q) => q.close())));
    for (const connection of [...this.workerConnections, this.producer]) {
      await settle(connection.quit());
      connection.disconnect();
    }
  }

  /** Whether Redis is connected; a connection being made (at boot, or Redis just back) gets up to `ms` to finish. */
  private async connected(ms: number): Promise<boolean> {
    const status = () => this.producer.status;
    if (status() === 'ready') return true;
    if (!['wait', 'connecting', 'connect'].includes(status())) return false;
    let onReady = () => {};
    let onClose = () => {};
    const settled = new Promise<boolean>((resolve) => {
      onReady = () => resolve(true);
      onClose = () => resolve(false);
      this.producer.once('ready', onReady).once('close', onClose).once('end', onClose);
    });
    try {
      return await withTimeout(settled, ms, 'connect').catch(() => false);
    } finally {
      this.producer.off('ready', onReady).off('close', onClose).off('end', onClose);
    }
  }

  /** Logs an outage's errors once per QUIET_MS (ioredis reports every reconnection attempt). */
  private outage(message: string): void {
    if (Date.now() < this.quietUntil) return;
    this.quietUntil = Date.now() + QUIET_MS;
    this.logger.warn(message);
  }
}
