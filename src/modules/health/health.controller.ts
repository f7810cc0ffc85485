import { Controller, Get, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Authorize } from '../../common/authorize.decorator.js';
import { JobQueue } from '../../queue/job-queue.js';

/** A check that does not answer in time counts as down: a load balancer's probe must not hang. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([work, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); })])
    .finally(() => clearTimeout(timer));
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly queue: JobQueue) {}

  /**
   * `ok` (200); `degraded` (200) when Redis is down but the database answers: pages and reads work, job
   * submissions wait in the outbox (`outbox.pending`, with Redis configured); `down` (503) when the database does not answer.
   */
  @Get()
  @Authorize('public')
  async health(@Res() res: Response) {
    const [database, queue] = await Promise.all([
      within(this.db.query('SELECT 1'), 3000).then(() => 'up' as const, () => 'down' as const),
      this.queue.health(),
    ]);
    const status = database === 'down' ? 'down' : queue.status === 'down' ? 'degraded' : 'ok';
    const body = { status, database: { status: database }, queue };
    // Only the Redis driver keeps an outbox (the inline driver runs every job at once).
    const withOutbox = this.queue.driver === 'bullmq'
      ? { ...body, outbox: database === 'up' ? await within(this.queue.backlog(), 3000).catch(() => null) : null }
      : body;
    res.status(database === 'up' ? 200 : 503).json(withOutbox);
  }
}
